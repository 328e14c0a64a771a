"""One state machine: the supervisor and the in-memory session accept and refuse the same
requests in the same states (core.session_states), and both implement the whole SessionPort."""

from __future__ import annotations

import inspect

import pytest

from core import session_states as states
from core.events import ListSink
from kiosk.portal_port import SupervisorPort
from kiosk.supervisor import Supervisor
from portal import create_app
from portal.session import MemorySession, SessionPort

# Each request as the portal or a timer makes it, and the event that shows it was done.
# (`end` and `policy` need a launcher window on the supervisor's side: the day suite and
# tests/supervisor drive them for real.)
REQUESTS = {
    "begin": "session_started",
    "help": "help_requested",
    "language": "language",
    "answer": "answer",
    "unlock": "accompanied_unlock",
}


def _memory(tmp_path, state: str) -> tuple[MemorySession, ListSink]:
    sink = ListSink()
    session = MemorySession(tmp_path / "docs", sink=sink, questions=("outcome",))
    session._state = state  # put it where the supervisor's loop can be: every state
    return session, sink


def _supervisor(tmp_path, state: str) -> tuple[Supervisor, ListSink]:
    sink = ListSink()
    supervisor = Supervisor(tmp_path / "state", sinks=[sink])  # never started: no window
    supervisor.state = state
    return supervisor, sink


def _ask(target, request: str) -> None:
    """The request through the portal's port (both sides speak the same SessionPort)."""
    port = target if isinstance(target, MemorySession) else SupervisorPort(target)
    {"begin": port.request_start,
     "help": port.request_help,
     "language": lambda: port.set_language("ar"),
     "answer": lambda: port.answer("outcome", "alone"),
     "unlock": lambda: port.unlock_site("caf", ("caf.fr",)),
     }[request]()


@pytest.mark.parametrize("state", states.STATES)
@pytest.mark.parametrize("request_name", REQUESTS)
def test_supervisor_and_memory_session_accept_the_same_requests(tmp_path, state, request_name):
    memory, memory_events = _memory(tmp_path, state)
    supervisor, supervisor_events = _supervisor(tmp_path, state)
    _ask(memory, request_name)
    _ask(supervisor, request_name)
    supervisor.apply_requests()  # what its loop does on its next turn
    done = [e.kind for e in memory_events.events] == [REQUESTS[request_name]]
    assert done == states.accepts(state, request_name), \
        f"MemorySession {'did' if done else 'refused'} {request_name} in {state}"
    assert [e.kind for e in supervisor_events.events] == [e.kind for e in memory_events.events]
    assert memory.state() == supervisor.state  # same state afterwards (begin: active on both)


def test_both_report_out_of_service_as_such(tmp_path):
    """The port no longer calls "out of service" "wiping": the resident's pages and the
    mediator see the supervisor's own state."""
    supervisor, _ = _supervisor(tmp_path, states.OUT_OF_SERVICE)
    assert SupervisorPort(supervisor).state() == "out_of_service"
    memory = MemorySession(tmp_path / "docs")
    memory.request_start()
    memory.finish("idle", wiped=False)
    assert memory.state() == "out_of_service"
    memory.request_start()
    assert memory.state() == "out_of_service"  # nobody is served until the wipe is verified
    memory.back_in_service()
    memory.request_start()
    assert memory.state() == "active"


def test_every_port_method_is_implemented_by_both_sides():
    declared = {name for name, member in inspect.getmembers(SessionPort)
                if getattr(member, "__isabstractmethod__", False)}
    assert {"session_marker", "terminal_status", "acknowledge_help", "end_now", "unlock_site",
            "unlocked_site", "policy_changed", "mediator_left"} <= declared
    for implementation in (MemorySession, SupervisorPort):
        assert not getattr(implementation, "__abstractmethods__", None), implementation
        for name in declared:
            assert getattr(implementation, name) is not getattr(SessionPort, name), (
                implementation.__name__, name)


def test_a_port_missing_part_of_the_contract_is_refused():
    class Partial:
        def state(self) -> str:
            return "welcome"

    with pytest.raises(TypeError, match="SessionPort"):
        create_app({"TESTING": True, "PORTAL_SESSION": Partial()})


def test_an_unknown_request_is_a_programming_error():
    with pytest.raises(ValueError):
        states.accepts(states.WELCOME, "teleport")


@pytest.mark.parametrize("state", sorted(set(states.STATES) - states.SERVING))
def test_end_is_ignored_on_both_sides_while_ending_wiping_or_out_of_service(tmp_path, state):
    memory, memory_events = _memory(tmp_path, state)
    supervisor, supervisor_events = _supervisor(tmp_path, state)
    memory.request_end()
    memory.end_now()
    SupervisorPort(supervisor).request_end()
    supervisor.request_end("mediator")
    supervisor.apply_requests()
    assert memory.state() == supervisor.state == state
    assert memory_events.events == supervisor_events.events == []
