"""The verb table: every verb of every surface, in the order help lists them."""

from __future__ import annotations

from symbiote.cli import (
    admin,
    agent,
    agent_install,
    changes,
    hooks,
    languages,
    lookup,
    overview,
    search,
    sidecars,
    uses,
    watch,
)
from symbiote.cli.verbs import Verb

VERBS: tuple[Verb, ...] = (
    admin.INDEX,
    *lookup.VERBS,
    *uses.VERBS,
    *changes.VERBS,
    *overview.VERBS,
    *languages.VERBS,
    *search.VERBS,
    *sidecars.VERBS,
    *agent.VERBS,
    *agent_install.VERBS,
    *hooks.VERBS,
    *watch.VERBS,
    *(v for v in admin.VERBS if v is not admin.INDEX),
)
# Groups of verbs under one command (`symbiote sidecar show`): (name, help, description).
GROUPS = {
    group[0]: group for group in (sidecars.GROUP, agent.GROUP, agent_install.GROUP, hooks.GROUP)
}
BY_NAME = {verb.name: verb for verb in VERBS}
BY_TOOL = {verb.tool: verb for verb in VERBS if verb.tool is not None}
