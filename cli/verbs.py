"""What the sub-commands of ``symbiote`` share: how a verb is registered (help, example,
``--repo``, optionally ``--at``, the common options) and how ``PATH[::QUALNAME]`` reads."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_verb(
    sub: Any,
    name: str,
    handler: Callable[[argparse.Namespace], tuple[Any, ...]],
    text: str,
    example: str,
    common: Callable[[argparse.ArgumentParser], None],
    *,
    at: str | None = None,
) -> argparse.ArgumentParser:
    """Register ``name`` on ``sub``; ``at`` (its help text) adds ``--at REV``."""
    p: argparse.ArgumentParser = sub.add_parser(
        name, help=text, description=text, epilog=f"example: {example}"
    )
    p.add_argument("--repo", default=".", help="repository path (default: .)")
    if at is not None:
        p.add_argument("--at", default="HEAD", metavar="REV", help=at)
    common(p)
    p.set_defaults(handler=handler)
    return p


def add_group(
    sub: Any,
    name: str,
    text: str,
    description: str,
    common: Callable[[argparse.ArgumentParser], None],
) -> Callable[..., argparse.ArgumentParser]:
    """Register ``name`` as a command with verbs of its own (``symbiote log critique``);
    returns ``verb(name, handler, text, example, at=None)``, :func:`add_verb` for it."""
    top = sub.add_parser(name, help=text, description=description)
    verbs = top.add_subparsers(dest=f"{name}_command", required=True, metavar="VERB")

    def verb(
        verb_name: str,
        handler: Callable[[argparse.Namespace], tuple[Any, ...]],
        verb_text: str,
        example: str,
        at: str | None = None,
    ) -> argparse.ArgumentParser:
        return add_verb(verbs, verb_name, handler, verb_text, example, common, at=at)

    return verb


AT = "ref, sha or REV~N to answer at (default HEAD)"


def split_target(target: str) -> tuple[str, str | None]:
    """``PATH::QUALNAME`` as (path, qualified name); a bare ``PATH`` has no name."""
    path, _, qualified_name = target.partition("::")
    return path.strip().strip("/"), qualified_name or None
