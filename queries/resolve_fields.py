"""Fields, parameters and locals whose declared type is a library's (or the
language's): their members are that library's.

A member of such a field is ``unresolved`` rather than a guess among the repository's
definitions of the same name (``l.mu.Lock()`` of a ``mu sync.Mutex`` is not the
repository's ``Ledger.Lock``):

* Go: the declared type names a package the struct's file imports from outside the
  repository (``mu sync.Mutex``, ``Request *http.Request``, ``inner goflag.Value``).
* Rust: the declared type's name is defined nowhere in the repository (``tx:
  Sender<Batch>``, ``buffer: Vec<Entry>``, ``items: Arc<Mutex<Vec<Batch>>>``), after
  references and the pointers a method call sees through (``Box``, ``Arc``, ``Rc``);
  a type parameter (``inner: W``) or a name the repository also defines is left to the
  other rules.
* Python: the annotation is one of the language's concrete built-in types (``dict``,
  ``list[str]``, ``t.Dict[str, int] | None``) and the repository defines no class of
  that name. Abstract ones (``Mapping``, ``Iterable``) may hold the repository's
  objects and are left to the other rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import NAME, UNRESOLVED, Entity, Use
from symbiote.queries.resolve_modules import EXTERNAL

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

# Go: a declared type naming another package's type: `sync.Mutex`, `*http.Client`, `x.T[K]`.
_GO_QUALIFIED = re.compile(r"\**(\w+)\.\w+(?:\[.*\])?")
# Rust: a path type with its generic arguments (`std::sync::Mutex<Vec<u8>>`).
_RUST_PATH = re.compile(r"(?:\w+::)*(\w+)\s*(?:<(.*)>)?")
_RUST_REFERENCE = re.compile(r"&\s*(?:'\w+\s+)?(?:mut\s+)?")
_RUST_POINTERS = frozenset({"Box", "Arc", "Rc"})  # a method call sees through them
_TYPE_PARAMETER = re.compile(r"[A-Z][A-Z0-9]?|Self")
# Python: a concrete built-in type, optionally through `typing.`/`t.`/`collections.`,
# with its arguments, optionally `| None` or `Optional[...]` around it.
_PY_BUILTIN = frozenset(
    """dict list set frozenset tuple str bytes bytearray int float bool complex Dict List
    Set FrozenSet Tuple DefaultDict defaultdict OrderedDict Deque deque Counter""".split()
)
_PY_TYPE = re.compile(r"(?:\w+\.)?(\w+)\s*(?:\[.*\])?")
_PY_NONE = re.compile(r"\s*\|\s*None\s*$|^\s*None\s*\|\s*")
_PY_OPTIONAL = re.compile(r"(?:\w+\.)?Optional\[(.*)\]")


def external_field(resolver: Resolver, types: list[Symbol], name: str) -> bool:
    """Whether field ``name`` of a value of ``types`` is declared with a library's type
    (see the module's docstring)."""
    for language, check in _CHECKS.items():
        held = tuple(t for t in types if t.language == language)
        declared = resolver.typing.declared_attribute(held, name) if held else None
        if declared:
            return check(resolver, held[0].path, declared)
    return False


def untyped(resolver: Resolver, use: Use, word: str) -> tuple[str, Entity]:
    """What a parameter or local ``word`` whose declared type is no class of the
    repository denotes where ``use`` is: a library's value (``req *http.Request``,
    ``d: dict``) by the same rules as a field's, so its members are unresolved; else
    nothing known (its members are guessed by name)."""
    check = _CHECKS.get(use.language or "")
    declared = resolver.typing.declared(use, word) if check is not None else None
    if check is not None and declared is not None and declared[0]:
        if check(resolver, use.path, declared[0]):
            return UNRESOLVED, EXTERNAL
    return NAME, None


def _go(resolver: Resolver, path: str, declared: str) -> bool:
    match = _GO_QUALIFIED.fullmatch(declared)
    if match is None:
        return False
    found = resolver.imports.go_package_named(path, match.group(1))
    return found is not None and found[0] == UNRESOLVED


def _rust(resolver: Resolver, path: str, declared: str) -> bool:
    text = declared.strip()
    for _ in range(8):  # Box<Arc<...>>: a few layers at most
        text = _RUST_REFERENCE.sub("", text, count=1).strip()
        match = _RUST_PATH.fullmatch(text)
        if match is None:
            return False  # a tuple, an array, `dyn Trait`, `impl Trait`, a function
        head, inner = match.group(1), match.group(2)
        if head in _RUST_POINTERS and inner:
            text = inner
            continue
        if _TYPE_PARAMETER.fullmatch(head):
            return False
        return not resolver.defs.named(head)
    return False


def _python(resolver: Resolver, path: str, declared: str) -> bool:
    text = declared.strip().strip("'\"")
    optional = _PY_OPTIONAL.fullmatch(text)
    text = optional.group(1) if optional else _PY_NONE.sub("", text)
    match = _PY_TYPE.fullmatch(text.strip())
    if match is None or match.group(1) not in _PY_BUILTIN or _union(text):
        return False
    return not any(s.kind == "class" for s in resolver.defs.named(match.group(1)))


_CHECKS: dict[str, Callable[[Resolver, str, str], bool]] = {
    "go": _go,
    "rust": _rust,
    "python": _python,
}


def _union(text: str) -> bool:
    """Whether a Python annotation is a union at its top level (``a[x] | b[y]``)."""
    depth = 0
    for char in text:
        depth += (char == "[") - (char == "]")
        if char == "|" and depth == 0:
            return True
    return False
