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
from symbiote.cli.runner import EXIT_ERROR, EXIT_INTERRUPTED, Reply
from symbiote.cli.table import BY_NAME
from symbiote.indexer.errors import InvalidArgument


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
    """Run a parsed request (see :func:`symbiote.cli.dispatch.answer`)."""
    from symbiote.cli.dispatch import answer as dispatch

    return dispatch(
        request.verb,
        request.arguments,
        request.repo,
        request.store,
        BY_NAME,
        notice=lambda message: print(f"symbiote: {message}", file=sys.stderr, flush=True),
    )


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
