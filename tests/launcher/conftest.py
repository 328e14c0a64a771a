"""Launcher fixtures: one shared launcher window per module where behaviour allows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakesites import FakeSites
from tests.launcher.harness import Launcher


@pytest.fixture
def scenario(fake_sites: FakeSites):
    """Put `html` on the portal's home page; the test then sends {"op":"home"} to run it."""

    def put(html: str, path: str = "/") -> str:
        return fake_sites.page("portal.localhost", path, html)

    return put


@pytest.fixture(scope="module")
def launcher(display: str, fake_sites: FakeSites, tmp_path_factory) -> Iterator[Launcher]:
    """A launcher in strict mode on the portal home, shared by one test module."""
    home = fake_sites.page("portal.localhost", "/", "<h1>Accueil</h1>")
    proc = Launcher(tmp_path_factory.mktemp("launcher"), home, display, strict=True)
    try:
        proc.wait_event("ready", timeout=30)
        yield proc
    finally:
        proc.stop()


def run_scenario(launcher: Launcher, fake_sites: FakeSites, html: str) -> int:
    """Load `html` as the home page in the shared window; return the event mark before it."""
    fake_sites.page("portal.localhost", "/", html)
    mark = launcher.mark()
    seen = len(fake_sites.requests("portal.localhost", "/"))
    launcher.send(op="home")
    fake_sites.wait_for("portal.localhost", "/", count=seen + 1)
    return mark
