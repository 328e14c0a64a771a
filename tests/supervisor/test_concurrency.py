"""Only the supervisor's thread changes the terminal's state: 20 portal threads asking at once for
languages, help, accompanied unlocks, new catalogues, starts and ends leave it consistent, and
the next resident still gets a clean French session."""

from __future__ import annotations

import random
import threading
import urllib.request

import pytest

from kiosk.portal_port import SupervisorPort
from kiosk.runtime import build_runtime
from kiosk.supervisor import Options, Supervisor
from tests.supervisor.conftest import ROOT, free_port, wait

WATCHED = {"state", "language", "help_requested", "warning_kind", "end_reason", "_timer",
           "_started_at", "_launcher", "ready"}


@pytest.mark.gui
@pytest.mark.slow
def test_twenty_portal_threads_never_change_state_behind_the_supervisors_back(
        tmp_path, display, monkeypatch):
    writers: list[tuple[str, str]] = []
    original = Supervisor.__setattr__

    def audited(self, name, value):
        loop = self.__dict__.get("_loop_thread")
        if name in WATCHED and loop is not None and threading.current_thread() is not loop:
            writers.append((name, threading.current_thread().name))
        original(self, name, value)

    monkeypatch.setattr(Supervisor, "__setattr__", audited)
    state = tmp_path / "state"
    state.mkdir()
    port_number = free_port()
    (state / "config.toml").write_text(f"portal_port = {port_number}\nwiped_notice_seconds = 0\n")
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "DISPLAY": display,
           "XDG_CONFIG_HOME": str(home / ".config"), "PYTHONPATH": str(ROOT)}
    import os

    if os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    runtime = build_runtime(state, options=Options(windowed=True, launcher_env=env))
    supervisor = runtime.supervisor
    loop = threading.Thread(target=runtime.run, daemon=True, name="supervisor")
    loop.start()
    try:
        wait(lambda: supervisor.state == "welcome" and supervisor.ready, timeout=60)
        port = SupervisorPort(supervisor)
        base = f"http://127.0.0.1:{port_number}"

        def post(path: str, data: bytes = b"") -> None:
            request = urllib.request.Request(base + path, data=data, method="POST")
            with urllib.request.urlopen(request, timeout=30):
                pass

        errors: list[BaseException] = []

        def resident_storm(n: int) -> None:
            rng = random.Random(n)
            try:
                for _ in range(15):
                    choice = rng.randrange(7)
                    if choice == 0:
                        post("/langue", f"lang={rng.choice(['ar', 'en', 'fr'])}".encode())
                    elif choice == 1:
                        post("/aide", b"")
                    elif choice == 2:
                        post("/commencer")
                    elif choice == 3:
                        port.unlock_site(f"site{n}", (f"s{n}.localhost",))
                    elif choice == 4:
                        port.policy_changed()
                    elif choice == 5:
                        port.set_language(rng.choice(["ar", "en"]))
                    elif n % 5 == 0:
                        post("/fin", b"confirm=1")
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=resident_storm, args=(n,), name=f"portal-{n}")
                   for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert errors == []
        assert writers == [], f"state changed outside the supervisor's thread: {writers[:5]}"
        assert loop.is_alive()
        # Consistent afterwards: one more resident ends, the next one is a clean French session.
        supervisor.request_begin()
        wait(lambda: supervisor.state == "active", timeout=30)
        port.set_language("ar")
        assert port.language() == "ar"
        supervisor.request_end("user")
        wait(lambda: supervisor.state == "welcome" and supervisor.ready, timeout=60)
        assert port.language() == "fr" and not port.help_requested()
        assert port.unlocked_site() is None and supervisor.warning_kind is None
        assert supervisor.last_wipe.ok
    finally:
        supervisor.stop()
        loop.join(30)
        runtime.close()
