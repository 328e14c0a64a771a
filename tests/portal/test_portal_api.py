"""The /api JSON: state and documents, for local callers only."""

from __future__ import annotations

import pytest

REMOTE = {"REMOTE_ADDR": "192.168.1.20"}


def test_state_reports_welcome_then_active_with_time_left(client):
    assert client.get("/api/state").get_json() == {
        "state": "welcome", "warning": None, "seconds_left": None, "language": "fr",
        "help_requested": False}
    client.post("/commencer")
    data = client.get("/api/state").get_json()
    assert data["state"] == "active" and 3590 <= data["seconds_left"] <= 3600


def test_state_reports_the_warning_kind(client, session):
    client.post("/commencer")
    session.start_warning("idle", 60)
    data = client.get("/api/state").get_json()
    assert data["state"] == "warning" and data["warning"] == "idle" and data["seconds_left"] <= 60


def test_documents_list(client, downloads):
    (downloads / "a.pdf").write_bytes(b"%PDF-1.4")
    assert client.get("/api/documents").get_json() == {
        "documents": [{"name": "a.pdf", "size": 8, "kind": "pdf"}]}


@pytest.mark.parametrize("method, path", [
    ("get", "/api/state"), ("get", "/api/documents"),
])
def test_api_refuses_callers_from_the_network(client, session, method, path):
    response = getattr(client, method)(path, environ_base=REMOTE)
    assert response.status_code == 403 and response.is_json
    assert not session.help_requested()


@pytest.mark.parametrize("addr", ["127.0.0.1", "::1", "::ffff:127.0.0.1", "127.5.5.5"])
def test_api_answers_loopback_callers(client, addr):
    assert client.get("/api/state", environ_base={"REMOTE_ADDR": addr}).status_code == 200


def test_api_errors_are_json(client):
    response = client.get("/api/nothing")
    assert response.status_code == 404
    body = response.get_json()  # the hub's format too (core.api_errors)
    assert body["error"] == "not_found" and body["message"] and set(body) == {"error", "message"}
