"""Terminals enrol, push their signed reports over HTTP, and queue them while the hub is down."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from waitress import create_server

from core.events import Event
from hub import create_hub_app
from kiosk.cli import cli
from kiosk.counters import CounterStore
from kiosk.stats_push import (
    backoff_delay,
    default_months,
    flush,
    flush_if_due,
    outbox,
    push_until_sent,
)
from policies import default_policy_path
from tests.hub.conftest import code_for


@pytest.fixture
def hub(database_url):
    """The hub served by waitress on loopback, as in production."""
    app = create_hub_app(database_url)
    server = create_server(app, host="127.0.0.1", port=0, threads=2)
    def serve() -> None:
        try:
            server.run()
        except OSError:
            pass  # the fixture closed the socket while the loop was waiting in select()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def terminal_state(tmp_path) -> Path:
    state = tmp_path / "terminal"
    state.mkdir()
    shutil.copy(default_policy_path(), state / "policy.toml")
    store = CounterStore(state)
    store.record(Event("session_started"), when=datetime(2026, 3, 3, 10))
    store.record(Event("tile_opened", site_id="caf"), when=datetime(2026, 3, 3, 10))
    store.close()
    return state


def dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def run(*args: str):
    return CliRunner().invoke(cli, ["stats", *args])


def reports(app) -> list[tuple]:
    return app.extensions["hub_db"].all("SELECT month, payload FROM reports ORDER BY month")


def test_a_report_waits_in_the_outbox_until_the_hub_answers(hub, terminal_state):
    app, url = hub
    code = code_for(app.extensions["hub_db"], "Centre social Bastide")
    state = str(terminal_state)
    enrolled = run("enrol", "--hub", url, "--code", code, "--association", "Bastide",
                   "--state-dir", state)
    assert enrolled.exit_code == 0, enrolled.output
    assert "Centre social Bastide" in enrolled.output

    offline = run("push", "--hub", dead_url(), "--month", "2026-03", "--state-dir", state)
    assert offline.exit_code == 1
    assert "kept in the outbox" in offline.output and "unreachable" in offline.output
    assert len(list(outbox(terminal_state).glob("*.json"))) == 1
    assert reports(app) == []

    online = run("push", "--month", "2026-03", "--month", "2026-02", "--state-dir", state)
    assert online.exit_code == 0, online.output
    assert list(outbox(terminal_state).glob("*.json")) == []
    stored = reports(app)
    assert [month for month, _ in stored] == ["2026-02", "2026-03"]
    figures = json.loads(stored[1][1])["figures"]
    assert figures["sessions_started"] == 1 and figures["tile_site"] == {"caf": 1}


def test_a_refused_report_stays_queued_with_the_reason(hub, terminal_state):
    _app, url = hub  # this terminal never enrolled
    result = run("push", "--hub", url, "--month", "2026-03", "--state-dir", str(terminal_state))
    assert result.exit_code == 1
    assert "unknown_terminal" in result.output
    assert len(list(outbox(terminal_state).glob("*.json"))) == 1


def test_retries_back_off_and_wait_for_their_time(terminal_state):
    from kiosk.export import signed_report
    from kiosk.stats_push import queue
    store = CounterStore(terminal_state)
    queue(terminal_state, signed_report(terminal_state, store, "2026-03", "A"))
    store.close()
    delays: list[float] = []
    result = push_until_sent(terminal_state, dead_url(), attempts=3, sleep=delays.append)
    assert delays == [60, 120] and not result.done
    assert flush_if_due(terminal_state, dead_url()) is None  # not due yet
    assert flush_if_due(terminal_state, dead_url(), now=2**40) is not None
    assert [backoff_delay(n) for n in (1, 2, 3, 20)] == [60, 120, 240, 6 * 3600]
    assert len(list(outbox(terminal_state).glob("*.json"))) == 1


def test_default_months_are_the_previous_and_the_current_one():
    assert default_months(date(2026, 1, 2)) == ["2025-12", "2026-01"]


def test_flush_with_an_empty_outbox_does_nothing(tmp_path):
    assert flush(tmp_path, dead_url()).done


def test_hub_cli_creates_staff_and_codes(tmp_path):
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    runner = CliRunner()
    made = runner.invoke(cli, ["hub", "--database", url, "add-staff", "financeur"],
                         input="correct horse battery\ncorrect horse battery\n")
    assert made.exit_code == 0, made.output
    short = runner.invoke(cli, ["hub", "--database", url, "add-staff", "x"], input="a\na\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    unknown = runner.invoke(cli, ["hub", "--database", url, "new-code", "Bastide"])
    assert unknown.exit_code == 1 and "add-place" in unknown.output
    place = runner.invoke(cli, ["hub", "--database", url, "add-place", "Centre social Bastide",
                                "--postcode", "33100", "--commune", "Bordeaux",
                                "--neighbourhood", "La Benauge", "--qpv-code", "QN03304M"])
    assert place.exit_code == 0, place.output
    again = runner.invoke(cli, ["hub", "--database", url, "add-place", "centre SOCIAL bastide"])
    assert again.exit_code == 1 and "déjà enregistré" in again.output
    code = runner.invoke(cli, ["hub", "--database", url, "new-code", "Centre social Bastide"])
    assert code.exit_code == 0
    assert len(code.output.strip()) == 14


def test_a_missing_postgres_is_a_clear_error_not_a_skip(monkeypatch):
    from tests.hub import pgserver
    monkeypatch.setattr(pgserver.glob, "glob", lambda pattern: [])
    with pytest.raises(pgserver.PostgresUnavailable, match="not installed"):
        pgserver.PostgresServer()


def test_the_finished_month_is_queued_once_and_sent_by_the_periodic_job(hub, terminal_state):
    from kiosk.stats_push import enrol, tick
    app, url = hub
    enrol(terminal_state, url, code_for(app.extensions["hub_db"], "Bastide"), "Bastide")
    store = CounterStore(terminal_state)
    try:
        offline = tick(terminal_state, store, dead_url(), today=date(2026, 4, 1))
        assert offline is not None and not offline.done
        assert tick(terminal_state, store, url, today=date(2026, 4, 1)) is None  # backing off
        sent = tick(terminal_state, store, url, today=date(2026, 4, 2), now=2**40)
    finally:
        store.close()
    assert sent.done and len(sent.sent) == 1
    assert [month for month, _ in reports(app)] == ["2026-03"]
    assert list(outbox(terminal_state).glob("*.json")) == []


def test_kiosk_hub_explains_a_database_it_cannot_open():
    result = CliRunner().invoke(cli, ["hub", "--database", "mysql://x/y"])
    assert result.exit_code == 1
    assert "cannot open the hub database" in result.output and "unsupported" in result.output
    result = CliRunner().invoke(cli, ["hub", "--database",
                                      "postgresql://bob:secret@127.0.0.1:9/hub"])
    assert result.exit_code == 1
    assert "cannot open the hub database postgresql://***@127.0.0.1:9/hub" in result.output
    assert "secret" not in result.output


def test_a_terminal_moves_to_another_association_with_a_new_code_and_its_own_proof(
        hub, terminal_state):
    """The keeper signs the re-enrolment proof with the terminal's key: no staff action needed
    when the terminal itself asks, and its earlier reports stay with the first association."""
    from kiosk.keeper import Keeper, KeeperError
    from kiosk.stats_push import enrol
    app, url = hub
    db = app.extensions["hub_db"]
    enrol(terminal_state, url, code_for(db, "Centre social Bastide"), "Bastide")
    pushed = run("push", "--month", "2026-03", "--state-dir", str(terminal_state))
    assert pushed.exit_code == 0, pushed.output
    moved = enrol(terminal_state, url, code_for(db, "Maison du Grand Parc"), "Grand Parc")
    assert moved["association"] == "Maison du Grand Parc"
    assert db.all("SELECT association FROM terminals") == [("Maison du Grand Parc",)]
    assert db.all("SELECT association FROM reports") == [("Centre social Bastide",)]
    assert [row[0] for row in db.all("SELECT action FROM audit WHERE actor = 'terminal'")] == [
        "rebind_with_proof"]
    keeper = Keeper(terminal_state)
    with pytest.raises(KeeperError):  # nothing but that exact statement gets signed
        keeper.sign_rebind({"purpose": "rebind", "terminal_id": "x", "public_key": "y",
                            "code": "0" * 64, "figures": {}})
