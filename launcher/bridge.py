"""The only calls a page script can make into the launcher, validated before anything runs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

# Harmless by construction: none reads or changes configuration, none takes an argument.
BRIDGE_ACTIONS = (
    "home",            # back to the portal
    "documents",       # list this session's documents
    "print",           # ask to print (a confirmation overlay follows)
    "print_confirmed", # the resident confirmed printing
    "bigger",          # text zoom
    "smaller",
    "end",             # the resident confirmed "Terminer la session"
    "dismiss",         # an overlay was closed
    "view_saved",      # open the document just saved in the portal's viewer
    "back",            # previous page, through the policy like Alt+Left
    "help",            # the resident confirmed asking a mediator for help
    "end_ask",         # "Terminer la session": the checklist with the number of documents
    "read_stop",       # "Arrêter": stop reading aloud (the text to read never comes this way)
    "keyboard",        # open or close the on-screen keyboard
)
MAX_NAME_LENGTH = 32


def dispatch(actions: Mapping[str, Callable[[], None]], name: object) -> bool:
    """Run the named action if it is one of BRIDGE_ACTIONS; never raises, never returns data."""
    if not isinstance(name, str) or len(name) > MAX_NAME_LENGTH or name not in BRIDGE_ACTIONS:
        return False
    action = actions.get(name)
    if action is None:
        return False
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - a page must never be able to crash the launcher
        # Visible in the journal: the action's name (one of ours) and the exception's type,
        # never its message (it could quote a page or an address).
        log.error("bridge action %s failed: %s", name, type(exc).__name__)
        return False
    return True
