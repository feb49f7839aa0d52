"""Vector search engines on the same real embeddings: exact numpy, LanceDB, DuckDB VSS.

The embeddings are real: all-MiniLM-L6-v2 (the default model) over distinct definitions
of a real repository's history, read from a Symbiote store built by
``bench/index_bench.py --keep``. To keep the embedding step to minutes, each text is
the ``# path :: qualname`` header, the signature and the first docstring line, not the
whole body.

For each engine it prints: build time, query p50/p99, recall@10 against exact search,
filtered search (scope = the definitions at HEAD) correctness, storage size, and the
behaviour after a reopen and after inserts. Then it writes the search sidecar of the
store for those definitions and measures hybrid search through the public API at HEAD
and at an old commit.

Usage::

    python -m bench.index_bench ~/src/sqlalchemy --keep /tmp/sa.duckdb
    pip install duckdb-extension-vss==1.5.5
    python -m bench.vector_bench --store /tmp/sa.duckdb --repo ~/src/sqlalchemy \
        [--n 120000] [--cache /tmp/sa_vectors.npz] [--old-rev rel_1_0]

Targets (issue 4): hybrid search p50 <= 50 ms; vector k-NN recall@10 >= 0.95 against
exact search at 100k+ definitions.
"""

from __future__ import annotations

import argparse
import glob
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import lancedb
import numpy as np
import pyarrow as pa

from symbiote.indexer.embed_onnx import MiniLM
from symbiote.indexer.searchtext import content_key, snippet, term_counts
from symbiote.indexer.sidecar import Sidecar
from symbiote.queries import SearchOptions, open_index

K = 10
QUERIES = 200


def ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:7.2f} ms  p99 {p99 * 1000:7.2f} ms"


def size(path: Path) -> str:
    total = (
        sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        if path.is_dir()
        else (path.stat().st_size)
    )
    return f"{total / 2**20:.0f} MiB"


def load_definitions(store: Path, n: int) -> tuple[list[dict[str, Any]], set[str]]:
    """``n`` distinct definitions (all of HEAD's first), and the keys at HEAD."""
    con = duckdb.connect(str(store), read_only=True)
    head = con.execute(
        "SELECT DISTINCT qualified_name, kind, body_hash, docstring, path, signature "
        "FROM symbols_at('HEAD') ORDER BY ALL"
    ).fetchall()
    rest = con.execute(
        "SELECT qualified_name, kind, body_hash, any_value(docstring), "
        "any_value(blob), any_value(signature) FROM code_symbols "
        "GROUP BY qualified_name, kind, body_hash ORDER BY hash(body_hash, qualified_name) "
        "LIMIT ?",
        [n],
    ).fetchall()
    con.close()
    rows: dict[str, dict[str, Any]] = {}
    for q, kind, body, doc, path, sig in head:
        rows.setdefault(
            content_key(q, kind, body, doc), {"q": q, "path": path, "sig": sig, "doc": doc}
        )
    head_keys = set(rows)
    for q, kind, body, doc, blob, sig in rest:
        if len(rows) >= n:
            break
        rows.setdefault(
            content_key(q, kind, body, doc), {"q": q, "path": blob[:12], "sig": sig, "doc": doc}
        )
    out = [{"key": k, **v} for k, v in rows.items()]
    return out, head_keys


def text_of(row: dict[str, Any]) -> str:
    doc = (row["doc"] or "").strip().splitlines()[:1]
    return "\n".join([f"# {row['path']} :: {row['q']}", row["sig"], *doc])


def embed_all(rows: list[dict[str, Any]], cache: Path | None) -> np.ndarray:
    if cache and cache.exists():
        data = np.load(cache, allow_pickle=False)
        position = {str(k): i for i, k in enumerate(data["keys"])}
        if all(r["key"] in position for r in rows):
            return np.asarray(data["vectors"])[[position[r["key"]] for r in rows]]
    model = MiniLM(max_tokens=64)
    texts = [text_of(r) for r in rows]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), model.dimension), dtype=np.float32)
    started = time.monotonic()
    for s in range(0, len(order), 64):
        idx = order[s : s + 64]
        out[idx] = model.embed([texts[i] for i in idx])
        if s % 6400 == 0:
            print(f"  embedded {s}/{len(texts)}", file=sys.stderr)
    took = time.monotonic() - started
    print(f"embedding: {len(texts)} texts in {took:.0f} s = {len(texts) / took:.0f}/s")
    if cache:
        np.savez(cache, keys=np.array([r["key"] for r in rows]), vectors=out)
    return out


def exact(matrix: np.ndarray, q: np.ndarray, rows: np.ndarray | None = None) -> list[int]:
    if rows is None:
        scores = matrix @ q
        return [int(i) for i in np.argsort(-scores)[:K]]
    scores = matrix[rows] @ q
    return [int(rows[i]) for i in np.argsort(-scores)[:K]]


def recall(found: list[list[int]], truth: list[list[int]]) -> float:
    return statistics.mean(len(set(f) & set(t)) / K for f, t in zip(found, truth, strict=True))


def bench_lancedb(
    tmp: Path,
    matrix: np.ndarray,
    scope: np.ndarray,
    qs: np.ndarray,
    truth: list[list[int]],
    truth_scoped: list[list[int]],
    index_type: str,
) -> None:
    path = tmp / f"lance-{index_type}"
    db = lancedb.connect(str(path))
    n, d = matrix.shape
    in_scope = np.zeros(n, dtype=bool)
    in_scope[scope] = True
    table = db.create_table(
        "v",
        pa.table(
            {
                "id": pa.array(np.arange(n)),
                "in_scope": pa.array(in_scope),
                "vector": pa.FixedSizeListArray.from_arrays(pa.array(matrix.ravel()), d),
            }
        ),
    )
    started = time.monotonic()
    if index_type == "IVF_PQ":
        table.create_index(
            metric="cosine",
            vector_column_name="vector",
            index_type="IVF_PQ",
            num_partitions=int(np.sqrt(n)),
            num_sub_vectors=48,
        )
    else:
        table.create_index(
            metric="cosine",
            vector_column_name="vector",
            index_type="IVF_HNSW_SQ",
            num_partitions=int(np.sqrt(n) / 4),
        )
    table.create_scalar_index("in_scope", index_type="BITMAP")
    build = time.monotonic() - started

    def run(where: str | None) -> tuple[list[list[int]], list[float]]:
        found, lat = [], []
        for q in qs:
            t0 = time.perf_counter()
            s = table.search(q).metric("cosine").nprobes(50).refine_factor(10)
            if where:
                s = s.where(where, prefilter=True)
            r = s.limit(K).select(["id"]).to_arrow()
            lat.append(time.perf_counter() - t0)
            found.append(r["id"].to_pylist())
        return found, lat

    found, lat = run(None)
    print(
        f"lancedb {index_type:<12} build {build:6.1f} s  {ms(lat)}  "
        f"recall@10 {recall(found, truth):.3f}  size {size(path)}"
    )
    found, lat = run("in_scope")
    print(f"  filtered (prefilter)     {ms(lat)}  recall@10 {recall(found, truth_scoped):.3f}")
    table.add(
        pa.table(
            {
                "id": pa.array(np.arange(n, n + 100)),
                "in_scope": pa.array(np.zeros(100, dtype=bool)),
                "vector": pa.FixedSizeListArray.from_arrays(pa.array(qs[:100].ravel()), d),
            }
        )
    )
    reopened = lancedb.connect(str(path)).open_table("v")
    hits = [
        reopened.search(q).metric("cosine").nprobes(50).limit(1).to_arrow()["id"][0].as_py()
        for q in qs[:100]
    ]
    print(
        f"  after reopen + 100 inserts (unindexed rows searched flat): "
        f"{sum(h == n + i for i, h in enumerate(hits))}/100 inserted vectors found first"
    )


def bench_vss(
    tmp: Path,
    matrix: np.ndarray,
    scope: np.ndarray,
    qs: np.ndarray,
    truth: list[list[int]],
    truth_scoped: list[list[int]],
) -> None:
    found_ext = glob.glob(
        str(
            Path(duckdb.__file__).parent.parent
            / "duckdb_extension_vss"
            / "**"
            / "vss.duckdb_extension"
        ),
        recursive=True,
    )
    if not found_ext:
        print("duckdb vss: not installed (pip install duckdb-extension-vss==1.5.5); skipped")
        return
    path = tmp / "vss.duckdb"
    config = {"allow_unsigned_extensions": "true"}
    con = duckdb.connect(str(path), config=config)
    con.execute(f"LOAD '{found_ext[0]}'")
    con.execute("SET hnsw_enable_experimental_persistence = true")
    n, d = matrix.shape
    in_scope = np.zeros(n, dtype=bool)
    in_scope[scope] = True
    arrow = pa.table(
        {
            "id": pa.array(np.arange(n)),
            "in_scope": pa.array(in_scope),
            "vec": pa.FixedSizeListArray.from_arrays(pa.array(matrix.ravel()), d),
        }
    )
    con.register("incoming", arrow)
    con.execute(f"CREATE TABLE v AS SELECT id, in_scope, vec::FLOAT[{d}] AS vec FROM incoming")
    started = time.monotonic()
    con.execute("CREATE INDEX hnsw ON v USING HNSW (vec) WITH (metric = 'cosine')")
    build = time.monotonic() - started
    con.execute("CHECKPOINT")

    def run(c: Any, where: str) -> tuple[list[list[int]], list[float]]:
        found, lat = [], []
        for q in qs:
            literal = "[" + ",".join(f"{x:.7f}" for x in q) + f"]::FLOAT[{d}]"
            t0 = time.perf_counter()
            rows = c.execute(
                f"SELECT id FROM v {where} ORDER BY array_cosine_distance(vec, {literal}) LIMIT {K}"
            ).fetchall()
            lat.append(time.perf_counter() - t0)
            found.append([r[0] for r in rows])
        return found, lat

    found, lat = run(con, "")
    print(
        f"duckdb vss HNSW       build {build:6.1f} s  {ms(lat)}  "
        f"recall@10 {recall(found, truth):.3f}  size {size(path)}"
    )
    found, lat = run(con, "WHERE in_scope")
    lost = statistics.mean(K - len(f) for f in found)
    print(
        f"  filtered (WHERE)         {ms(lat)}  recall@10 {recall(found, truth_scoped):.3f}  "
        f"rows missing per query {lost:.1f}"
    )
    con.close()
    con = duckdb.connect(str(path), config=config)
    con.execute(f"LOAD '{found_ext[0]}'")
    found, lat = run(con, "")
    print(f"  after reopen             {ms(lat)}  recall@10 {recall(found, truth):.3f}")
    inserted = pa.table(
        {
            "id": pa.array(np.arange(n, n + 100)),
            "in_scope": pa.array(np.zeros(100, dtype=bool)),
            "vec": pa.FixedSizeListArray.from_arrays(pa.array(qs[:100].ravel()), d),
        }
    )
    con.register("inserted", inserted)
    started = time.monotonic()
    con.execute(f"INSERT INTO v SELECT id, in_scope, vec::FLOAT[{d}] FROM inserted")
    took = time.monotonic() - started
    hits = []
    for q in qs[:100]:
        literal = "[" + ",".join(f"{x:.7f}" for x in q) + f"]::FLOAT[{d}]"
        row = con.execute(
            f"SELECT id FROM v ORDER BY array_cosine_distance(vec, {literal}) LIMIT 1"
        ).fetchone()
        hits.append(row[0] if row else None)
    found_first = sum(h == n + i for i, h in enumerate(hits))
    print(
        f"  after 100 inserts ({took:.2f} s, index updated): "
        f"{found_first}/100 inserted vectors found first"
    )
    con.close()


def bench_sidecar(
    args: argparse.Namespace, rows: list[dict[str, Any]], matrix: np.ndarray, qtexts: list[str]
) -> None:
    """Write the store's search sidecar for these definitions; hybrid search via the API."""
    target = Path(args.store).with_suffix(".lance")
    if target.exists():
        shutil.rmtree(target)
    model = MiniLM()
    sidecar = Sidecar(target)
    for s in range(0, len(rows), 20000):
        chunk = rows[s : s + 20000]
        texts = [text_of(r) for r in chunk]
        postings = [term_counts(t) for t in texts]
        sidecar.add_docs(
            pa.table(
                {
                    "key": [r["key"] for r in chunk],
                    "path": [r["path"] for r in chunk],
                    "qualified_name": [r["q"] for r in chunk],
                    "snippet": [snippet(r["sig"]) for r in chunk],
                    "term_ids": [p[0] for p in postings],
                    "term_tf": [p[1] for p in postings],
                    "length": [p[2] for p in postings],
                }
            )
        )
        sidecar.add_vectors(
            model.model_id,
            model.dimension,
            pa.table(
                {
                    "key": [r["key"] for r in chunk],
                    "vector": pa.FixedSizeListArray.from_arrays(
                        pa.array(matrix[s : s + 20000].ravel()), model.dimension
                    ),
                }
            ),
        )
    sidecar.compact()
    with open_index(args.repo, store=args.store, embedder=model) as index:
        for rev in ("HEAD", args.old_rev):
            t0 = time.perf_counter()
            index.search("warm up", at=rev)
            first = time.perf_counter() - t0
            cover = index.search_coverage(at=rev)
            for mode in ("hybrid", "vector", "text"):
                lat = []
                for q in qtexts:
                    t0 = time.perf_counter()
                    index.search(q, at=rev, options=SearchOptions(mode=mode, k=10))
                    lat.append(time.perf_counter() - t0)
                print(
                    f"api search {mode:<6} at {rev:<8} {ms(lat)}  (scope {cover.keys} keys, "
                    f"{cover.embedded} embedded; first query {first:.2f} s)"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="a Symbiote store of a real repo")
    parser.add_argument("--repo", required=True, help="that repository")
    parser.add_argument("--n", type=int, default=120_000, help="distinct definitions")
    parser.add_argument("--cache", type=Path, default=None, help="reuse embeddings (.npz)")
    parser.add_argument("--old-rev", default="HEAD~3000", help="an older commit to search at")
    parser.add_argument("--skip-hnsw", action="store_true", help="skip LanceDB IVF_HNSW_SQ")
    parser.add_argument("--only-vss", action="store_true", help="only DuckDB VSS (and exact)")
    parser.add_argument("--skip-api", action="store_true", help="skip the sidecar/API part")
    args = parser.parse_args()
    rows, head_keys = load_definitions(Path(args.store), args.n)
    if args.skip_api and args.cache and args.cache.exists():
        # The engines need only the vectors and HEAD's keys: take the cache as it is
        # (its non-HEAD sample may differ: any_value picks docstrings freely).
        data = np.load(args.cache, allow_pickle=False)
        cached = {str(k) for k in data["keys"]}
        by_key = {r["key"]: r for r in rows}
        rows = [by_key.get(str(k)) or {"key": str(k), "q": "", "doc": None} for k in data["keys"]]
        print(f"cache: {len(cached & head_keys)} of {len(head_keys)} HEAD keys present")
        matrix = np.asarray(data["vectors"])
    else:
        matrix = embed_all(rows, args.cache)
    print(f"{len(rows)} distinct definitions ({len(head_keys)} at HEAD)")
    rng = np.random.default_rng(7)
    model = MiniLM()
    qtexts = [
        f"{r['q'].split('.')[-1].replace('_', ' ')} {(r['doc'] or '').split('.')[0]}"
        for r in (rows[i] for i in rng.choice(len(rows), QUERIES, replace=False))
    ]
    qs = model.embed(qtexts)
    scope = np.array([i for i, r in enumerate(rows) if r["key"] in head_keys])
    t_exact, truth, truth_scoped = [], [], []
    for q in qs:
        t0 = time.perf_counter()
        truth.append(exact(matrix, q))
        t_exact.append(time.perf_counter() - t0)
        truth_scoped.append(exact(matrix, q, scope))
    print(
        f"exact numpy (all {len(rows)})      {ms(t_exact)}  recall@10 1.000  "
        f"(matrix {matrix.nbytes / 2**20:.0f} MiB in memory)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        if not args.only_vss:
            bench_lancedb(Path(tmp), matrix, scope, qs, truth, truth_scoped, "IVF_PQ")
        if not (args.skip_hnsw or args.only_vss):
            bench_lancedb(Path(tmp), matrix, scope, qs, truth, truth_scoped, "IVF_HNSW_SQ")
        bench_vss(Path(tmp), matrix, scope, qs, truth, truth_scoped)
    if not args.skip_api:
        bench_sidecar(args, rows, matrix, qtexts[:100])


if __name__ == "__main__":
    main()
