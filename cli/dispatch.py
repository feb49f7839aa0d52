"""Answering one command: in the process that owns the store when one runs (and the
verb may be routed), else here; a verb that owns the store while it runs (``index``)
becomes its owner when there is none. Shared by the command line
(:mod:`symbiote.cli.main`) and the commands that run other verbs on their own (a git
hook's background run, ``symbiote watch``), which are given the verb table rather than
importing it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from symbiote.cli import contract
from symbiote.cli.runner import EXIT_ERROR, Reply, execute
from symbiote.cli.verbs import CLI, Verb
from symbiote.indexer.errors import StoreLocked, SymbioteError

log = logging.getLogger(__name__)


def answer(
    verb: Verb,
    arguments: dict[str, Any],
    repo: str,
    store: str | None,
    verbs: Mapping[str, Verb],
    *,
    notice: Callable[[str], None] | None = None,
) -> Reply:
    """Run one call of ``verb`` (``verbs``: the whole table) as the command line does;
    while the store is held by a process that answers nothing, wait for it, telling
    ``notice`` once."""
    from symbiote.cli.progress import Meters
    from symbiote.cli.route import reach

    def here() -> Reply:
        if verb.owns:
            return _as_owner(verb, arguments, repo, store, verbs)
        return execute(verb, arguments, verbs=verbs, repo=repo, store=store, progress=True)

    meters = Meters()
    try:
        return reach(verb, arguments, repo, store, CLI, here, progress=meters, notice=notice)
    finally:
        meters.close()


def _as_owner(
    verb: Verb,
    arguments: dict[str, Any],
    repo: str,
    store: str | None,
    verbs: Mapping[str, Verb],
) -> Reply:
    """Run the call as the store's owner: other commands are answered meanwhile."""
    from symbiote.cli.owner import Owner

    owner: Owner | None
    try:
        owner = Owner.take(
            repo,
            store,
            verbs,
            memory_limit=arguments.get("memory_limit"),
            lasting=False,  # ends with the run: embedding goes on in a detached job
        )
    except StoreLocked as exc:  # reach() waits for the holder, or finds the new owner
        return EXIT_ERROR, contract.error_payload(exc), ""
    except SymbioteError as exc:  # cannot serve others (no socket): run all the same
        log.warning("running without answering other commands meanwhile: %s", exc)
        owner = None
    try:
        return execute(
            verb, arguments, verbs=verbs, repo=repo, store=store, owner=True, progress=True
        )
    finally:
        if owner is not None:
            owner.close()
