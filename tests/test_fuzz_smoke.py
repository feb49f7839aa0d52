"""The fuzzing harness runs: a short, seeded atheris run of ``fuzz/fuzz_extract.py``.

CI's smoke run of the harness (issue 6). It fuzzes extraction for a fixed number of
inputs (``--smoke 300``: libFuzzer's ``-runs=300`` with ``-seed=1``) starting from the
fixtures, and passes when libFuzzer finds no crash: exit code 0 and no crash file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

HARNESS = Path(__file__).resolve().parent.parent / "fuzz" / "fuzz_extract.py"


def test_a_short_fuzz_run_finds_no_crash(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(HARNESS), "--smoke", "300"],
        cwd=tmp_path,  # where libFuzzer would write crash-* files
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    last = run.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"Done 300 runs in \d+ second\(s\)", last), last
    assert sorted(p.name for p in tmp_path.iterdir()) == []
