"""A long-lived owner gives freed memory back to the system (symbiote.cli.allocator).

Each case runs in a fresh process: allocator settings belong to a whole process.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]

# Free a large block (glibc then raises its mmap threshold), then allocate 200 MiB in
# 1 MiB blocks and free all but the last: print how much the process still holds.
HELD_AFTER_FREE = """
import sys
from pathlib import Path

def anon():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) // 1024

if sys.argv[1] == "owner":
    from symbiote.cli.allocator import keep_heap_small
    assert keep_heap_small()
    import pyarrow as pa
    assert pa.default_memory_pool().backend_name == "system"
large = bytearray(8 << 20)
del large
before = anon()
blocks = [bytearray(1 << 20) for _ in range(200)]
last = blocks[-1]
del blocks
print(anon() - before)
"""

glibc = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="the settings are glibc's",
)


def _held_mib(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", HELD_AFTER_FREE, mode], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


@glibc
def test_an_owner_gives_freed_blocks_back() -> None:
    assert _held_mib("plain") >= 150  # glibc's default keeps what was freed
    assert _held_mib("owner") <= 20


# An owner taken for the length of one call keeps the defaults; a long-lived one does not.
OWNER = """
import sys
import pyarrow as pa
from symbiote.cli.owner import Owner
from symbiote.cli.verbs import CLI

before = pa.default_memory_pool().backend_name
owner = Owner.take(sys.argv[1], None, CLI, lasting=sys.argv[2] == "lasting")
print(before, pa.default_memory_pool().backend_name)
owner.close()
"""


@glibc
@pytest.mark.parametrize("lasting", ["lasting", "call"])
def test_a_long_lived_owner_takes_the_settings(make_repo: MakeRepo, lasting: str) -> None:
    repo = make_repo()
    repo.write("a.py", "def f():\n    pass\n")
    repo.commit("one")
    done = subprocess.run(
        [sys.executable, "-c", OWNER, str(repo.path), lasting],
        capture_output=True,
        text=True,
        check=True,
    )
    before, after = done.stdout.split()
    assert after == ("system" if lasting == "lasting" else before)


# Batches of mixed shapes grow ONNX Runtime's arena; a renewed model gives it back.
RENEWED = """
import gc
from pathlib import Path
from symbiote.cli.allocator import keep_heap_small
from symbiote.indexer.embedders import renew_shared, shared_embedder

def anon():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) // 1024

keep_heap_small()
model = shared_embedder()
for words in (250, 120, 60, 250, 30, 200):
    model.embed([("word%d " % i) * words for i in range(32)])
used = anon()
del model
assert renew_shared()
gc.collect()
print(used - anon(), renew_shared("openai:m@http://127.0.0.1:9"))
"""


@glibc
def test_a_renewed_model_gives_back_what_its_batches_held() -> None:
    done = subprocess.run(
        [sys.executable, "-c", RENEWED], capture_output=True, text=True, check=True
    )
    freed, other = done.stdout.split()
    assert int(freed) >= 100  # ~160 MB held by the arena after these six batches
    assert other == "False"  # an embedder without such buffers is left alone
