"""How the window draws: software by default (faster start, no GPU driver), GPU on request."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.app import engine_environment
from tests.launcher.harness import Launcher

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
