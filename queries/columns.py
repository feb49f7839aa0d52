"""A commit's rows as Arrow tables made Python columns: compact lists (equal texts
one object, spans packed), row numbers grouped by a column's values, and rows placed at
the paths that hold their blobs."""

from __future__ import annotations

import array
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar, overload

import numpy as np
import pyarrow as pa

from symbiote.queries import arrowfn

# Arrow's int32 data is little-endian; a C int of this machine reads it in place.
_LITTLE_INT32 = sys.byteorder == "little" and array.array("i").itemsize == 4


class Columns:
    """Columns of an Arrow table as Python lists, each converted on first use; ``extra``
    columns are given ready-made."""

    def __init__(self, table: pa.Table, extra: dict[str, list[Any]]) -> None:
        self._table = table
        self._values: dict[str, Sequence[Any]] = dict(extra)
        self._length: int = table.num_rows

    def __getitem__(self, name: str) -> Sequence[Any]:
        values = self._values.get(name)
        if values is None:
            values = self._values[name] = pylist(self._table.column(name))
        return values

    def __len__(self) -> int:
        return self._length


def encoded(table: pa.Table, names: Sequence[str]) -> pa.Table:
    """``table`` with its text columns ``names`` dictionary-encoded, one dictionary and
    one chunk per column: a commit's references repeat a few thousand blobs, names and
    kinds (sqlalchemy's HEAD: 88 MB of plain text columns)."""
    for name in names:
        i = table.schema.get_field_index(name)
        if i >= 0 and pa.types.is_string(table.schema.field(i).type):
            table = table.set_column(i, name, arrowfn.dictionary_encode(table.column(i)))
    return table.unify_dictionaries().combine_chunks()


def _text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A text column as plain strings."""
    return arrowfn.cast(column, pa.string()) if pa.types.is_dictionary(column.type) else column


def _codes(column: pa.ChunkedArray) -> tuple[list[Any], Any]:
    """A column's distinct values and each row's index into them (NULL: one past the
    last)."""
    dictionary, codes = _dictionary(column)
    words: list[Any] = dictionary.to_pylist()
    return words, codes


def _dictionary(column: pa.ChunkedArray) -> tuple[pa.Array, Any]:
    """A column's distinct values, as Arrow holds them, and each row's index into them
    (NULL: one past the last)."""
    if pa.types.is_dictionary(column.type):
        codes = column.unify_dictionaries().combine_chunks()
    else:
        codes = arrowfn.dictionary_encode(column).combine_chunks()
    indices = codes.indices
    if indices.null_count:
        indices = arrowfn.fill_null(indices, pa.scalar(len(codes.dictionary), indices.type))
    return codes.dictionary, indices.to_numpy(zero_copy_only=False)


def placed(table: pa.Table, paths_of: Mapping[tuple[str, str | None], list[str]]) -> pa.Table:
    """One row per (row of ``table``, path holding its blob and language, as
    ``paths_of`` says), with a ``path`` column; rows of blobs at no path are dropped."""
    # Each row's (blob, language) pair as one number, from the columns' dictionary codes:
    # no text is made per row (for sqlalchemy's 465,000 references at HEAD, joining the
    # two as strings took ~40 MB for a moment).
    blobs, blob_codes = _codes(table.column("blob"))
    languages, language_codes = _codes(table.column("language"))
    blobs.append(None)  # a NULL's code: one past the last
    languages.append(None)
    width = len(languages)
    pairs, rows_pair = np.unique(
        np.asarray(blob_codes, dtype=np.int64) * width + language_codes, return_inverse=True
    )
    holders = [
        paths_of.get((blobs[pair // width], languages[pair % width] or None), [])
        for pair in pairs.tolist()
    ]
    indices = pa.array(np.asarray(rows_pair, dtype=np.int32).reshape(-1))
    if all(len(paths) <= 1 for paths in holders):  # the usual case: one path per blob
        # A blob at no path gets "" (its rows are dropped below): Arrow cannot unify
        # dictionaries that hold NULLs.
        first = pa.array([p[0] if p else "" for p in holders], pa.string())
        table = table.append_column("path", pa.DictionaryArray.from_arrays(indices, first))
        if any(not p for p in holders):  # blobs at no path (a working tree's old ones)
            held = np.array([bool(p) for p in holders], dtype=bool)
            table = table.filter(pa.array(held[rows_pair.reshape(-1)]))
        return table
    keep: list[int] = []
    kept_paths: list[str] = []
    for row, key in enumerate(rows_pair.reshape(-1).tolist()):
        for path in holders[key]:
            keep.append(row)
            kept_paths.append(path)
    taken = table.take(pa.array(keep, pa.int64()))
    return taken.append_column("path", pa.array(kept_paths, pa.string()))


def of_blobs_in(table: pa.Table, blobs: frozenset[str]) -> pa.Table:
    """The rows of ``table`` whose ``blob`` is one of ``blobs``, in their order."""
    words, codes = _codes(table.column("blob"))
    wanted = np.array([word in blobs for word in words] + [False], dtype=bool)
    return table.filter(pa.array(wanted[codes]))


def in_store_order(parts: Sequence[pa.Table]) -> pa.Table:
    """Rows of one kind put together (the same columns; text columns dictionary-encoded
    alike), one dictionary and one chunk per column, ordered by ``store_row`` (the row
    id in the store's table): the order a scan of the store gives them."""
    schema = parts[0].schema
    table = pa.concat_tables([p if p.schema.equals(schema) else p.cast(schema) for p in parts])
    rows = table.column("store_row").to_numpy()
    if len(rows) > 1 and not bool(np.all(rows[1:] > rows[:-1])):
        # Taken before the chunks are joined: taking gathers each column once (joining
        # first and then taking copied the large tables twice: 0.56 -> 0.02 s for a
        # release's references made from HEAD's).
        table = table.take(pa.array(np.argsort(rows, kind="stable")))
    return table.unify_dictionaries().combine_chunks()


def with_enclosing(refs: pa.Table, symbols: pa.Table) -> pa.Table:
    """``refs`` (rows of ``code_references``) with an ``enclosing`` column: the qualified
    name of the definition their ``enclosing_idx`` names in the same blob and language,
    found among ``symbols`` (rows of ``code_symbols`` holding those blobs). The store
    keeps the column too, but reading it back is most of a commit's load (sqlalchemy's
    HEAD: ~0.6 s of 1.5 s for 465,000 references), and the definitions are loaded already.
    """
    blob_words, sym_blob = _codes(symbols.column("blob"))
    language_words, sym_language = _codes(symbols.column("language"))
    blob_at = {word: i for i, word in enumerate(blob_words)}
    language_at = {word: i for i, word in enumerate(language_words)}
    ref_blob_words, ref_blob = _codes(refs.column("blob"))
    ref_language_words, ref_language = _codes(refs.column("language"))
    # The references' codes in the definitions' numbering (-1: no definition has it;
    # the last entry is a NULL's code).
    blob_map = np.array([*(blob_at.get(w, -1) for w in ref_blob_words), -1], dtype=np.int64)
    language_map = np.array(
        [*(language_at.get(w, -1) for w in ref_language_words), -1], dtype=np.int64
    )
    sym_idx = symbols.column("idx").to_numpy().astype(np.int64)
    languages = len(language_words) + 1
    width = int(sym_idx.max()) + 1 if len(sym_idx) else 1
    sym_key = (sym_blob.astype(np.int64) * languages + sym_language) * width + sym_idx
    order = np.argsort(sym_key, kind="stable")
    keys = sym_key[order]
    blob, language = blob_map[ref_blob], language_map[ref_language]
    enclosing = refs.column("enclosing_idx")
    idx = arrowfn.fill_null(enclosing, pa.scalar(-1, enclosing.type)).to_numpy().astype(np.int64)
    valid = (blob >= 0) & (language >= 0) & (idx >= 0) & (idx < width)
    ref_key = (blob * languages + language) * width + idx
    at = np.minimum(np.searchsorted(keys, ref_key), max(len(keys) - 1, 0))
    found = valid & (keys[at] == ref_key) if len(keys) else np.zeros(len(ref_key), bool)
    names, name_codes = _dictionary(symbols.column("qualified_name"))
    codes = name_codes[order[at]] if len(keys) else np.zeros(len(ref_key), np.int64)
    indices = pa.array(codes.astype(np.int32), mask=~found)
    return refs.append_column("enclosing", pa.DictionaryArray.from_arrays(indices, names))


def pylist(column: pa.ChunkedArray) -> Sequence[Any]:
    """A column as a Python list; a text column's equal values are one ``str`` object
    (a commit's half a million references repeat a few thousand paths and names: one
    object per row held ~60 bytes per value, hundreds of MB per snapshot)."""
    if pa.types.is_int32(column.type) and column.null_count == 0:
        # Four bytes a row instead of an int object each (spans: ~100 MB a snapshot),
        # read in place: a mapped snapshot file's own bytes, when it is one chunk.
        if column.num_chunks == 1 and _LITTLE_INT32:
            chunk = column.chunk(0)
            start = chunk.offset * 4
            data = memoryview(chunk.buffers()[1]).cast("B")
            return data[start : start + 4 * len(chunk)].cast("i")
        return _row_numbers(column.to_numpy())
    if pa.types.is_list(column.type):
        return Rowwise(column.combine_chunks())  # read a row at a time (sketches, hints)
    text = pa.types.is_string(column.type) or pa.types.is_dictionary(column.type)
    if not text or len(column) == 0:
        return column.to_pylist()  # type: ignore[no-any-return]
    dictionary, codes = _dictionary(column)
    words: Sequence[Any]
    if len(dictionary) > _LISTED_WORDS and Words.fits(dictionary):
        words = Words(dictionary)
    else:
        words = [*dictionary.to_pylist(), None]
    return Coded(words, np.ascontiguousarray(codes).data)


# Columns with more distinct values than this keep them as Arrow holds them, each made a
# str when read (qualified names, signatures, docstrings, contexts: ~30 MB of str objects
# on sqlalchemy's HEAD, most never read); fewer are a list (names, kinds, paths).
_LISTED_WORDS = 4096


class Coded(Sequence[Any]):
    """A text column as its distinct values and each row's index into them: 4 bytes a
    row, read in place from a dictionary-encoded Arrow column (a list of one object
    reference a row held 8, ~30 MB for a large commit's references)."""

    __slots__ = ("_codes", "_words")

    def __init__(self, words: Sequence[Any], codes: memoryview) -> None:
        self._words, self._codes = words, codes

    def __len__(self) -> int:
        return len(self._codes)

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...

    def __getitem__(self, i: int | slice) -> Any:
        try:
            return self._words[self._codes[i]]  # type: ignore[index]
        except TypeError:  # a slice: its codes are a view
            return [self._words[c] for c in self._codes[i]]  # type: ignore[union-attr]

    def __iter__(self) -> Iterator[Any]:
        return map(self._words.__getitem__, self._codes)


class Rowwise(Sequence[Any]):
    """A column whose values are made Python objects one at a time, when read."""

    def __init__(self, values: pa.Array) -> None:
        self._values = values

    def __len__(self) -> int:
        return len(self._values)

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return self._values[i].to_pylist()
        return self._values[i].as_py()


T = TypeVar("T")


class Lazy(Sequence[T]):
    """A sequence whose items are made when first read (:meth:`_at`); a slice reads
    each of its items."""

    def __len__(self) -> int:
        raise NotImplementedError

    def _at(self, i: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(len(self)))]
        return self._at(i)


class Words(Lazy[Any]):
    """The values of an Arrow string array, each made a str when read, and None one
    past the last (a NULL code)."""

    __slots__ = ("_data", "_length", "_offsets")

    def __init__(self, values: pa.Array) -> None:
        _, offsets, data = values.buffers()
        start = values.offset * 4
        self._offsets = memoryview(offsets).cast("B")[start : start + 4 * (len(values) + 1)]
        self._offsets = self._offsets.cast("i")
        self._data = memoryview(data).cast("B") if data is not None else memoryview(b"")
        self._length = len(values)

    @staticmethod
    def fits(values: pa.Array) -> bool:
        """Whether ``values`` can be read so: strings with no NULL, int32 offsets."""
        return bool(pa.types.is_string(values.type) and not values.null_count and _LITTLE_INT32)

    def __len__(self) -> int:
        return self._length + 1

    def _at(self, i: int) -> Any:
        if i == self._length:
            return None
        offsets = self._offsets
        return str(self._data[offsets[i] : offsets[i + 1]], "utf-8")


# Row numbers of one group: four bytes a row (a list of int objects held ~40 bytes a row,
# tens of MB for the groupings of a large commit's references and definitions).
RowNumbers = array.array  # of "i"


def _row_numbers(values: Any) -> RowNumbers[int]:
    numbers: RowNumbers[int] = array.array("i")
    numbers.frombytes(np.asarray(values).astype(np.intc, copy=False).tobytes())
    return numbers


def group_rows(table: pa.Table, sort_keys: list[tuple[str, str]]) -> dict[str, RowNumbers[int]]:
    """Row numbers by the value of the first sort key's column, each group in the order
    of all ``sort_keys`` (ascending; the sort is stable); the values in order, as
    Arrow sorts them (by bytes, NULL last)."""
    first = table.column(sort_keys[0][0])
    rest = [table.column(name) for name, _ in sort_keys[1:]]
    if any(c.null_count or not pa.types.is_integer(c.type) for c in rest) or len(first) == 0:
        return group_rows_arrow(table, sort_keys)
    words, codes = _codes(first)
    words.append(None)  # NULL (and a NULL in a dictionary): one group, last
    null = len(words) - 1
    codes = np.where(np.array([w is None for w in words])[codes], null, codes)
    # Code point order is UTF-8 byte order (Arrow's) for the valid text Arrow holds.
    ranked = sorted((k for k, w in enumerate(words) if w is not None), key=words.__getitem__)
    ranked.append(null)
    rank = np.full(len(words), len(ranked) - 1, dtype=np.int64)
    rank[ranked] = np.arange(len(ranked))
    primary = rank[codes]
    keys = [c.to_numpy() for c in reversed(rest)]
    order = _row_numbers(np.lexsort([*keys, primary]))  # stable: the last key sorts first
    counts = np.bincount(primary, minlength=len(ranked)).tolist()
    groups: dict[str, RowNumbers[int]] = {}
    start = 0
    for position, k in enumerate(ranked):
        end = start + counts[position]
        if end > start:
            groups[words[k]] = order[start:end]
        start = end
    return groups


def group_rows_arrow(
    table: pa.Table, sort_keys: list[tuple[str, str]]
) -> dict[str, RowNumbers[int]]:
    """:func:`group_rows` by an Arrow sort (any column types)."""
    if not table.num_rows:
        return {}
    for name, _ in sort_keys:
        i = table.schema.get_field_index(name)
        table = table.set_column(i, name, _text(table.column(i)))
    indices = arrowfn.sort_indices(table, sort_keys)
    order = _row_numbers(indices.to_numpy())
    runs = arrowfn.run_end_encode(arrowfn.take(table.column(sort_keys[0][0]), indices))
    runs = runs.combine_chunks()
    ends = runs.run_ends.to_pylist()
    starts = [0, *ends][:-1]
    return {
        value: order[start:end]
        for value, start, end in zip(runs.values.to_pylist(), starts, ends, strict=True)
    }
