"""What the fault-injection bench compares: every row of every DuckDB table (listed
from information_schema, so new tables are covered; keys checked for duplicates) and
every LanceDB table (keys unique, columns equal, vectors within :data:`TOLERANCE`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

TOLERANCE = 1e-3  # vectors of the same text embedded in other batches
# Columns whose values come from the clock: compared as "set or not".
CLOCK_COLUMNS = {"repositories": ("added_at", "indexed_at")}
CLOCK_META_KEYS = ("created_at",)  # index_meta rows whose value is a time
# Keys of tables that declare none (declared primary and unique keys are found).
NATURAL_KEYS = {
    "code_symbols": ("blob", "language", "idx"),
    "code_references": ("blob", "language", "idx"),
    "tree_entries": ("tree", "name"),
    "file_changes": ("commit", "path"),
}


def sidecar_of(store: Path) -> Path:
    return store.with_suffix(".lance")


def open_duck(store: Path) -> Any:
    import duckdb

    return duckdb.connect(str(store), read_only=True)


def lance_tables(store: Path) -> dict[str, Any]:
    import lancedb

    from symbiote.indexer.searchtext import table_names

    folder = sidecar_of(store)
    if not folder.exists():
        return {}
    db = lancedb.connect(str(folder))
    return {name: db.open_table(name) for name in table_names(db)}


Contents = dict[str, Any]


def duck_contents(store: Path) -> tuple[Contents, list[str]]:
    """Every table's rows, sorted (clock columns reduced to "set or not"); and the
    duplicate keys found."""
    con = open_duck(store)
    try:
        tables = [
            str(r[0])
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
        ]
        keys: dict[str, list[tuple[str, ...]]] = {}
        for table, columns in con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
        ).fetchall():
            keys.setdefault(str(table), []).append(tuple(columns))
        out: Contents = {}
        dupes: list[str] = []
        for table in tables:
            columns = [
                str(r[0])
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
            select = ", ".join(_column(table, c) for c in columns)
            rows = con.execute(f'SELECT {select} FROM "{table}"').fetchall()
            out[table] = sorted(rows, key=repr)
            for key in keys.get(table, []) + [NATURAL_KEYS.get(table, ())]:
                if not key:
                    continue
                group = ", ".join(f'"{c}"' for c in key)
                found = con.execute(
                    f'SELECT {group}, count(*) FROM "{table}" GROUP BY ALL HAVING count(*) > 1'
                ).fetchall()
                dupes += [f"{table}{key}: {row[:-1]} x{row[-1]}" for row in found[:3]]
        return out, dupes
    finally:
        con.close()


def _column(table: str, column: str) -> str:
    if column in CLOCK_COLUMNS.get(table, ()):
        return f'"{column}" IS NOT NULL'
    if table == "index_meta" and column == "value":
        keys = ", ".join(f"'{k}'" for k in CLOCK_META_KEYS)
        return f"CASE WHEN key IN ({keys}) THEN 'set' ELSE value END"
    return f'"{column}"'


def lance_contents(store: Path) -> tuple[Contents, list[str]]:
    """Every LanceDB table as key -> row; and the duplicate keys found."""
    out: Contents = {}
    dupes: list[str] = []
    for name, table in lance_tables(store).items():
        rows = table.to_arrow().to_pylist()
        counts = Counter(r["key"] for r in rows)
        dupes += [f"{name}: {k} x{n}" for k, n in counts.items() if n > 1][:3]
        out[name] = {r["key"]: r for r in rows}
    return out, dupes


def compare(expected: Contents, got: Contents, what: str, vectors: bool = False) -> list[str]:
    """How ``got`` differs from ``expected`` (empty when equal)."""
    problems: list[str] = []
    if set(got) != set(expected):
        problems.append(f"{what} tables differ: {sorted(got)} != {sorted(expected)}")
    for table in sorted(set(got) & set(expected)):
        want, have = expected[table], got[table]
        if not vectors:
            if have != want:
                missing = list((Counter(map(repr, want)) - Counter(map(repr, have))).elements())
                extra = list((Counter(map(repr, have)) - Counter(map(repr, want))).elements())
                problems.append(
                    f"{what} {table}: {len(have)} rows, expected {len(want)}; "
                    f"{len(missing)} missing (e.g. {missing[:1]}), {len(extra)} unexpected "
                    f"(e.g. {extra[:1]})"
                )
            continue
        if set(have) != set(want):
            problems.append(
                f"{what} {table}: {len(set(want) - set(have))} keys missing, "
                f"{len(set(have) - set(want))} unexpected"
            )
        for key in sorted(set(have) & set(want)):
            if not _same_row(want[key], have[key]):
                problems.append(f"{what} {table}: row {key} differs")
                break
    return problems


def _same_row(want: dict[str, Any], have: dict[str, Any]) -> bool:
    if want.keys() != have.keys():
        return False
    for column, value in want.items():
        if column == "vector":
            pairs = zip(value, have[column], strict=True)
            if max(abs(a - b) for a, b in pairs) >= TOLERANCE:
                return False
        elif value != have[column]:
            return False
    return True
