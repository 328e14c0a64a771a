"""The end questions in the real terminal: the toolbar's "Terminer" opens them in the kept
window, the answer ends and wipes the session, and only enumerated counts are kept."""

from __future__ import annotations

import os
import threading

import pytest

from kiosk.runtime import build_runtime
from kiosk.supervisor import Options
from tests.supervisor.conftest import ROOT, free_port, wait
from tests.supervisor.test_privacy import SECRET, assert_nothing_identifying_outside_the_session

pytestmark = [pytest.mark.gui]


@pytest.fixture
def terminal(tmp_path, display):
    """The real supervisor (in this process) opening its portal in a real launcher window."""
    state = tmp_path / "state"
    state.mkdir()
    (state / "config.toml").write_text(f"portal_port = {free_port()}\n")
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_CONFIG_HOME": str(home / ".config"), "PYTHONPATH": str(ROOT), "DISPLAY": display}
    if os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    runtime = build_runtime(state, options=Options(windowed=True, launcher_env=env))
    thread = threading.Thread(target=runtime.run, daemon=True)
    thread.start()
    yield runtime, state
    runtime.supervisor.stop()
    thread.join(30)
    runtime.close()


def test_toolbar_end_shows_the_question_in_the_window_and_the_answer_ends_the_session(terminal):
    """"Terminer" in the toolbar (the launcher's `end_requested`): the kept window opens the
    portal's question instead of ending; an answer carrying resident data is refused, a real
    one is counted on its own, ends and wipes the session; nothing identifying is kept."""
    import sqlite3
    import urllib.error
    import urllib.request

    from core.events import Event

    runtime, state = terminal
    supervisor = runtime.supervisor
    wait(lambda: supervisor.ready)
    seen: list[str] = []
    served = runtime.portal_server.application  # waitress looks it up for every request

    def recording(environ, start_response):
        seen.append(environ.get("PATH_INFO", ""))
        return served(environ, start_response)

    runtime.portal_server.application = recording
    urllib.request.urlopen(supervisor.portal_url + "api/state", timeout=10).close()
    assert seen, "control: the recorder sees the portal's requests"
    seen.clear()
    supervisor.request_begin()
    wait(lambda: supervisor.state == "active")
    supervisor._launcher.events.put(Event("end_requested"))  # what the toolbar's dialog sends
    supervisor._wake.set()
    wait(lambda: "/fin/questions" in seen, 20)  # the real window asked the portal for it
    assert supervisor.state == "active", "the session must wait for the answer"
    base = supervisor.portal_url.rstrip("/")

    def post(body: bytes) -> int:
        try:
            with urllib.request.urlopen(urllib.request.Request(
                    base + "/fin/questions/0", data=body, method="POST"), timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as error:
            return error.code

    assert post(f"reponse={SECRET}+Durand".encode()) == 400
    assert supervisor.state == "active"
    assert post(b"reponse=alone") in (200, 303)
    wait(lambda: supervisor.state == "welcome" and supervisor.last_end_reason == "user", 30)
    assert supervisor.last_wipe.ok
    with sqlite3.connect(state / "counters.sqlite3") as db:
        rows = db.execute("SELECT metric, key, SUM(count) FROM daily WHERE metric LIKE "
                          "'answer_%' GROUP BY metric, key").fetchall()
    assert rows == [("answer_outcome", "alone", 1)]
    assert_nothing_identifying_outside_the_session(state, runtime)
