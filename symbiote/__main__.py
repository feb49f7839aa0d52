"""``python -m symbiote``: the ``symbiote`` command."""

from symbiote.cli.main import main

raise SystemExit(main())
