"""How a launcher window starts and ends: full screen, toolbar end, SIGTERM, parent gone."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest

from tests.launcher.harness import Launcher, visible_windows, xdotool

pytestmark = pytest.mark.gui


@pytest.fixture
def window(display, fake_sites, tmp_path):
    home = fake_sites.page("portal.localhost", "/", "<h1>Accueil</h1>")
    launcher = Launcher(tmp_path, home, display)
    try:
        launcher.wait_event("ready", timeout=30)
        yield launcher
    finally:
        launcher.stop()


def test_window_covers_the_whole_screen_without_a_window_manager(window, display):
    time.sleep(0.3)
    geometries = []
    for wid in visible_windows(window, display):
        out = subprocess.run(["xdotool", "getwindowgeometry", wid], capture_output=True,
                             text=True, env={**os.environ, "DISPLAY": display}).stdout
        geometries.append(re.search(r"Geometry: (\d+x\d+)", out).group(1))
    assert "1280x800" in geometries


def test_end_session_from_the_toolbar_asks_then_ends(window, display):
    time.sleep(0.3)
    xdotool("mousemove", "1175", "28", "click", "1", display=display)
    time.sleep(0.5)
    xdotool("mousemove", "640", "400", "key", "Return", display=display)  # "Oui, terminer"
    window.wait_event("end_requested")
    assert window.wait_exit() == 0


def test_sigterm_closes_the_window(window):
    window.proc.send_signal(signal.SIGTERM)
    assert window.wait_exit() == 0


def test_parent_closing_the_pipe_ends_the_window(window):
    window.proc.stdin.close()
    assert window.wait_exit() == 0
    assert "end_requested" not in window.kinds()


def test_no_devtools_server_even_if_the_environment_asks(display, fake_sites, tmp_path):
    import socket

    home = fake_sites.page("portal.localhost", "/", "<h1>Accueil</h1>")
    launcher = Launcher(tmp_path, home, display, extra_env={
        "QTWEBENGINE_REMOTE_DEBUGGING": "127.0.0.1:9339",
        "QTWEBENGINE_CHROMIUM_FLAGS": "--remote-debugging-port=9338"})
    try:
        launcher.wait_event("ready", timeout=30)
        for port in (9338, 9339):
            with socket.socket() as sock:
                assert sock.connect_ex(("127.0.0.1", port)) != 0
    finally:
        launcher.stop()


def test_stderr_never_names_a_page(display, fake_sites, tmp_path):
    """The supervisor may keep the launcher's stderr: no URL, host or page text may reach it."""
    evil = fake_sites.url("evil.localhost", "/secret-path")
    home = fake_sites.page("portal.localhost", "/", (
        "<script>console.log('secret-text ' + location.href); console.error('secret-error');"
        f"fetch('http://nowhere.localhost:1/secret-fetch').catch(() => {{}});"
        f"onload = () => setTimeout(() => {{ location.href = '{evil}'; }}, 200);</script>"
        "<img src='/secret-missing.png'>"))
    launcher = Launcher(tmp_path, home, display)
    try:
        launcher.wait_event("navigation_refused", timeout=30)
        launcher.send(op="quit")
        assert launcher.wait_exit() == 0
    finally:
        launcher.stop()
    stderr = launcher.stderr_path.read_text(errors="replace")
    assert "secret" not in stderr and "localhost" not in stderr


@pytest.fixture
def window_manager(display, tmp_path):
    """openbox on the test display for one test (the kiosk must work with and without one)."""
    env = {**os.environ, "DISPLAY": display, "HOME": str(tmp_path / "wm-home")}
    (tmp_path / "wm-home").mkdir()
    wm = subprocess.Popen(["openbox", "--sm-disable"], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    try:
        yield wm
    finally:
        wm.terminate()
        wm.wait(timeout=10)


def test_window_covers_the_screen_under_a_window_manager(window_manager, display, fake_sites,
                                                        tmp_path):
    home = fake_sites.page("portal.localhost", "/", "<h1>Accueil</h1>")
    launcher = Launcher(tmp_path / "kiosk", home, display)
    try:
        launcher.wait_event("ready", timeout=30)
        time.sleep(0.5)
        env = {**os.environ, "DISPLAY": display}
        active = subprocess.run(["xdotool", "getactivewindow", "getwindowgeometry"],
                                capture_output=True, text=True, env=env).stdout
        assert "Position: 0,0" in active and "Geometry: 1280x800" in active
        state = subprocess.run(["xprop", "-id", active.split()[1], "_NET_WM_STATE"],
                               capture_output=True, text=True, env=env).stdout
        assert "_NET_WM_STATE_FULLSCREEN" in state
    finally:
        launcher.stop()


def test_documents_button_opens_the_portal_list_and_quit_still_works(window, display,
                                                                     fake_sites):
    """One documents experience: the portal's page (in the resident's language), never a
    native list over the page."""
    before = len(visible_windows(window, display))
    seen = len(fake_sites.requests("portal.localhost", "/documents"))
    xdotool("mousemove", "188", "28", "click", "1", display=display)  # "Mes documents"
    fake_sites.wait_for("portal.localhost", "/documents", count=seen + 1)
    assert len(visible_windows(window, display)) == before
    window.send(op="quit")
    assert window.wait_exit() == 0
