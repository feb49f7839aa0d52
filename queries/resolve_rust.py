"""Rust's own rules for the resolver: paths through modules, and what a name can only
mean in the language itself.

A path's first segment names a module when the file declares it (``mod walk;``, then
``walk::scan``) or it is ``crate``/``super``; the module files follow from the layout
(:meth:`.ModuleIndex.rust_prefix`), and the rest of the path from what they define:
``import``. A path into the standard library (``std::io::stdout``) is ``unresolved``.
A built-in attribute (``#[test]``, ``#[derive(...)]``, ``#[cfg(...)]``) is the
compiler's, whatever the crate defines under the same name, and a method called on a
literal (``"1".parse()``, ``2.max(n)``) is the standard library's; both are
``unresolved`` rather than a guess among the repository's namesakes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from symbiote.queries.resolve_base import Use
from symbiote.queries.resolve_modules import EXTERNAL, RUST_STD, Located

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

# The attributes rustc itself defines (the Reference, "Built-in attributes index").
BUILTIN_ATTRIBUTES = frozenset(
    """allow automatically_derived cfg cfg_attr cold collapse_debuginfo crate_name
    crate_type debugger_visualizer deny deprecated derive doc expect export_name forbid
    global_allocator ignore inline link link_name link_ordinal link_section macro_export
    macro_use must_use no_builtins no_implicit_prelude no_link no_main no_mangle no_std
    non_exhaustive panic_handler path proc_macro proc_macro_attribute proc_macro_derive
    recursion_limit repr should_panic target_feature test track_caller type_length_limit
    used warn windows_subsystem""".split()
)

_LITERAL = re.compile(r"""^(?:b?r?#*["']|-?\d)""")


def builtin(use: Use) -> bool:
    """Whether a Rust reference names what the language defines: a built-in attribute,
    or a method of a literal."""
    if use.kind == "decorator" and use.context is None:
        return use.name in BUILTIN_ATTRIBUTES
    return use.context is not None and _LITERAL.match(use.context) is not None


def module_path(resolver: Resolver, use: Use, parts: tuple[str, ...]) -> tuple[Located, int] | None:
    """The module the leading segments of a Rust path name where ``use`` is, and how many
    segments that is; None when the path does not start with a module (a type, a local,
    a name a ``use`` binds)."""
    head = parts[0]
    if resolver.typing.binds(use, head) is not None:  # a local `core` or `std`: a value
        return None
    if head in RUST_STD:
        return EXTERNAL, 1
    if head in ("crate", "super") or resolver.defs.declares_module(use.path, head):
        return resolver.imports.modules.rust_prefix(use.path, parts)
    return None


__all__ = ["BUILTIN_ATTRIBUTES", "builtin", "module_path"]
