"""Launcher fixtures: one shared launcher window per module where behaviour allows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakesites import FakeSites
from tests.launcher.harness import Launcher


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
