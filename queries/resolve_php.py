"""PHP's own rules for the resolver: a file's namespace (``namespace App\\Models;``) sees
the classes and functions other files declare in it (``scope``, as a Java package); a
``use App\\Models\\Item;`` names a definition by its qualified name, whichever file
declares it; a trait a class uses comes before its parent and interfaces (its methods
are the class's own); a context that is a call chain (``$cart->add($x)->total()``) is
typed step by step, as Java's (:mod:`.resolve_chains`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import Use

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

_NAMESPACES = frozenset({"package", "module"})

_CHAINS = frozenset({"php", "rust", "go", "python"})  # see chain_of


def namespace_of(resolver: Resolver, path: str, idx: int | None) -> str | None:
    """The qualified name of the namespace around definition ``idx`` of a PHP file (a
    ``namespace X;`` clause or a ``namespace X { }`` block), else of the file's clause."""
    snap = resolver.snap
    kinds = snap.symbols.column("kind")
    qualified = snap.symbols.column("qualified_name")
    parents = resolver.typing.parents_of(path)
    clause = None
    for i in snap.by_path.get(path, ()):
        if kinds[i] in _NAMESPACES and snap.extra[i][1] is None:
            clause = clause or qualified[i]
            if idx is not None and _encloses(parents, snap.extra[i][0], idx):
                return str(qualified[i])
    return clause


def _encloses(parents: dict[int, int | None], outer: int, idx: int | None) -> bool:
    while idx is not None:
        if idx == outer:
            return True
        idx = parents.get(idx)
    return False


def same_namespace(resolver: Resolver, use: Use, candidates: list[Symbol]) -> list[Symbol]:
    """The candidates declared in the namespace ``use`` is written in, in any file."""
    namespace = namespace_of(resolver, use.path, use.enclosing_idx)
    if namespace is None:
        return [c for c in candidates if c.language == "php" and c.parent is None]
    return [
        c for c in candidates if c.language == "php" and c.qualified_name == f"{namespace}.{c.name}"
    ]


def in_namespace(resolver: Resolver, use: Use, context: str) -> list[Symbol]:
    """``name`` declared in the namespace ``context`` names (``\\App\\Support\\ledger()``,
    ``new Models\\Item``): relative to the file's namespace first, then absolute."""
    written = context.replace(".", "\\").strip("\\")  # `.App.Support`: a callee's head
    if "$" in written or "(" in written:
        return []
    here = namespace_of(resolver, use.path, use.enclosing_idx)
    snap = resolver.snap
    for namespace in ([f"{here}\\{written}"] if here else []) + [written]:
        found = [
            s
            for i in snap.by_qualified.get(f"{namespace}.{use.name}", ())
            if (s := snap.symbols[i]).language == "php"
            and resolver.defs.kind(s.path, namespace) in _NAMESPACES
        ]
        if found:
            return found
    return []


def imported(resolver: Resolver, module: str) -> list[Symbol]:
    """The definitions a ``use`` names: ``App\\Models\\Item`` is ``Item`` of the
    namespace ``App\\Models``."""
    namespace, _, name = module.strip("\\").rpartition("\\")
    qualified = f"{namespace}.{name}" if namespace else name
    snap = resolver.snap
    return [
        snap.symbols[i]
        for i in snap.by_qualified.get(qualified, ())
        if snap.symbols[i].language == "php"
    ]


def traits_first(bases: list[Symbol]) -> list[Symbol]:
    """A PHP class's bases with the traits it uses first: their methods are its own,
    before its parent's and its interfaces'."""
    return sorted(bases, key=lambda b: b.kind != "trait")


def chain(context: str) -> str:
    """A PHP expression as the chains module reads one (``$a->b()::c`` as ``$a.b().c``);
    a Rust one too (``T::new(x).m()`` as ``T.new(x).m()``)."""
    return context.replace("?->", ".").replace("->", ".").replace("::", ".")


def chain_of(context: str, language: str | None) -> str | None:
    """:func:`chain` of a context that is no dotted name, in the languages whose such
    contexts the chains module types (``$a->b()->c()``, ``f().g()``); in Python only a
    chain of names and calls (``Cls(x).m()``: a subscript's element is not typed there)."""
    if language not in _CHAINS or (language == "python" and "[" in context):
        return None
    return chain(context)


__all__ = [
    "chain",
    "chain_of",
    "imported",
    "in_namespace",
    "namespace_of",
    "same_namespace",
    "traits_first",
]
