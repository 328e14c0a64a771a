"""The states of a terminal's session and which requests each state accepts.

One table for the supervisor (`kiosk.supervisor`) and the in-memory session the portal runs on in
tests and standalone (`portal.session.MemorySession`): both ask `accepts()` before acting, so
they cannot drift apart again (tests/portal/test_session_states.py drives both through it).

    welcome -> active <-> warning -> ending -> wiping -> welcome
                                                    \\-> out_of_service -> welcome (wipe verified)
"""

from __future__ import annotations

WELCOME, ACTIVE, WARNING, ENDING, WIPING, OUT_OF_SERVICE = (
    "welcome", "active", "warning", "ending", "wiping", "out_of_service")
STATES = (WELCOME, ACTIVE, WARNING, ENDING, WIPING, OUT_OF_SERVICE)

IN_SESSION = frozenset({ACTIVE, WARNING})           # a resident is using the terminal
SERVING = frozenset({WELCOME, ACTIVE, WARNING})     # the window is up and the terminal clean

# What a resident, a mediator or a timer may ask, and in which states it is done (elsewhere it
# is ignored). "end" at the welcome screen restarts the window (nothing is counted): a mediator's
# logout uses it to bring a new catalogue in between residents.
ACCEPTED_IN: dict[str, frozenset[str]] = {
    "begin": frozenset({WELCOME}),
    "end": SERVING,
    "help": SERVING,
    "language": SERVING,
    "policy": SERVING,
    "answer": IN_SESSION,
    "unlock": IN_SESSION,
    "warn": IN_SESSION,
    "resume": frozenset({WARNING}),
}
REQUESTS = tuple(ACCEPTED_IN)

IDLE, TIME_LIMIT = "idle", "time_limit"
WARNINGS = (IDLE, TIME_LIMIT)  # the countdowns of state `warning` (and two of the end reasons)


def accepts(state: str, request: str) -> bool:
    """Is `request` done in `state`? An unknown request is a programming error."""
    if request not in ACCEPTED_IN:
        raise ValueError(f"unknown session request {request!r}")
    return state in ACCEPTED_IN[request]
