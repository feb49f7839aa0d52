"""Sidecar files: notes beside the code, written in the working tree, indexed at every
commit, and flagged stale when the definition they describe changes or is renamed."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from symbiote.indexer import IndexOptions, index_repository
from symbiote.indexer.errors import QueryError, SidecarError, UnknownDefinition, UnknownPath
from symbiote.indexer.sidecar_files import problems, read, schema_text, write_note
from symbiote.queries import SidecarNote, open_index
from tests.conftest import GitRepo
from tests.support.old_stores import references_as_schema_7
from tests.test_cli import symbiote

MakeRepo = Callable[..., GitRepo]

CLIENT = (
    "class Client:\n"
    "    def send(self, request):\n"
    "        return self.transport.post(request)\n"
    "\n"
    "    def close(self):\n"
    "        self.transport = None\n"
)


def _index(repo: GitRepo) -> None:
    index_repository(repo.path, options=IndexOptions(jobs=1))


def _states(notes: list[SidecarNote]) -> list[tuple[str, str | None, str, str | None]]:
    return [(n.path, n.qualified_name, n.state, n.renamed_to) for n in notes]


def test_notes_round_trip_and_go_stale_on_change_and_rename(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("app/client.py", CLIENT)
    repo.commit("client")
    written = write_note(
        repo.path, "app/client.py", "Client.send", {"warnings": ["keep retries idempotent"]}
    )
    assert written.sidecar_path == "app/client.py.symbiote.json"
    write_note(repo.path, "app/client.py", None, {"summary": "HTTP client", "owners": ["@net"]})
    write_note(repo.path, "app/client.py", "Client.close", {"summary": "drops the transport"})
    with_notes = repo.commit("notes")
    repo.write("app/client.py", CLIENT.replace("post(request)", "post(request, timeout=5)"))
    changed = repo.commit("send with a timeout")
    renamed_source = CLIENT.replace("def close(self)", "def shutdown(self)")
    repo.write("app/client.py", renamed_source.replace("post(request)", "post(request, timeout=5)"))
    renamed = repo.commit("close is shutdown")
    _index(repo)

    with open_index(repo.path) as index:
        notes = index.sidecar_notes("app/client.py", at=with_notes)
        assert _states(notes) == [
            ("app/client.py", None, "unpinned", None),
            ("app/client.py", "Client.close", "fresh", None),
            ("app/client.py", "Client.send", "fresh", None),
        ]
        file_note, _, send = notes
        assert (file_note.summary, file_note.owners) == ("HTTP client", ["@net"])
        assert send.warnings == ["keep retries idempotent"] and send.invariants == []
        assert send.target is not None and send.target.qualified_name == "Client.send"
        assert send.sidecar_path == "app/client.py.symbiote.json" and send.commit == with_notes

        assert _states(index.stale_notes(at=changed)) == [
            ("app/client.py", "Client.send", "stale", None)
        ]
        assert _states(index.stale_notes(at=renamed)) == [
            ("app/client.py", "Client.close", "missing", "Client.shutdown"),
            ("app/client.py", "Client.send", "stale", None),
        ]
        only = index.sidecar_notes("app/client.py", "Client.send", at=renamed)
        assert [(n.qualified_name, n.stale) for n in only] == [("Client.send", True)]
        assert index.sidecar_notes("app/client.py", "Client.nothing", at=renamed) == []
        with pytest.raises(UnknownPath):
            index.sidecar_notes("app/nothing.py", at=renamed)

    code, out = symbiote("sidecar", "stale", "--repo", str(repo.path), "--at", changed, "--json")
    assert code == 0 and out["ok"] is True and out["commit"] == changed
    assert [(r["qualified_name"], r["state"]) for r in out["results"]] == [("Client.send", "stale")]
    assert out["invalid"] == []


def test_an_invalid_sidecar_is_recorded_with_its_errors(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("a.py", "def f():\n    return 1\n")
    repo.write("a.py.symbiote.json", '{"version": 1, "file": {"sumary": "typo"}}')
    repo.write("b.py", "def g():\n    return 2\n")
    repo.write("b.py.symbiote.json", '{"version": 1, "file": {"summary": ')
    head = repo.commit("bad notes")
    _index(repo)
    with open_index(repo.path) as index:
        files = {f.sidecar_path: f for f in index.sidecar_files(at=head)}
        assert {p: (f.status, f.entries) for p, f in files.items()} == {
            "a.py.symbiote.json": ("parse_error", 0),
            "b.py.symbiote.json": ("parse_error", 0),
        }
        assert files["a.py.symbiote.json"].detail == (
            "does not follow sidecar schema v1: /file: Additional properties are not "
            "allowed ('sumary' was unexpected)"
        )
        assert (files["b.py.symbiote.json"].detail or "").startswith("invalid JSON at line 1")
        with pytest.raises(QueryError, match="a.py.symbiote.json .* parse_error"):
            index.sidecar_notes("a.py", at=head)
        assert index.stale_notes(at=head) == []
    code, out = symbiote("sidecar", "stale", "--repo", str(repo.path), "--json")
    assert code == 0
    assert [f["sidecar_path"] for f in out["invalid"]] == [
        "a.py.symbiote.json",
        "b.py.symbiote.json",
    ]


def test_read_checks_the_published_schema() -> None:
    schema = json.loads(schema_text())
    assert schema["properties"]["version"] == {
        "const": 1,
        "description": "The version of this schema the file follows.",
    }
    assert read(b'{"version": 1}') == ("ok", None, [])
    assert read(b"\xff") == ("encoding_error", "invalid UTF-8 at byte 0", [])
    assert problems({"version": 1, "definitions": {"f": {"body_hash": "x"}}}) == [
        "/definitions/f/body_hash: 'x' does not match '^[0-9a-f]{32}$'"
    ]
    assert problems({"version": 1, "file": {"owners": "me"}}) == [
        "/file/owners: 'me' is not of type 'array'"
    ]
    assert problems([]) == ["(top): [] is not of type 'object'"]


def test_set_refuses_paths_outside_the_repository(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo()
    repo.write("a.py", "def f():\n    return 1\n")
    repo.commit("a")
    outside = tmp_path / "outside.py"
    outside.write_text("def secret():\n    return 0\n")
    os.symlink(outside, repo.path / "link.py")
    for path in ("../outside.py", str(outside), ".git/config", "link.py", "a/../../x.py", ""):
        with pytest.raises(SidecarError):
            write_note(repo.path, path, None, {"summary": "x"})
    assert not (tmp_path / "outside.py.symbiote.json").exists()
    assert not (repo.path / ".git" / "config.symbiote.json").exists()

    code, out = symbiote(
        "sidecar", "set", "../outside.py", "--summary", "x", "--repo", str(repo.path), "--json"
    )
    assert code != 0 and out["error"]["type"] == "SidecarError"


def test_set_keeps_the_file_whole_when_a_write_is_refused(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("a.py", "def f():\n    return 1\n")
    repo.commit("a")
    write_note(repo.path, "a.py", "f", {"summary": "one", "owners": ["@me"]})
    sidecar = repo.path / "a.py.symbiote.json"
    before = sidecar.read_bytes()
    with pytest.raises(SidecarError, match="unknown sidecar fields"):
        write_note(repo.path, "a.py", "f", {"sumary": "typo"})
    with pytest.raises(SidecarError, match="do not follow the sidecar schema"):
        write_note(repo.path, "a.py", "f", {"owners": [""]})
    with pytest.raises(UnknownDefinition):
        write_note(repo.path, "a.py", "g", {"summary": "no such function"})
    with pytest.raises(UnknownPath):
        write_note(repo.path, "missing.py", None, {"summary": "no such file"})
    assert sidecar.read_bytes() == before
    assert sorted(p.name for p in repo.path.iterdir() if p.name != ".git") == [
        "a.py",
        "a.py.symbiote.json",
    ]
    # A field set to None (CLI: an empty list) is removed; the others stay.
    written = write_note(repo.path, "a.py", "f", {"owners": None})
    assert set(written.entry) == {"body_hash", "summary"}

    code, out = symbiote(
        "sidecar", "set", "a.py::f", "--warning", "w1", "--warning", "w2",
        "--repo", str(repo.path), "--json",
    )  # fmt: skip
    assert code == 0 and out["results"][0]["entry"]["warnings"] == ["w1", "w2"]
    assert out["results"][0]["sidecar_path"] == "a.py.symbiote.json"
    code, out = symbiote("sidecar", "schema", "--json")
    assert code == 0 and out["results"][0]["title"] == "Symbiote sidecar file, version 1"


def test_a_schema_3_store_gets_its_sidecar_files_on_migration(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    import duckdb

    repo = make_repo()
    repo.write("a.py", "def f():\n    return 1\n")
    repo.commit("a")
    write_note(repo.path, "a.py", "f", {"summary": "one"})
    head = repo.commit("note")
    store = tmp_path / "old.duckdb"
    index_repository(repo.path, store, IndexOptions(jobs=1))
    # What schema 3 had: no sidecar table, sidecar files as plain JSON, never extracted.
    con = duckdb.connect(str(store))
    references_as_schema_7(con)
    con.execute("DROP TABLE sidecar_entries")
    con.execute("DELETE FROM blobs WHERE language = 'symbiote-sidecar'")
    con.execute("UPDATE tree_entries SET language = 'json' WHERE language = 'symbiote-sidecar'")
    con.execute("UPDATE index_meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    index_repository(repo.path, store, IndexOptions(jobs=1))
    with open_index(repo.path, store=store) as index:
        assert [(n.qualified_name, n.state, n.summary) for n in index.sidecar_notes(at=head)] == [
            ("f", "fresh", "one")
        ]
        assert [f.status for f in index.sidecar_files(at=head)] == ["ok"]


def test_symbol_names_a_definition_as_the_other_verbs_do(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("a.py", "class Client:\n    def send(self):\n        return 1\n")
    repo.commit("a")
    r = ("--repo", str(repo.path), "--json")
    code, out = symbiote("sidecar", "set", "--symbol", "a.py::Client.send", "--summary", "s", *r)
    assert code == 0 and out["results"][0]["entry"]["summary"] == "s"
    for wrong, message in (
        (("--symbol", "a.py"), "PATH::QUALNAME"),  # a file is a `path`
        (("a.py", "--symbol", "a.py::Client.send"), "not both"),
        ((), "`symbol` (a definition) or `path`"),
    ):
        code, out = symbiote("sidecar", "set", *wrong, "--summary", "x", *r)
        assert code == 1 and out["error"]["type"] == "InvalidArgument", out
        assert message in out["error"]["message"]
    repo.commit("note")
    _index(repo)
    for symbol in ("a.py::Client.send", "Client.send"):  # canonical, or unambiguous at HEAD
        code, out = symbiote("sidecar", "show", "--symbol", symbol, *r)
        assert code == 0, out
        assert [(n["path"], n["qualified_name"], n["summary"]) for n in out["results"]] == [
            ("a.py", "Client.send", "s")
        ]
    code, out = symbiote(
        "log", "critique", "--symbol", "Client.send", "--agent", "a1", "--category", "bug",
        "--severity", "low", "--text", "never retries", *r,
    )  # fmt: skip
    assert code == 0, out
    assert (out["results"][0]["path"], out["results"][0]["qualified_name"]) == (
        "a.py",
        "Client.send",
    )
    code, out = symbiote("sidecar", "show", "--symbol", "Nowhere.send", *r)
    assert code == 1 and out["error"]["type"] == "UnknownDefinition"


def test_a_note_on_the_nth_definition_of_a_name_is_kept_by_the_name() -> None:
    """Notes are kept by (path, qualified name): a `#N` canonical name (an overload, a
    property's setter) names the file's definitions of that name, not a name with `#N`."""
    from symbiote.cli.verbs import split_target

    assert split_target("shop/cart.py::Checkout.amount#2") == ("shop/cart.py", "Checkout.amount")
    assert split_target("/shop/cart.py::Checkout.amount") == ("shop/cart.py", "Checkout.amount")
    assert split_target("shop/cart.py") == ("shop/cart.py", None)
