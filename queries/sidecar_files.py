"""Sidecar files at a commit: their notes, and whether each still matches its code.

A sidecar file (``src/app.py.symbiote.json``, see :mod:`indexer.sidecar_files`) is a
blob like any other: the indexer stored its entries in ``sidecar_entries``, keyed by the
blob. At a commit, the snapshot's files say which sidecar blobs are where; each entry
about a definition is compared with that definition in the same commit.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from symbiote.indexer.errors import QueryError, UnknownPath
from symbiote.indexer.languages import SIDECAR, SIDECAR_SUFFIX
from symbiote.queries.history import SIMILAR, similarity
from symbiote.queries.models import SidecarFile, SidecarNote, Symbol
from symbiote.queries.reader import Reader, sha_list
from symbiote.queries.snapshot import Snapshot

_ENTRIES = """
    SELECT blob, target, body_hash, summary, invariants, owners, warnings, links, notes
      FROM sidecar_entries
     WHERE language = 'symbiote-sidecar' AND list_contains({blobs}, blob)
     ORDER BY blob, target NULLS FIRST
"""
_ENTRY_COLUMNS = (
    *("blob", "target", "body_hash", "summary", "invariants"),
    *("owners", "warnings", "links", "notes"),
)
_HASH = re.compile(r"[0-9a-f]{32}")
_FILES = """
    SELECT sha, status, detail FROM blobs
     WHERE language = 'symbiote-sidecar' AND list_contains({blobs}, sha)
"""


def sidecar_files(reader: Reader, snap: Snapshot) -> list[SidecarFile]:
    """Every sidecar file of the commit, with the status the indexer gave it."""
    return _files(reader, snap, _placed(snap))


def _files(reader: Reader, snap: Snapshot, placed: dict[str, tuple[str, str]]) -> list[SidecarFile]:
    if not placed:
        return []
    blobs = sorted({blob for blob, _ in placed.values()})
    rows = reader.rows(_FILES.format(blobs=sha_list(blobs)))
    entries = reader.rows(
        f"SELECT blob FROM sidecar_entries WHERE list_contains({sha_list(blobs)}, blob)"
    )
    if snap.overlay is not None:  # sidecar files of the working tree (WORKTREE)
        rows += snap.overlay.extracted("blobs", ("sha", "status", "detail"), set(blobs))
        entries += snap.overlay.extracted("notes", ("blob",), set(blobs))
    found = {sha: (status, detail) for sha, status, detail in rows}
    counts: dict[str, int] = {}
    for (blob,) in entries:
        counts[blob] = counts.get(blob, 0) + 1
    out = []
    for sidecar, (blob, source) in sorted(placed.items()):
        status, detail = found.get(blob, ("missing", "not extracted yet: run `symbiote index`"))
        out.append(
            SidecarFile(snap.commit, source, sidecar, blob, status, detail, counts.get(blob, 0))
        )
    return out


def notes(
    reader: Reader, snap: Snapshot, path: str | None = None, qualified_name: str | None = None
) -> list[SidecarNote]:
    """The notes of the commit's sidecar files (of the one for ``path``, and only the
    entry about ``qualified_name`` when given), each with its state."""
    placed = _placed(snap)
    if path is not None:
        if path not in snap.files:
            raise UnknownPath(f"{path!r} is not a file in commit {snap.commit[:12]}")
        sidecar = path + SIDECAR_SUFFIX
        placed = {sidecar: placed[sidecar]} if sidecar in placed else {}
        for file in _files(reader, snap, placed):
            if file.status != "ok":
                raise QueryError(
                    f"the sidecar file {file.sidecar_path} at {snap.commit[:12]} is "
                    f"{file.status}: {file.detail}"
                )
    if not placed:
        return []
    by_blob: dict[str, list[tuple[str, str]]] = {}
    for sidecar, (blob, source) in placed.items():
        by_blob.setdefault(blob, []).append((sidecar, source))
    out = []
    rows = reader.rows(_ENTRIES.format(blobs=sha_list(sorted(by_blob))))
    if snap.overlay is not None:  # sidecar files of the working tree (WORKTREE)
        rows += snap.overlay.extracted("notes", _ENTRY_COLUMNS, set(by_blob))
    for blob, target, body_hash, *fields in rows:
        if qualified_name is not None and target != qualified_name:
            continue
        for sidecar, source in by_blob[blob]:
            out.append(_note(snap, sidecar, source, blob, target, body_hash, fields))
    gone = {n.body_hash for n in out if n.state == "missing" and n.body_hash}
    if gone:
        written = _written_against(reader, gone)
        out = [_follow(snap, n, written) if n.state == "missing" else n for n in out]
    out.sort(key=lambda n: (n.path, n.qualified_name or ""))
    return out


def _written_against(reader: Reader, hashes: set[str]) -> dict[str, tuple[str, list[int]]]:
    """The kind and line sketch of a stored definition with each body hash (the
    definition a note was written against, found in any indexed blob)."""
    listed = ", ".join(f"'{h}'" for h in sorted(hashes) if _HASH.fullmatch(h))
    if not listed:
        return {}
    rows = reader.rows(
        "SELECT body_hash, any_value(kind), any_value(sketch) FROM code_symbols "
        f"WHERE body_hash IN ({listed}) GROUP BY body_hash"
    )
    return {h: (kind, list(sketch or ())) for h, kind, sketch in rows}


def _follow(
    snap: Snapshot, note: SidecarNote, written: dict[str, tuple[str, list[int]]]
) -> SidecarNote:
    """A missing definition renamed within its file: the definition of the same kind
    whose body is most like the one the note was written against."""
    if note.body_hash not in written:
        return note
    kind, sketch = written[note.body_hash]
    best, best_score = None, 0.0
    for i in snap.by_path.get(note.path, ()):
        candidate = snap.symbols[i]
        if candidate.kind != kind:
            continue
        score = similarity(sketch, snap.symbols.column("sketch")[i] or [])
        if score >= SIMILAR and score > best_score:
            best, best_score = candidate, score
    return replace(note, renamed_to=best.qualified_name) if best else note


def _placed(snap: Snapshot) -> dict[str, tuple[str, str]]:
    """Sidecar path -> (its blob, the source path it describes)."""
    return {
        path: (blob, path[: -len(SIDECAR_SUFFIX)])
        for path, (blob, language) in snap.files.items()
        if language == SIDECAR and len(path) > len(SIDECAR_SUFFIX)
    }


def _note(
    snap: Snapshot,
    sidecar: str,
    source: str,
    blob: str,
    target: str | None,
    body_hash: str | None,
    fields: list[Any],
) -> SidecarNote:
    definition: Symbol | None = None
    renamed_to = None
    if target is None:
        state = "unpinned"
    else:
        in_file = snap.by_path.get(source, ())
        names, hashes = snap.symbols.column("qualified_name"), snap.symbols.column("body_hash")
        found = next((i for i in in_file if names[i] == target), None)
        definition = snap.symbols[found] if found is not None else None
        if definition is None:
            state = "missing"
            same_body = [i for i in in_file if body_hash and hashes[i] == body_hash]
            renamed_to = names[same_body[0]] if same_body else None  # else: see _follow
        elif body_hash is None:
            state = "unpinned"
        else:
            state = "fresh" if definition.body_hash == body_hash else "stale"
    summary, invariants, owners, warnings, links, text = fields
    return SidecarNote(
        commit=snap.commit,
        path=source,
        sidecar_path=sidecar,
        blob=blob,
        qualified_name=target,
        state=state,
        stale=state in ("stale", "missing"),
        body_hash=body_hash,
        current_body_hash=definition.body_hash if definition else None,
        renamed_to=renamed_to,
        target=definition,
        summary=summary,
        invariants=list(invariants),
        owners=list(owners),
        warnings=list(warnings),
        links=list(links),
        notes=text,
    )
