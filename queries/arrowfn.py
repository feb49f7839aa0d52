"""The Arrow compute functions the read side calls, without ``import pyarrow.compute``.

That import makes a Python wrapper for each of Arrow's ~290 compute functions and parses
their docstrings: ~50 ms, a tenth of a cold ``symbiote find``. The wrappers call
``pyarrow._compute.call_function``, as these functions do, so they compute the same.
Methods of Arrow objects that compute (``take``, ``filter``, ``cast``, ``fill_null``,
``dictionary_encode``) import ``pyarrow.compute`` on their first call; the paths a cold
command takes call these functions instead.
"""

from __future__ import annotations

from typing import Any

from pyarrow import _compute


def equal(values: Any, value: Any) -> Any:
    """Where ``values`` equal ``value`` (booleans; NULL where a value is NULL)."""
    return _compute.call_function("equal", [values, value])


def starts_with(strings: Any, prefix: str) -> Any:
    """Where ``strings`` start with ``prefix``."""
    return _compute.call_function("starts_with", [strings], _compute.MatchSubstringOptions(prefix))


def dictionary_encode(values: Any) -> Any:
    """``values`` as a dictionary array (its distinct values and an index into them)."""
    return _compute.call_function("dictionary_encode", [values])


def cast(values: Any, target: Any) -> Any:
    """``values`` as Arrow type ``target`` (an error where a value does not fit)."""
    return _compute.call_function("cast", [values], _compute.CastOptions.safe(target))


def take(values: Any, indices: Any) -> Any:
    """The rows ``indices`` of ``values`` (an array, a chunked array or a table)."""
    return _compute.call_function("take", [values, indices])


def fill_null(values: Any, fill: Any) -> Any:
    """``values`` with each NULL replaced by ``fill``."""
    return _compute.call_function("coalesce", [values, fill])


def is_in(values: Any, value_set: Any) -> Any:
    """Where ``values`` are among ``value_set``."""
    return _compute.call_function("is_in", [values], _compute.SetLookupOptions(value_set))


def index_in(values: Any, value_set: Any) -> Any:
    """The position of each of ``values`` in ``value_set`` (NULL where absent)."""
    return _compute.call_function("index_in", [values], _compute.SetLookupOptions(value_set))


def sort_indices(table: Any, sort_keys: list[tuple[str, str]]) -> Any:
    """The rows of ``table`` in the order of ``sort_keys`` (``(column, "ascending")``)."""
    return _compute.call_function("sort_indices", [table], _compute.SortOptions(sort_keys))


def run_end_encode(values: Any) -> Any:
    """``values`` as runs: each run's end and value."""
    return _compute.call_function("run_end_encode", [values], _compute.RunEndEncodeOptions())
