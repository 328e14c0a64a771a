"""A wipe that cannot be verified never hands the terminal to the next resident: "hors service"
until a retry succeeds."""

from __future__ import annotations

import os
import subprocess
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
