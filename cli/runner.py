"""Running one verb, the same way on every surface: check the arguments, pin the page a
cursor asks for, make the library call, and answer with the envelope and the text (or
the one error shape)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from symbiote.cli import activity, contract, worktree
from symbiote.cli.verbs import CLI, Verb
from symbiote.indexer.errors import SymbioteError

if TYPE_CHECKING:
    from symbiote.queries import Index

Reply = tuple[int, dict[str, Any], str]  # exit code, the JSON payload, the human text
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


@dataclass(slots=True)
class _Call:
    """A verb's call: its arguments and how to reach the index."""

    args: dict[str, Any]
    repo: str
    store: str | None
    surface: str
    owner: bool
    progress: bool | Callable[..., None]
    offset: int
    verbs: Mapping[str, Verb]
    opener: Callable[[], Index] | None
    keep_open: bool
    _index: Index | None = field(default=None)

    def index(self) -> Index:
        if self._index is None:
            if self.opener is not None:
                self._index = self.opener()
            else:
                from symbiote.queries import open_index

                self._index = open_index(self.repo, store=self.store)
        return self._index

    def store_path(self) -> Path:
        from symbiote.indexer.location import store_of

        return store_of(self.repo, self.store).resolve()

    def release(self) -> None:
        self.close()

    def close(self) -> None:
        if self._index is not None and not self.keep_open:
            self._index.close()
        self._index = None


def execute(
    verb: Verb,
    raw: dict[str, Any],
    *,
    verbs: Mapping[str, Verb],
    repo: str,
    store: str | None,
    surface: str = CLI,
    opener: Callable[[], Index] | None = None,
    keep_open: bool = False,
    owner: bool = False,
    progress: bool | Callable[..., None] = False,
) -> Reply:
    """Run ``verb`` with ``raw`` arguments; its reply. ``verbs`` is the whole table (the
    verbs that serve others need it); ``opener`` gives the index (a server's own);
    otherwise the call opens one and closes it at the end. The process counts as
    answering meanwhile (:mod:`symbiote.cli.activity`)."""
    with activity.answering():
        return _execute(verb, raw, verbs, repo, store, surface, opener, keep_open, owner, progress)


def _execute(
    verb: Verb,
    raw: dict[str, Any],
    verbs: Mapping[str, Verb],
    repo: str,
    store: str | None,
    surface: str,
    opener: Callable[[], Index] | None,
    keep_open: bool,
    owner: bool,
    progress: bool | Callable[..., None],
) -> Reply:
    call: _Call | None = None
    try:
        args = contract.check(verb, dict(raw), surface)
        args, offset = contract.start(verb, args)
        call = _Call(args, repo, store, surface, owner, progress, offset, verbs, opener, keep_open)
        outcome = verb.run(call)
        page = contract.page(verb, outcome, args, offset)
        # A budget in characters is for MCP answers; the CLI pages by count alone.
        max_chars = args.get("max_chars") if surface != CLI else None
        payload = contract.envelope(verb, page, args, offset, max_chars)
        if call._index is not None:  # a call about the working tree says which files
            worktree.mark(call._index, args, outcome, payload)
        text = verb.text(page.view()) if surface == CLI else ""
        more = "\n".join(
            line
            for line in (
                worktree.text_line(payload),
                contract.more_line(payload, offset, "add --cursor"),
            )
            if line
        )
        return 0, payload, f"{text}\n{more}" if more else text
    except SymbioteError as exc:
        return EXIT_ERROR, contract.error_payload(exc), ""
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED, contract.failure("Interrupted", "interrupted"), ""
    finally:
        if call is not None:
            call.close()
