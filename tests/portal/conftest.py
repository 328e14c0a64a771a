"""Fixtures for the portal: a real app on a temporary downloads dir, an in-memory session."""

from __future__ import annotations

import pytest

from core.events import ListSink
from portal import create_app
from portal.session import MemorySession
from tests.pdfs import make_pdf


@pytest.fixture
def session(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    return MemorySession(downloads, sink=ListSink(), questions=("outcome",))


@pytest.fixture
def app(session):
    return create_app({"TESTING": True, "PORTAL_SESSION": session,
                       "PORTAL_ASSOCIATION": "Maison de quartier Test"})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def downloads(session):
    return session.documents_dir()


@pytest.fixture
def events(session):
    """The events the portal emitted, as a live list."""
    return session.sink.events


# --- real browser: Debian's Chromium driven by Playwright, the portal served by waitress ---

PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
             b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
             b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(scope="session")
def live_session(tmp_path_factory):
    """One session shared by the live server: started, with two downloaded documents."""
    downloads = tmp_path_factory.mktemp("live") / "downloads"
    downloads.mkdir()
    (downloads / "attestation-caf.pdf").write_bytes(PDF_BYTES)
    (downloads / "avis d'impôt 2025.pdf").write_bytes(PDF_BYTES)
    (downloads / "trois-pages.pdf").write_bytes(make_pdf())
    live = MemorySession(downloads, sink=ListSink(), questions=("outcome",))
    live.request_start()
    return live


@pytest.fixture(scope="session")
def live_server(live_session):
    """The portal under waitress on a free loopback port, for the whole test session."""
    from portal.server import BackgroundServer

    app = create_app({"PORTAL_SESSION": live_session,
                      "PORTAL_ASSOCIATION": "Maison de quartier Test"})
    with BackgroundServer(app, threads=4) as server:
        yield server.url


@pytest.fixture
def page(browser, live_session):
    """A fresh page at 1280x800 that fails the test on any script error or CSP violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    def on_console(msg) -> None:
        # The error status of the page itself (a 404 page under test) is not a problem.
        if msg.type == "error" and msg.location.get("url") != tab.url:
            problems.append(msg.text)

    tab.on("console", on_console)
    yield tab
    context.close()
    live_session.set_language("fr")
    assert problems == []
