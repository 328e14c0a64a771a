"""POST /api/reports: signed, idempotent per terminal and month, refusals store nothing."""

from __future__ import annotations

import base64
import json

import pytest

from tests.hub.conftest import Terminal


def stored(db) -> list[tuple]:
    return db.all("SELECT terminal_id, month, version FROM reports ORDER BY month")


def test_a_signed_report_from_an_enrolled_terminal_is_stored(client, db, terminal):
    answer = client.post("/api/reports", json=terminal.report())
    assert answer.status_code == 201, answer.json
    assert answer.json == {"stored": True, "terminal_id": terminal.id, "month": "2026-03",
                           "version": 1}
    assert stored(db) == [(terminal.id, "2026-03", 1)]
    association = db.one("SELECT association FROM reports")[0]
    assert association == "Centre social Bastide"


def test_a_replayed_report_is_refused_and_nothing_changes(client, db, terminal):
    report = terminal.report()
    assert client.post("/api/reports", json=report).status_code == 201
    again = client.post("/api/reports", json=report)
    assert again.status_code == 409
    assert again.json["error"] == "replay"
    assert stored(db) == [(terminal.id, "2026-03", 1)]


def test_a_newer_version_replaces_the_older_one(client, db, terminal):
    client.post("/api/reports", json=terminal.report(sessions=5, version=10))
    assert client.post("/api/reports", json=terminal.report(sessions=8, version=20)).status_code \
        == 201
    old = client.post("/api/reports", json=terminal.report(sessions=1, version=15))
    assert old.status_code == 409
    assert stored(db) == [(terminal.id, "2026-03", 20)]
    payload = json.loads(db.one("SELECT payload FROM reports")[0])
    assert payload["figures"]["sessions_started"] == 8


def test_months_are_stored_separately(client, db, terminal):
    client.post("/api/reports", json=terminal.report(month="2026-02"))
    client.post("/api/reports", json=terminal.report(month="2026-03"))
    assert [row[1] for row in stored(db)] == ["2026-02", "2026-03"]


def test_a_tampered_report_is_refused(client, db, terminal):
    envelope = terminal.report(sessions=5)
    envelope["payload"] = envelope["payload"].replace('"sessions_started":5',
                                                      '"sessions_started":500')
    answer = client.post("/api/reports", json=envelope)
    assert answer.status_code == 400
    assert answer.json["error"] == "invalid_signature"
    assert stored(db) == []


def test_a_report_signed_with_another_key_is_refused(client, db, terminal):
    impostor = Terminal()
    impostor.id = terminal.id
    answer = client.post("/api/reports", json=impostor.report())
    assert answer.json["error"] == "invalid_signature"
    assert stored(db) == []


def test_a_report_from_an_unknown_terminal_is_refused(client, db):
    answer = client.post("/api/reports", json=Terminal().report())
    assert answer.status_code == 403
    assert answer.json["error"] == "unknown_terminal"
    assert "not enrolled" in answer.json["message"]
    assert stored(db) == []


MALFORMED_REPORTS = {
    "negative count": {"figures": "negative"},
    "float count": {"figures": "float"},
    "unknown figure": {"figures": "extra"},
    "unknown thematic": {"figures": "theme"},
    "site id with a url": {"figures": "site"},
    "unknown answer": {"figures": "answer"},
    "bad month": {"month": "2026-13"},
    "month with a day": {"month": "2026-03-01"},
    "future schema": {"schema_version": 2},
    "version zero": {"version": 0},
    "version as text": {"version": "7"},
}


def _broken_figures(kind: str, base: dict) -> dict:
    figures = json.loads(json.dumps(base))
    if kind == "negative":
        figures["sessions_started"] = -1
    elif kind == "float":
        figures["sessions_started"] = 1.5
    elif kind == "extra":
        figures["visited_urls"] = 0
    elif kind == "theme":
        figures["tile_thematic"]["jean_dupont"] = 1
    elif kind == "site":
        figures["tile_site"]["https://caf.fr/?nir=1850533063042"] = 1
    elif kind == "answer":
        figures["answer_age_band"] = {"under_26": 1, "Josiane 1985": 1}
    return figures


@pytest.mark.parametrize("name", MALFORMED_REPORTS)
def test_a_malformed_report_is_refused_with_a_clear_error(client, db, terminal, name):
    from tests.hub.conftest import figures
    changes = dict(MALFORMED_REPORTS[name])
    if "figures" in changes:
        changes["figures"] = _broken_figures(changes["figures"], figures())
    if changes.get("version") == "7":
        terminal.version = 0
    envelope = terminal.report(**changes)
    answer = client.post("/api/reports", json=envelope)
    assert answer.status_code == 400, answer.json
    assert answer.json["error"] in ("malformed", "unsupported_schema")
    assert answer.json["message"]
    assert stored(db) == []


@pytest.mark.parametrize("body", [
    b"not json", b"[]", b'{"payload": "x"}', b'{"payload": "{}", "signature": "%%%"}',
    b'{"payload": "[1]", "signature": "AAAA"}', b'{"payload": 5, "signature": "AAAA"}',
])
def test_a_broken_envelope_is_refused(client, db, terminal, body):
    answer = client.post("/api/reports", data=body, content_type="application/json")
    assert answer.status_code in (400, 403)
    assert answer.json["error"] in ("malformed", "unknown_terminal")
    assert stored(db) == []


def test_an_oversized_report_is_refused_as_json(client, db, terminal):
    answer = client.post("/api/reports", data=b"{" + b" " * 70000 + b"}",
                         content_type="application/json")
    assert answer.status_code == 413
    assert answer.json["error"] == "request_entity_too_large"


def test_an_enrolment_code_works_once(client, db):
    from kiosk.identity import public_key_b64
    from tests.hub.conftest import code_for
    code = code_for(db, "Maison de quartier")
    first, second = Terminal(), Terminal()
    body = {"public_key": public_key_b64(first.key), "association": "x", "code": code}
    assert client.post("/api/enrol", json={**body, "terminal_id": first.id}).status_code == 201
    again = client.post("/api/enrol", json={**body, "terminal_id": second.id,
                                            "public_key": public_key_b64(second.key)})
    assert again.status_code == 403
    assert again.json["error"] == "invalid_code"
    rows = db.all("SELECT terminal_id, association FROM terminals")
    assert rows == [(first.id, "Maison de quartier")]


@pytest.mark.parametrize("change", [
    {"code": "AAAA-BBBB-CCCC"}, {"public_key": base64.b64encode(b"short").decode()},
    {"terminal_id": "not-a-uuid"}, {"code": None},
])
def test_a_bad_enrolment_is_refused(client, db, change):
    from kiosk.identity import public_key_b64
    from tests.hub.conftest import code_for
    terminal = Terminal()
    body = {"terminal_id": terminal.id, "public_key": public_key_b64(terminal.key),
            "association": "A", "code": code_for(db, "A"), **change}
    answer = client.post("/api/enrol", json=body)
    assert answer.status_code in (400, 403)
    assert answer.json["message"]
    assert db.all("SELECT * FROM terminals") == []


def test_an_expired_code_is_refused(client, db):
    from kiosk.identity import public_key_b64
    from tests.hub.conftest import code_for
    code = code_for(db, "A")
    db.execute("UPDATE enrolment_codes SET expires_at = '2000-01-01T00:00:00+00:00'")
    terminal = Terminal()
    answer = client.post("/api/enrol", json={"terminal_id": terminal.id, "code": code,
                                             "public_key": public_key_b64(terminal.key)})
    assert answer.status_code == 403 and answer.json["error"] == "invalid_code"


def test_concurrent_enrolments_with_one_code_enrol_one_terminal(app, db):
    import threading

    from kiosk.identity import public_key_b64
    from tests.hub.conftest import code_for
    code = code_for(db, "A")
    statuses: list[int] = []

    def attempt() -> None:
        terminal = Terminal()
        answer = app.test_client().post("/api/enrol", json={
            "terminal_id": terminal.id, "code": code, "public_key": public_key_b64(terminal.key)})
        statuses.append(answer.status_code)
        app.extensions["hub_db"].close()

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 403, 403, 403, 403, 403]
    assert len(db.all("SELECT * FROM terminals")) == 1


def test_a_report_with_the_end_answers_and_autonomy_is_stored(client, db, terminal):
    """Terminals since #17 add these figures; reports without them (older terminals) still
    go in (the test above)."""
    from tests.hub.conftest import figures
    extra = {"autonomy": {"alone": 4, "accompanied": 1, "unknown": 0},
             "answer_outcome": {"alone": 2, "helped": 1, "not_yet": 0, "no_answer": 2},
             "answer_first_time": {"yes": 1, "no": 0, "no_answer": 4},
             "answer_age_band": {"under_26": 0, "26_59": 0, "60_plus": 0, "no_answer": 5}}
    answer = client.post("/api/reports", json=terminal.report(figures={**figures(), **extra}))
    assert answer.status_code == 201, answer.json
    assert stored(db) == [(terminal.id, "2026-03", 1)]


def test_a_report_with_the_read_aloud_count_is_stored_and_a_wrong_one_refused(client, db,
                                                                              terminal):
    """Terminals since #16 send "read_aloud" (a count); older reports lack it (above)."""
    from tests.hub.conftest import figures
    answer = client.post("/api/reports", json=terminal.report(figures={**figures(),
                                                                       "read_aloud": 3}))
    assert answer.status_code == 201, answer.json
    refused = client.post("/api/reports", json=terminal.report(
        figures={**figures(), "read_aloud": {"fr": 3}}))
    assert refused.status_code == 400 and "read_aloud" in str(refused.json), refused.json


def test_a_report_with_the_keyboard_count_is_stored_and_a_wrong_one_refused(client, db,
                                                                            terminal):
    """Terminals since #16 send "keyboard" (a count); older reports lack it (above)."""
    from tests.hub.conftest import figures

    answer = client.post("/api/reports", json=terminal.report(figures={**figures(),
                                                                       "keyboard": 3}))
    assert answer.status_code == 201, answer.json
    refused = client.post("/api/reports", json=terminal.report(
        figures={**figures(), "keyboard": {"fr": 3}}))
    assert refused.status_code == 400 and "keyboard" in str(refused.json), refused.json
