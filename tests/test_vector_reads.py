"""A search's vectors are read from the search sidecar's Arrow copy a block at a time
(symbiote.queries.vectors.StoredMatrix): ranking every row holds one block, not the
copy's mapped pages, and gives what the matrix in memory gives.

A real LanceDB sidecar written with the writer's API, its real Arrow copy; memory is
measured in a fresh process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from symbiote.indexer.sidecar import Sidecar
from symbiote.queries.vectors import BLOCK_ROWS, SidecarReader, rows_of

MODEL, DIMENSION = "test-model@1", 384
ROWS = 24 * BLOCK_ROWS + 7  # ~38 MB of float32: whole blocks and a short last one


def _write(path: Path, rows: int, seed: int = 7) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((rows, DIMENSION), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    keys = [f"key-{i:06d}" for i in range(rows)]
    flat = pa.array(vectors.reshape(-1), pa.float32())
    table = pa.table({"key": keys, "vector": pa.FixedSizeListArray.from_arrays(flat, DIMENSION)})
    sidecar = Sidecar(path)
    sidecar.add_vectors(MODEL, DIMENSION, table)
    sidecar.copy_tables()
    return vectors


@pytest.fixture(scope="module")
def sidecar(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    path = tmp_path_factory.mktemp("vectors") / "index.lance"
    return path, _write(path, ROWS)


def test_rows_read_from_the_copy_are_the_matrix(sidecar: tuple[Path, np.ndarray]) -> None:
    path, written = sidecar
    vectors = SidecarReader(path).vectors(MODEL)
    assert vectors.stored is not None  # read from the copy's file, not through its mapping
    query = written[5]
    assert np.allclose(vectors.dot(query), written @ query, atol=1e-6)
    rows = np.array([ROWS - 1, 0, 3 * BLOCK_ROWS, 5, 5, BLOCK_ROWS - 1], dtype=np.int64)
    assert np.array_equal(vectors.take(rows), written[rows])


def test_keys_find_their_first_row(sidecar: tuple[Path, np.ndarray]) -> None:
    path, _ = sidecar
    keys = SidecarReader(path).vectors(MODEL).keys
    found = rows_of(keys, ["key-000003", "missing", "key-000000", f"key-{ROWS - 1:06d}"])
    assert found.tolist() == [3, -1, 0, ROWS - 1]
    assert rows_of(pa.array(["a", "b", "a"]), ["a", "b"]).tolist() == [0, 1]
    assert rows_of(keys, []).tolist() == []


# Rank every row ten times; what the process holds more than before, in MiB.
RANK = """
import sys
from pathlib import Path
import numpy as np
from symbiote.queries.vectors import SidecarReader

def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024

vectors = SidecarReader(Path(sys.argv[1])).vectors(sys.argv[2])
query = np.ones(vectors.matrix.shape[1], dtype=np.float32)
before = rss()
for _ in range(10):
    scores = vectors.dot(query)
print(rss() - before)
"""


def test_ranking_every_row_holds_a_block_not_the_file(sidecar: tuple[Path, np.ndarray]) -> None:
    path, written = sidecar
    done = subprocess.run(
        [sys.executable, "-c", RANK, str(path), MODEL], capture_output=True, text=True, check=True
    )
    # Through the mapping, every page of the ~38 MB would stay resident.
    assert written.nbytes > 36 << 20
    assert int(done.stdout) < 8, done.stdout


def test_a_scopes_members_are_each_keys_symbols_in_order() -> None:
    from symbiote.queries.search import Members

    members = Members.of(np.array([2, 0, 2, 1, 0, 2], dtype=np.int64), 4)  # key 3: none
    assert len(members) == 4
    assert [members[k] for k in range(4)] == [[1, 4], [3], [0, 2, 5], []]
    assert list(members) == [[1, 4], [3], [0, 2, 5], []]
    assert members.sizes().tolist() == [2, 1, 3, 0]
