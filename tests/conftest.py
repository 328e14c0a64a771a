"""Session-wide fixtures shared by every area: a display, the fake web sites, and Debian's
Chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.fakesites import FakeSites, FakeSitesServer
from tests.xserver import start_xvfb

CHROMIUM = "/usr/bin/chromium"


def chromium_args() -> list[str]:
    """No background traffic (the network is closed) and no sandbox when tests run as root."""
    args = ["--disable-background-networking", "--disable-component-update", "--no-first-run",
            "--disable-gpu"]
    return args + (["--no-sandbox"] if os.geteuid() == 0 else [])


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """An X display: $DISPLAY when set (xvfb-run), else one Xvfb started for the session."""
    existing = os.environ.get("DISPLAY")
    if existing:
        yield existing
        return
    if shutil.which("Xvfb") is None:
        pytest.fail("no $DISPLAY and no Xvfb: install xvfb or run under xvfb-run")
    proc, name = start_xvfb("1280x800x24")
    if not name:
        proc.kill()
        pytest.fail("Xvfb did not start")
    os.environ["DISPLAY"] = name
    try:
        yield name
    finally:
        os.environ.pop("DISPLAY", None)
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def fake_sites() -> Iterator[FakeSites]:
    """One threaded HTTP server on 127.0.0.1 answering for caf.localhost, evil.localhost... ."""
    with FakeSitesServer() as sites:
        yield sites


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; each test opens its own context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
        yield chromium
        chromium.close()
