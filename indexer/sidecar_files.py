"""Sidecar files: structured notes kept in the repository beside the code they describe.

(Not the search sidecar: that is the LanceDB folder beside the store, see
:mod:`indexer.sidecar`.)

Convention: the notes about ``src/app/client.py`` live in
``src/app/client.py.symbiote.json``, next to it, so they are versioned, reviewed and
branched with the code, and the indexer recognises them by name alone (like every
language decision, see :mod:`indexer.languages`). The file follows the published JSON
Schema ``indexer/schemas/sidecar-v1.json`` (``symbiote sidecar schema`` prints it)::

    {"version": 1,
     "file": {"summary": "HTTP client", "owners": ["@net-team"]},
     "definitions": {
       "Client.send": {"body_hash": "…", "warnings": ["retries must stay idempotent"]}}}

Each definition entry records the body hash of the definition it was written against;
when the definition's body later differs, readers flag the entry as stale.

The indexer reads sidecar blobs like any other (:func:`read`: an invalid file is a
``parse_error`` with every validation error in its detail, never dropped);
:func:`write_note` updates one entry in the working tree, atomically and only inside the
repository. This module is the only one that imports ``jsonschema``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple

from symbiote.indexer.errors import SidecarError, UnknownDefinition, UnknownPath
from symbiote.indexer.extract import extract
from symbiote.indexer.languages import SIDECAR_SUFFIX as SUFFIX
from symbiote.indexer.languages import language_for_path

if TYPE_CHECKING:
    import jsonschema

VERSION = 1  # of the schema the files follow
FIELDS = ("summary", "invariants", "owners", "warnings", "links", "notes")
LIST_FIELDS = frozenset({"invariants", "owners", "warnings", "links"})


class Note(NamedTuple):
    """One entry of a sidecar file, as stored (``target`` None: the whole file)."""

    target: str | None  # qualified name of the definition
    body_hash: str | None  # of the definition when the entry was written
    summary: str | None
    invariants: list[str]
    owners: list[str]
    warnings: list[str]
    links: list[str]
    notes: str | None


@functools.cache
def schema_text() -> str:
    """The JSON Schema of sidecar files, as published."""
    return (
        resources.files("symbiote.indexer.schemas").joinpath("sidecar-v1.json").read_text("utf-8")
    )


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema  # ~0.1 s, paid by an index run only when it reads a sidecar file

    return jsonschema.Draft202012Validator(json.loads(schema_text()))


def schema_digest() -> str:
    """Changes with the schema: stored sidecars are read again when it does."""
    return "sidecar-v1/" + hashlib.blake2b(schema_text().encode(), digest_size=8).hexdigest()


def sidecar_path(path: str) -> str:
    """The sidecar file of the source file at ``path``."""
    return path + SUFFIX


def problems(document: Any) -> list[str]:
    """Every way ``document`` breaks the schema, as ``where: what`` (empty when valid)."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{_where(e.absolute_path)}: {e.message}" for e in errors]


def _where(path: Any) -> str:
    return "/" + "/".join(str(p) for p in path) if path else "(top)"


def read(data: bytes) -> tuple[str, str | None, list[Note]]:
    """``(status, detail, notes)`` of a sidecar blob: ``ok`` with its entries, or
    ``encoding_error`` / ``parse_error`` with what is wrong and no entries."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return "encoding_error", f"invalid UTF-8 at byte {exc.start}", []
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return "parse_error", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", []
    found = problems(document)
    if found:
        return "parse_error", f"does not follow sidecar schema v{VERSION}: " + "; ".join(found), []
    notes = []
    if "file" in document:
        notes.append(_note(None, document["file"]))
    for target, entry in sorted(document.get("definitions", {}).items()):
        notes.append(_note(target, entry))
    return "ok", None, notes


def _note(target: str | None, entry: dict[str, Any]) -> Note:
    return Note(
        target,
        entry.get("body_hash"),
        entry.get("summary"),
        list(entry.get("invariants", [])),
        list(entry.get("owners", [])),
        list(entry.get("warnings", [])),
        list(entry.get("links", [])),
        entry.get("notes"),
    )


class Written(NamedTuple):
    """What :func:`write_note` wrote."""

    sidecar_path: str  # relative to the repository
    entry: dict[str, Any]  # the entry as it is now in the file


def write_note(
    root: Path, path: str, qualified_name: str | None, fields: dict[str, Any]
) -> Written:
    """Set ``fields`` of the entry about ``path`` (the file) or ``path::qualified_name``
    in the sidecar file in the working tree at ``root``; other entries and fields stay
    (a field set to None is removed). A definition entry records the body hash of the
    definition as it is in the working tree now. The file is written atomically (a
    temporary file, fsync, rename); paths that leave the repository are refused."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise SidecarError(f"unknown sidecar fields {sorted(unknown)}; known: {', '.join(FIELDS)}")
    source = _inside(root, path)
    if not source.is_file():
        raise UnknownPath(f"no file {path} in the working tree of {root}")
    target = source.with_name(source.name + SUFFIX)
    document: dict[str, Any] = {"version": VERSION}
    if target.exists():
        try:
            document = json.loads(target.read_text("utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SidecarError(f"cannot update {target}: it is not readable JSON ({exc})") from exc
        if not isinstance(document, dict):
            raise SidecarError(f"cannot update {target}: it does not hold a JSON object")
    if qualified_name is None:
        entry = document.setdefault("file", {})
    else:
        entry = document.setdefault("definitions", {}).setdefault(qualified_name, {})
        found = body_hash_in(source.read_bytes(), path, qualified_name)
        if found is None:
            raise UnknownDefinition(f"no definition {qualified_name} in {path}")
        entry["body_hash"] = found
    for name, value in fields.items():
        if value is None:
            entry.pop(name, None)
        else:
            entry[name] = list(value) if name in LIST_FIELDS else value
    found_problems = problems(document)
    if found_problems:
        raise SidecarError(
            "the notes do not follow the sidecar schema: " + "; ".join(found_problems)
        )
    _write_atomically(target, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return Written(target.relative_to(root.resolve()).as_posix(), entry)


def body_hash_in(data: bytes, path: str, qualified_name: str) -> str | None:
    """The body hash of the first definition ``qualified_name`` in ``data`` (the text of
    the file at ``path``), as the indexer computes it; None when there is none."""
    extraction = extract(language_for_path(path), data)
    for definition in extraction.definitions:
        if definition.qualified_name == qualified_name:
            return definition.body_hash
    return None


def _inside(root: Path, path: str) -> Path:
    """``root/path``, refused unless it stays inside the repository (no absolute paths,
    no ``..``, no ``.git``, no symlink out)."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts or "\0" in path:
        raise SidecarError(f"refusing path {path!r}: give a path relative to the repository")
    if ".git" in pure.parts:
        raise SidecarError(f"refusing path {path!r}: it is inside .git")
    base = root.resolve()
    resolved = (base / pure).resolve()
    if not resolved.is_relative_to(base):
        raise SidecarError(f"refusing path {path!r}: it resolves outside the repository")
    return base / pure


def _write_atomically(target: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
