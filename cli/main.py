"""The ``symbiote`` command: parse the command line (generated from the verb table), run
the verb here or in the process that owns the store, print the answer.

With ``--json`` every command prints exactly one JSON object on stdout (see
:mod:`symbiote.cli.contract`); otherwise the answer's text, and errors on stderr. The
exit code is 0 on success, 1 on any error.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from symbiote.cli import contract
from symbiote.cli.arguments import Request, parse
from symbiote.cli.runner import EXIT_ERROR, EXIT_INTERRUPTED, Reply, execute
from symbiote.cli.table import BY_NAME
from symbiote.cli.verbs import CLI
from symbiote.indexer.errors import InvalidArgument, StoreLocked, SymbioteError

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``symbiote`` console script."""
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        request = parse(words)
    except InvalidArgument as exc:
        return _print(EXIT_ERROR, contract.error_payload(exc), "", "--json" in words)
    logging.basicConfig(
        level=logging.DEBUG if request.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        code, payload, text = answer(request)
    except KeyboardInterrupt:
        code, payload, text = EXIT_INTERRUPTED, contract.failure("Interrupted", "interrupted"), ""
    return _print(code, payload, text, request.json)


def answer(request: Request) -> Reply:
    """Run a parsed request: in the process that owns the store when one runs (and the
    verb may be routed), else here; a verb that owns the store while it runs (``index``)
    becomes its owner when there is none. While the store is held by a process that
    answers nothing, wait for it with a message."""
    from symbiote.cli.progress import Meters
    from symbiote.cli.route import reach

    verb = request.verb

    def here() -> Reply:
        if verb.owns:
            return _as_owner(request)
        return execute(
            verb,
            request.arguments,
            verbs=BY_NAME,
            repo=request.repo,
            store=request.store,
            progress=True,
        )

    meters = Meters()
    try:
        return reach(
            verb,
            request.arguments,
            request.repo,
            request.store,
            CLI,
            here,
            progress=meters,
            notice=lambda message: print(f"symbiote: {message}", file=sys.stderr, flush=True),
        )
    finally:
        meters.close()


def _as_owner(request: Request) -> Reply:
    """Run ``request`` as the store's owner: other commands are answered meanwhile."""
    from symbiote.cli.owner import Owner

    owner: Owner | None
    try:
        owner = Owner.take(
            request.repo,
            request.store,
            BY_NAME,
            memory_limit=request.arguments.get("memory_limit"),
            lasting=False,  # ends with the run: embedding goes on in a detached job
        )
    except StoreLocked as exc:  # reach() waits for the holder, or finds the new owner
        return EXIT_ERROR, contract.error_payload(exc), ""
    except SymbioteError as exc:  # cannot serve others (no socket): run all the same
        log.warning("running without answering other commands meanwhile: %s", exc)
        owner = None
    try:
        return execute(
            request.verb,
            request.arguments,
            verbs=BY_NAME,
            repo=request.repo,
            store=request.store,
            owner=True,
            progress=True,
        )
    finally:
        if owner is not None:
            owner.close()


def _print(code: int, payload: dict[str, object], text: str, as_json: bool) -> int:
    try:
        if as_json:
            print(contract.dumps(payload))
        elif not payload["ok"]:
            error = payload["error"]
            assert isinstance(error, dict)
            print(f"symbiote: {error['type']}: {error['message']}", file=sys.stderr)
        elif text:
            print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`symbiote find x | head`): end quietly, and keep Python
        # from complaining when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return code


if __name__ == "__main__":
    raise SystemExit(main())
