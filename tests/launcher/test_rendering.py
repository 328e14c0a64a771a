"""How the window draws: software by default (faster start, no GPU driver), GPU on request;
on X11 (tests, demo) and on Wayland under cage (production)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from launcher.app import engine_environment
from tests.launcher.harness import ROOT, Launcher, as_user, write_policy
from tests.pixels import screen

TOOLBAR_BLUE = (29 / 255, 53 / 255, 87 / 255)

PAINT_PROBE = ("<h1>Rendu</h1><script>new PerformanceObserver((list) => {"
               "if (list.getEntries().some(e => e.name === 'first-contentful-paint')) "
               "fetch('/painted'); }).observe({type: 'paint', buffered: true});</script>")


def test_software_rendering_is_the_default():
    assert engine_environment({})["QT_QUICK_BACKEND"] == "software"


def test_software_rendering_keeps_qt_off_opengl():
    env = engine_environment({})
    assert env["QT_XCB_GL_INTEGRATION"] == "none"
    assert env["QT_WAYLAND_CLIENT_BUFFER_INTEGRATION"] == "none"


def test_gpu_rendering_is_an_explicit_choice():
    env = engine_environment({"KIOSK_LAUNCHER_GPU": "1"})
    assert "QT_QUICK_BACKEND" not in env
    assert "QT_XCB_GL_INTEGRATION" not in env
    assert "QT_WAYLAND_CLIENT_BUFFER_INTEGRATION" not in env


@pytest.mark.gui
@pytest.mark.parametrize("gpu", ["", "1"])
def test_pages_paint_in_both_modes(gpu, display, fake_sites, tmp_path):
    path = f"/render-{gpu or 'software'}"
    home = fake_sites.page("portal.localhost", path, PAINT_PROBE)
    fake_sites.add("portal.localhost", "/painted", "ok", content_type="text/plain")
    seen = len(fake_sites.requests("portal.localhost", "/painted"))
    launcher = Launcher(tmp_path, home, display, extra_env={"KIOSK_LAUNCHER_GPU": gpu})
    try:
        assert fake_sites.wait_for("portal.localhost", "/painted", timeout=30, count=seen + 1)
        # Software rendering draws without an OpenGL driver in the window's process (Mesa and
        # its LLVM weigh about 60 MB); the GPU path loads one (Mesa's llvmpipe under Xvfb).
        assert mesa_loaded(launcher.proc.pid) == bool(gpu)
    finally:
        launcher.stop()


def mesa_loaded(pid: int) -> bool:
    """A Mesa driver in the process: *_dri.so (Mesa up to 24), libgallium (later), or LLVM."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return any(name in maps for name in ("_dri.so", "libgallium", "libLLVM"))


@pytest.mark.gui
@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run the window as nobody, with the "
                                              "sandbox on, as production does")
def test_window_under_cage_draws_without_opengl(display, fake_sites):
    """Production's platform: Qt on Wayland under cage (here cage's X11 backend draws into the
    test's Xvfb), the window as an unprivileged account with the sandbox on. The page paints and
    reaches the screen, and no Mesa driver is loaded for it."""
    path = "/render-wayland"
    home = fake_sites.page("portal.localhost", path, PAINT_PROBE)
    fake_sites.add("portal.localhost", "/painted", "ok", content_type="text/plain")
    seen = len(fake_sites.requests("portal.localhost", "/painted"))
    base = Path(tempfile.mkdtemp(prefix="kiosk-wayland-"))  # not under root's 0700 pytest dir
    runtime = base / "run"
    runtime.mkdir(mode=0o700)
    policy = write_policy(base / "policy.toml", True, fake_sites.port)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(base),
           "DISPLAY": display, "XDG_RUNTIME_DIR": str(runtime), "PYTHONPATH": str(ROOT),
           "WLR_BACKENDS": "x11", "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1",
           "QT_QPA_PLATFORM": "wayland", "LANG": "C.UTF-8"}
    if os.environ.get("XAUTHORITY"):
        env["XAUTHORITY"] = os.environ["XAUTHORITY"]
    python = str(base / "venv" / Path(sys.executable).relative_to(sys.prefix))
    command = as_user("nobody", base, [
        "cage", "-d", "--", python, "-m", "kiosk", "launch", "--policy", str(policy),
        "--home", home, "--session-dir", str(base / "session")], env)
    proc = subprocess.Popen(command, env=env, cwd=str(ROOT), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        assert fake_sites.wait_for("portal.localhost", "/painted", timeout=60, count=seen + 1)
        window = next(p for p in psutil.Process(proc.pid).children(recursive=True)
                      if "launch" in p.cmdline())
        assert not mesa_loaded(window.pid)
        time.sleep(1)  # the first frame reaches cage's output
        shown = screen(display)  # cage's output window, at the top left of the Xvfb screen
        assert shown.share(TOOLBAR_BLUE, box=(0, 0, 1000, 8), tolerance=12) > 0.9
        assert shown.share((1, 1, 1), box=(0, 120, 1000, 700), tolerance=12) > 0.9
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        shutil.rmtree(base, ignore_errors=True)
