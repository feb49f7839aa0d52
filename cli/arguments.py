"""The ``symbiote`` command line, generated from the verb table.

Each verb becomes a sub-command (a group's verbs, sub-commands of the group's command)
with ``--repo`` (or a positional REPO), ``--store``, ``--json`` and one option or
positional argument per parameter the verb offers on the command line. Values are only
parsed here; their ranges are checked with every other surface's
(:func:`symbiote.cli.contract.check`), so an impossible value gets the one error shape.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from symbiote.cli.table import GROUPS, VERBS
from symbiote.cli.verbs import CLI, MISSING, Param, Verb
from symbiote.indexer.errors import InvalidArgument

_PYTHON_TYPES = {"string": str, "integer": int, "number": float, "object": str}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are :class:`InvalidArgument` (exit 1, the one
    error shape) instead of a usage message and exit 2."""

    def error(self, message: str) -> NoReturn:
        raise InvalidArgument(f"{self.prog}: {message} (see `{self.prog} --help`)")


@dataclass(frozen=True, slots=True)
class Request:
    """A parsed command line: the verb, the arguments given, where it applies."""

    verb: Verb
    arguments: dict[str, Any]  # only the parameters given (defaults come at the check)
    repo: str  # absolute path
    store: str | None  # absolute path, when named
    json: bool
    verbose: bool


def parse(words: list[str]) -> Request:
    """The request a command line makes; :class:`InvalidArgument` if it makes none."""
    ns = parser().parse_args(words)
    verb: Verb = ns.verb
    arguments: dict[str, Any] = {}
    for p in verb.params:
        if CLI not in p.surfaces or not hasattr(ns, p.name):
            continue
        value = getattr(ns, p.name)
        if p.type == "object" and isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise InvalidArgument(f"--{_flag(p.name)} is not JSON: {exc}") from exc
        arguments[p.name] = value
    store = str(Path(ns.store).resolve()) if ns.store is not None else None
    repo = str(Path(ns.repo).resolve())
    return Request(verb, arguments, repo, store, bool(ns.json), bool(ns.verbose))


def _flag(name: str) -> str:
    return name.replace("_", "-")


def parser() -> argparse.ArgumentParser:
    """The ``symbiote`` argument parser."""
    top = _Parser(
        prog="symbiote", description="A git-aware code-symbol index for AI coding agents."
    )
    top.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = top.add_subparsers(dest="_command", required=True, metavar="COMMAND")
    groups: dict[str, Any] = {}
    for verb in VERBS:
        words = verb.words
        target = sub
        if len(words) == 2:
            if words[0] not in groups:
                name, text, description = GROUPS[words[0]]
                group = sub.add_parser(name, help=text, description=description)
                groups[name] = group.add_subparsers(
                    dest=f"_{name}_command", required=True, metavar="VERB"
                )
            target = groups[words[0]]
        description = f"{verb.summary} {verb.details}".strip()
        p = target.add_parser(
            words[-1],
            help=verb.summary,
            description=description,
            epilog=f"example: {verb.example}",
        )
        _verb_arguments(p, verb)
    return top


def _verb_arguments(p: argparse.ArgumentParser, verb: Verb) -> None:
    for param in verb.params:
        if CLI in param.surfaces:
            _argument(p, param)
    if verb.repo_positional:
        p.add_argument("repo", nargs="?", default=".", help="repository path (default: .)")
    else:
        p.add_argument("--repo", default=".", help="repository path (default: .)")
    p.add_argument(
        "--store",
        default=None,
        help="the DuckDB store file (default: $SYMBIOTE_STORE or .git/symbiote/index.duckdb)",
    )
    if verb.json_flag:
        p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(verb=verb, json=False)


def _argument(p: argparse.ArgumentParser, param: Param) -> None:
    default = param.default_on(CLI)
    shown = "" if default is MISSING or default is None else f" (default: {default})"
    options: dict[str, Any] = {"help": param.help + shown, "default": argparse.SUPPRESS}
    if param.metavar:
        options["metavar"] = param.metavar
    if param.choices:
        options["choices"] = param.choices
    if param.positional:
        if not param.required:
            options["nargs"] = "?"
        options["type"] = _PYTHON_TYPES.get(param.type, str)
        p.add_argument(param.name, **options)
        return
    flags = param.flags or (f"--{_flag(param.name)}",)
    if param.type == "boolean":
        options.pop("metavar", None)
        p.add_argument(*flags, dest=param.name, action=argparse.BooleanOptionalAction, **options)
        return
    if param.type == "strings":
        options["action"] = "append"
    else:
        options["type"] = _PYTHON_TYPES.get(param.type, str)
        options["required"] = param.required
    p.add_argument(*flags, dest=param.name, **options)
