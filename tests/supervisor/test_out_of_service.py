"""A wipe that cannot be verified never hands the terminal to the next resident: "hors service"
until a retry succeeds."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from kiosk.runtime import build_runtime
from kiosk.supervisor import Options
from tests.supervisor.conftest import ROOT, free_port, short_policy, wait

pytestmark = [pytest.mark.gui, pytest.mark.slow]



@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a read-only filesystem needs root")
def test_an_unverifiable_wipe_keeps_the_terminal_out_of_service_until_it_succeeds(tmp_path,
                                                                                  display):
    state = tmp_path / "state"
    state.mkdir()
    port = free_port()
    (state / "config.toml").write_text(f"portal_port = {port}\n")
    (state / "policy.toml").write_bytes(short_policy())
    env = {"HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT), "DISPLAY": display,
           "QTWEBENGINE_DISABLE_SANDBOX": "1"}
    runtime = build_runtime(state, sinks=[], options=Options(windowed=True, launcher_env=env,
                                                               out_of_service_retry=1.0))
    supervisor = runtime.supervisor
    thread = threading.Thread(target=runtime.run, daemon=True)
    thread.start()
    stuck = state / "session" / "downloads" / "stuck"
    try:
        wait(lambda: supervisor.ready)
        supervisor.request_begin()
        wait(lambda: supervisor.state == "active")
        stuck.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(stuck)], check=True)
        (stuck / "attestation.pdf").write_bytes(b"%PDF resident")
        subprocess.run(["mount", "-o", "remount,ro", str(stuck)], check=True)
        supervisor.request_end("user")
        wait(lambda: supervisor.state == "out_of_service", timeout=60)
        status = supervisor.status()
        assert status["purge_failed"] or not status["last_wipe"]["ok"]
        assert not supervisor.ready  # no welcome screen for the next resident
        with pytest.raises(urllib.error.HTTPError) as page:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/hors-service", timeout=10)
        assert page.value.code == 503 and "hors service" in page.value.read().decode()
        time.sleep(2.5)  # retries keep failing while the mount is there
        assert supervisor.state == "out_of_service"
    finally:
        for point in _mounts_under(state):
            subprocess.run(["umount", "-l", point], check=False)
    wait(lambda: supervisor.state == "welcome", timeout=30)
    wait(lambda: supervisor.ready, timeout=30)
    trash = state / "session.trash"
    assert not supervisor.purge_failed
    assert not trash.exists() or not any(trash.iterdir())
    supervisor.stop()
    thread.join(30)
    runtime.close()


def _mounts_under(path) -> list[str]:
    with open("/proc/self/mounts") as mounts:
        points = [line.split()[1] for line in mounts]
    return sorted((p for p in points if p.startswith(str(path))), key=len, reverse=True)


def unstartable_window_env(env: dict[str, str]) -> tuple[dict[str, str], str]:
    """An environment where the window cannot start, and what the log must then say: as root,
    the sandbox left on (Chromium refuses); otherwise a display platform that does not exist."""
    env = dict(env)
    if os.geteuid() == 0:
        env.pop("QTWEBENGINE_DISABLE_SANDBOX", None)
        return env, "running as root with the Chromium sandbox on"
    env["QT_QPA_PLATFORM"] = "nosuchplatform"
    return env, "nosuchplatform"


def test_a_window_that_cannot_start_backs_off_out_of_service_and_says_why(tmp_path, display):
    from tests.supervisor.conftest import RunningKiosk

    kiosk = RunningKiosk(tmp_path, short_policy(), display)
    kiosk.env, expected = unstartable_window_env(kiosk.env)
    kiosk.process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--state-dir", str(kiosk.state), "--windowed"],
        env=kiosk.env, stdout=kiosk.log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        status = kiosk.wait_for(lambda s: s["state"] == "out_of_service", timeout=60)
        assert not status["ready"]
        time.sleep(5)  # no tight restart loop while out of service
        assert kiosk.status()["state"] == "out_of_service"
        log = (tmp_path / "run.log").read_text(errors="replace")
        assert log.count("the window exited before showing anything") == 3
        assert expected in log and "the window cannot start" in log
        assert kiosk.process.poll() is None
    finally:
        kiosk.stop()


@pytest.mark.skipif(os.geteuid() != 0, reason="the demo's root case needs root")
def test_kiosk_demo_as_root_shows_the_welcome_screen_and_warns_the_sandbox_is_off(tmp_path,
                                                                                  display):
    from kiosk import control
    from tests.supervisor.conftest import RunningKiosk

    kiosk = RunningKiosk(tmp_path, short_policy(), display)
    kiosk.env.pop("QTWEBENGINE_DISABLE_SANDBOX", None)
    kiosk.process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "demo", "--state-dir", str(kiosk.state)],
        env=kiosk.env, stdout=kiosk.log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        kiosk.wait_for(lambda s: s["state"] == "welcome" and s["ready"], timeout=60)
        kiosk.begin()
        control.request(kiosk.state, {"cmd": "end"}, timeout=30)
        kiosk.wait_for(lambda s: s["state"] == "welcome" and s["ready"], timeout=60)
        log = (tmp_path / "run.log").read_text(errors="replace")
        assert "sandbox is OFF for this demo" in log
        assert f"http://127.0.0.1:{kiosk.port}/" in log
        assert "exited before showing anything" not in log
    finally:
        kiosk.stop()
