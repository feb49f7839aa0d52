"""The answer of every verb on every surface (CLI text, ``--json``, MCP, the owner's
protocol): one envelope, one error shape, pages, and the checking of arguments.

Success::

    {"ok": true, "commit": "<sha>" | null, "results": [...], "truncated": false,
     "total": N | null, "total_exact": true, "next": null, ...more fields}

``truncated`` says results were left out; ``next`` is then the cursor that asks for the
rest (pass it back with the same arguments); ``total`` counts all results (a lower bound
when ``total_exact`` is false). Error::

    {"ok": false, "error": {"type": "<ErrorClass>", "message": "..."}}
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from symbiote.cli.verbs import MISSING, Outcome, Param, Verb, briefed, plain
from symbiote.indexer.errors import InvalidArgument, StoreLocked

PAGING = frozenset({"limit", "cursor", "max_chars"})
CUT = (
    "a result was shortened to fit max_chars: long texts end in ..., long lists keep their "
    "first items"
)


def failure(kind: str, message: str) -> dict[str, Any]:
    """The one error shape."""
    return {"ok": False, "error": {"type": kind, "message": message}}


def error_payload(exc: BaseException) -> dict[str, Any]:
    """The error shape of an exception (its class name and message; the holder's pid
    for a held store)."""
    payload = failure(type(exc).__name__, str(exc) or type(exc).__name__)
    pid = getattr(exc, "pid", None) if isinstance(exc, StoreLocked) else None
    if pid is not None:
        payload["error"]["pid"] = pid
    return payload


def dumps(payload: dict[str, Any] | list[Any]) -> str:
    """A payload as one line of JSON (dates, decimals and bytes as strings)."""
    return json.dumps(payload, default=str)


# ---- arguments


def check(verb: Verb, raw: dict[str, Any], surface: str) -> dict[str, Any]:
    """``raw`` arguments as the verb takes them: earlier names mapped, defaults filled
    in, every value checked against its parameter; :class:`InvalidArgument` naming the
    argument otherwise."""
    offered = [p for p in verb.params if surface in p.surfaces]
    names = {p.name: p for p in offered}
    for p in offered:
        for alias in p.aliases:
            if alias in raw and p.name not in raw:
                raw = {**{k: v for k, v in raw.items() if k != alias}, p.name: raw[alias]}
    unknown = sorted(set(raw) - set(names))
    if unknown:
        takes = ", ".join(p.name for p in offered) or "nothing"
        raise InvalidArgument(f"{verb.name} takes no argument {unknown[0]!r}; it takes {takes}")
    out: dict[str, Any] = {}
    for p in offered:
        if p.name in raw:
            out[p.name] = _value(verb, p, raw[p.name])
            continue
        default = p.default_on(surface)
        if default is MISSING:
            raise InvalidArgument(f"{verb.name} needs the argument {p.name!r}: {p.help}")
        out[p.name] = default
    for p in verb.params:  # those of another surface: their defaults, when they have one
        if p.name not in out and not p.required:
            out[p.name] = p.default
    return out


def _value(verb: Verb, p: Param, value: Any) -> Any:
    where = f"{verb.name}: argument {p.name!r}"
    if value is None:
        if p.nullable or p.default is None:
            return None
        raise InvalidArgument(f"{where} may not be null")
    kind = p.type
    if kind == "string":
        ok = isinstance(value, str)
    elif kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind == "boolean":
        ok = isinstance(value, bool)
    elif kind == "strings":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    elif kind == "values":
        ok = isinstance(value, list) and all(
            v is None or isinstance(v, str | int | float | bool) for v in value
        )
    else:
        ok = isinstance(value, dict)
    if not ok:
        raise InvalidArgument(f"{where} must be of type {kind}, not {value!r}")
    if kind == "string" and not value and p.required:
        raise InvalidArgument(f"{where} may not be empty")
    if p.choices and value not in p.choices:
        raise InvalidArgument(f"{where} must be one of {', '.join(p.choices)}, not {value!r}")
    if p.minimum is not None and value < p.minimum:
        raise InvalidArgument(f"{where} must be at least {p.minimum:g}, not {value!r}")
    if p.maximum is not None and value > p.maximum:
        raise InvalidArgument(f"{where} must be at most {p.maximum:g}, not {value!r}")
    return value


# ---- pages


def _fingerprint(verb: Verb, args: dict[str, Any]) -> str:
    asked = {k: v for k, v in sorted(args.items()) if k not in PAGING and k != "at"}
    text = json.dumps([verb.name, asked], default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cursor_of(verb: Verb, args: dict[str, Any], commit: str | None, offset: int) -> str:
    """The cursor that asks for the results from ``offset`` on, at the same commit."""
    state = {"o": offset, "c": commit, "f": _fingerprint(verb, args)}
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")


def start(verb: Verb, args: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The arguments to run with and the offset of the page asked for: a cursor pins
    the commit of the first page (so pages join up even if a ref moves meanwhile)."""
    cursor = args.get("cursor")
    if not cursor:
        return args, 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        state = json.loads(base64.urlsafe_b64decode(padded.encode()))
        offset, commit, fingerprint = int(state["o"]), state["c"], str(state["f"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise InvalidArgument(f"{verb.name}: not a cursor of this server: {cursor!r}") from exc
    if fingerprint != _fingerprint(verb, args) or offset < 0:
        raise InvalidArgument(
            f"{verb.name}: this cursor belongs to another question; pass it back with the "
            "arguments of the answer that gave it"
        )
    if commit is not None and "at" in args:
        args = {**args, "at": commit}
    return args, offset


def page(verb: Verb, outcome: Outcome, args: dict[str, Any], offset: int) -> Page:
    """The page of ``outcome`` the arguments ask for, with whether more follow and how
    many there are in all (at least, when the verb stopped at a bound of its own)."""
    results = outcome.results
    if not verb.paged:
        return Page(outcome, list(results), False, len(results), True)
    limit = int(args.get("limit") or 1)
    chosen = list(results[offset : offset + limit])
    more = offset + len(chosen) < len(results) or (outcome.bounded and bool(chosen))
    return Page(outcome, chosen, more, len(results), not outcome.bounded)


@dataclass(frozen=True, slots=True)
class Page:
    """A page of a verb's answer."""

    outcome: Outcome
    results: list[Any]
    more: bool  # results follow this page
    total: int  # results in all (a lower bound unless exact)
    exact: bool

    def view(self) -> Outcome:
        """The outcome with only this page's results (what the text shows)."""
        return Outcome(self.outcome.commit, self.results, self.outcome.extra)


def envelope(
    verb: Verb, page: Page, args: dict[str, Any], offset: int, max_chars: int | None = None
) -> dict[str, Any]:
    """The success payload of a page; with ``max_chars``, results are left out (or long
    texts in a lone result shortened) until the JSON fits in that many characters."""
    commit = page.outcome.commit
    results = [plain(r) for r in page.results]
    # Fields named with a leading underscore are for the text only.
    extra = {k: plain(v) for k, v in page.outcome.extra.items() if not k.startswith("_")}
    more, cut = page.more, False
    # A tree's page repeats the nodes it starts inside: they take room before the results.
    stubs = verb.nest[0](page.results) if verb.nest is not None else []
    if args.get("brief"):
        results, extra, stubs = briefed(results), briefed(extra), briefed(stubs)
    if max_chars is not None and len(dumps(stubs)) > max_chars // 4:
        stubs, cut = _shorten(stubs, max_chars // 4), True
    if max_chars is not None and len(dumps(extra)) > max_chars // 4:
        # Fields besides the results (the nodes a graph walk left unexpanded, ...) get
        # at most a quarter of the budget, cut the way a lone result is.
        extra, cut = _shorten(extra, max_chars // 4), True
    if max_chars is not None:
        # What the answer holds besides its results, at its longest.
        frame = {
            "ok": True,
            "commit": commit,
            "results": [],
            "truncated": False,
            "total": page.total + offset + len(results) + 1,
            "total_exact": False,
            "next": cursor_of(verb, args, commit, offset + len(results)),
            "cut": CUT,
            **extra,
        }
        results, cut_result = _fit(results, max_chars - len(dumps(frame)) - len(dumps(stubs)))
        cut = cut or cut_result
        more = more or len(results) < len(page.results)
    shown = offset + len(results)
    if verb.nest is not None:
        results = verb.nest[1](page.results, results, stubs)
    payload: dict[str, Any] = {
        "ok": True,
        "commit": commit,
        "results": results,
        "truncated": more or cut,
        "total": max(page.total, shown + (1 if more else 0)),
        "total_exact": page.exact,
        "next": cursor_of(verb, args, commit, shown) if more else None,
    }
    if cut:
        payload["cut"] = CUT
    payload.update(extra)
    return payload


def _fit(results: list[Any], room: int) -> tuple[list[Any], bool]:
    """The leading results whose JSON fits in ``room`` characters; a first result that
    alone does not fit keeps its shape with its longest texts shortened."""
    kept: list[Any] = []
    used = 2  # the brackets
    for value in results:
        size = len(dumps(value)) + (2 if kept else 0)  # ", " between two
        if used + size > room:
            if kept:
                return kept, False
            return [_shorten(value, max(room - 2, 200))], True
        kept.append(value)
        used += size
    return kept, False


def _shorten(value: Any, room: int) -> Any:
    """``value`` cut to fit ``room``: every string longer than some length cut to it
    (marked with ...), that length the largest that fits; when even short strings do not
    fit, also every list cut to its first items, as many as fit; a marker of the cut
    when nothing fits."""
    size = len(dumps({"r": value}))
    if size <= room:
        return value
    fits = _largest(lambda cap: _cap(value, cap), _SHORTEST, _longest(value) - 1, room)
    if fits is None:
        short = _cap(value, _SHORTEST)
        fits = _largest(lambda n: _first(short, n), 0, _widest(short) - 1, room)
    if fits is None:
        return {"cut": f"a result of {size} characters does not fit max_chars"}
    return fits


def _largest(cut: Callable[[int], Any], low: int, high: int, room: int) -> Any:
    """``cut(n)`` for the largest ``n`` in [low, high] whose JSON fits ``room`` (None when
    none does); ``cut`` grows with ``n``."""
    best: Any = None
    while low <= high:
        n = (low + high) // 2
        candidate = cut(n)
        if len(dumps({"r": candidate})) <= room:
            best, low = candidate, n + 1
        else:
            high = n - 1
    return best


_SHORTEST = 40  # strings are not cut below this many characters (names, paths stay whole)


def _longest(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return max((_longest(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return max((_longest(v) for v in value), default=0)
    return 0


def _widest(value: Any) -> int:
    if isinstance(value, dict):
        return max((_widest(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return max([len(value), *(_widest(v) for v in value)])
    return 0


def _first(value: Any, n: int) -> Any:
    """``value`` with each list (at any depth) cut to its first ``n`` items."""
    if isinstance(value, dict):
        return {k: _first(v, n) for k, v in value.items()}
    if isinstance(value, list):
        return [_first(v, n) for v in value[:n]]
    return value


def _cap(value: Any, cap: int) -> Any:
    """``value`` with each string longer than ``cap`` cut to ``cap`` characters + '...'."""
    if isinstance(value, str):
        return value if len(value) <= cap else value[:cap] + "..."
    if isinstance(value, dict):
        return {k: _cap(v, cap) for k, v in value.items()}
    if isinstance(value, list):
        return [_cap(v, cap) for v in value]
    return value


def more_line(payload: dict[str, Any], offset: int, surface_hint: str) -> str:
    """The text line that ends a cut answer (a page from ``offset`` on): how many more,
    and how to get them."""
    if not payload.get("truncated"):
        return ""
    shown = len(payload["results"])
    total = payload["total"]
    rest = total - offset - shown if payload.get("total_exact") else None
    count = f"{rest} more" if rest is not None else "more"
    return f"-- {count} (showing {shown}); next page: {surface_hint} {payload['next']}"
