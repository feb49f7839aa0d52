"""The MCP tools' parameter types: their Field descriptions and bounds become the
published input schema of each tool."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from symbiote.queries.api import MAX_DEPTH

MAX_RESULTS = 500  # the most results one call returns

At = Annotated[
    str,
    Field(
        min_length=1,
        description="Revision to answer at: a ref name (main, refs/tags/v1, HEAD), a full sha "
        "or unique sha prefix, optionally followed by ~N or ^N (e.g. HEAD~3). Default HEAD.",
    ),
]
Target = Annotated[
    str,
    Field(
        min_length=1,
        description="The definition, as PATH::QUALNAME (e.g. src/app/client.py::Client.send; "
        "PATH relative to the repository root) or a qualified name that is unambiguous at "
        "the commit.",
    ),
]
FilePath = Annotated[
    str,
    Field(min_length=1, description="File path relative to the repository root, e.g. src/app.py."),
]
Depth = Annotated[
    int,
    Field(
        ge=1, le=MAX_DEPTH, description=f"Hops to follow (1 = direct only; at most {MAX_DEPTH})."
    ),
]


def limit(default: int) -> Any:
    """The bounds and description of a `limit` parameter with this default."""
    return Field(
        ge=1,
        le=MAX_RESULTS,
        description=f"At most this many results (1-{MAX_RESULTS}, default {default}).",
    )


Limit50 = Annotated[int, limit(50)]
Limit200 = Annotated[int, limit(200)]
Mode = Annotated[
    Literal["auto", "exact", "qualified", "prefix", "fuzzy"],
    Field(
        description="How to match: auto tries exact name, qualified name, prefix, then fuzzy "
        "(substring/subsequence)."
    ),
]
SqlParam = str | int | float | bool | None
Limit10 = Annotated[int, limit(10)]
Agent = Annotated[str, Field(min_length=1, description="Who records the entry.")]
Supersedes = Annotated[
    str | None, Field(description="The id of an earlier entry this one corrects.")
]
Retracted = Annotated[bool, Field(description="Withdraw the entry named by `supersedes` instead.")]
