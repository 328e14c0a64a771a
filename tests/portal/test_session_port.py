"""The in-memory session follows the supervisor's lifecycle and honours the SessionPort contract."""

from __future__ import annotations

import pytest

from core.events import Event
from portal.session import MemorySession, SessionPort


def test_memory_session_implements_the_port(session):
    assert isinstance(session, SessionPort)


def test_lifecycle_welcome_active_warning_active_end(session, events):
    assert session.state() == "welcome" and session.seconds_left() is None
    session.request_start()
    assert session.state() == "active" and session.seconds_left() > 3500
    session.start_warning("idle", 30)
    assert session.state() == "warning" and session.warning() == "idle"
    assert session.seconds_left() <= 30
    session.emit(Event("activity"))
    assert session.state() == "active" and session.warning() is None \
        and session.seconds_left() > 3500
    session.request_end()
    assert session.state() == "welcome"
    # the end question (on in this fixture) was not answered: counted as "no answer"
    assert [e.kind for e in events] == ["session_started", "activity", "end_requested",
                                        "answer", "session_ended"]
    assert Event("answer", detail="outcome:no_answer") in events


def test_time_limit_warning_keeps_the_hard_limit_after_activity(session):
    session.request_start()
    session.start_warning("time_limit", 300)
    session.emit(Event("activity"))
    assert session.state() == "active" and session.seconds_left() <= 300


def test_end_resets_language_and_help(session):
    session.request_start()
    session.set_language("ar")
    session.request_help()
    session.request_end()
    assert session.language() == "fr" and not session.help_requested()


def test_end_outside_a_session_does_nothing(session, events):
    session.request_end()
    assert events == [] and session.state() == "welcome"


def test_unknown_warning_kind_is_refused(session):
    with pytest.raises(ValueError):
        session.start_warning("other", 10)


def test_documents_dir_may_not_exist_yet(tmp_path):
    app_session = MemorySession(tmp_path / "absent")
    from portal import create_app

    client = create_app({"TESTING": True, "PORTAL_SESSION": app_session}).test_client()
    assert client.get("/documents").status_code == 200
    assert client.get("/api/documents").get_json() == {"documents": []}
