"""How the window draws: software by default (faster start, no GPU driver), GPU on request."""

from __future__ import annotations

import pytest

from launcher.app import engine_environment
from tests.launcher.harness import Launcher

PAINT_PROBE = ("<h1>Rendu</h1><script>new PerformanceObserver((list) => {"
               "if (list.getEntries().some(e => e.name === 'first-contentful-paint')) "
               "fetch('/painted'); }).observe({type: 'paint', buffered: true});</script>")


def test_software_rendering_is_the_default():
    assert engine_environment({})["QT_QUICK_BACKEND"] == "software"


def test_gpu_rendering_is_an_explicit_choice():
    assert "QT_QUICK_BACKEND" not in engine_environment({"KIOSK_LAUNCHER_GPU": "1"})


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
    finally:
        launcher.stop()
