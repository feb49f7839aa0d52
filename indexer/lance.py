"""LanceDB: the one module that imports it.

Both sides reach the search sidecar's LanceDB folder through here: the writer
(:mod:`symbiote.indexer.sidecar`) and the reader (:mod:`symbiote.queries.vectors`)
connect with :func:`connect`, and run their table calls inside :func:`translated`, which
turns whatever LanceDB raises (its errors are untyped: ``ValueError``, ``OSError``,
``RuntimeError``, ...) into :class:`~symbiote.indexer.errors.StoreError`. lancedb takes
2+ s to import, so it is imported on the first connection only.

The module imports nothing of the writer, so the read side may use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from symbiote.indexer.errors import StoreError, SymbioteError

T = TypeVar("T")


@contextmanager
def translated(what: str) -> Iterator[None]:
    """Run a block of LanceDB calls; anything it raises (other than our own errors)
    leaves it as :class:`StoreError` whose message starts with ``what``."""
    try:
        yield
    except SymbioteError:
        raise
    except Exception as exc:  # lancedb raises untyped errors
        raise StoreError(f"{what}: {exc}") from exc


def guarded(call: Callable[[], T], what: str) -> T:
    """``call()`` inside :func:`translated`."""
    with translated(what):
        return call()


def preload() -> None:
    """Import lancedb now (a long-lived process that will write the sidecar)."""
    with translated("cannot load lancedb"):
        import lancedb  # noqa: F401


def connect(path: Path) -> Any:
    """The LanceDB database in the folder ``path`` (created on first write)."""
    with translated(f"cannot open the search sidecar {path}"):
        import lancedb

        return lancedb.connect(str(path))


def whole_table(db: Any, name: str) -> Any:
    """Every row and column of table ``name`` as an Arrow table, schema metadata kept."""
    with translated(f"search sidecar: cannot read {name}"):
        table = db.open_table(name)
        return table.to_arrow().replace_schema_metadata(table.schema.metadata)
