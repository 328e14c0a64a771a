"""The first screen a resident sees fits common old screens (1024x768) without scrolling."""

from __future__ import annotations

import pytest

from core.events import ListSink
from portal import create_app
from portal.session import MemorySession

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def welcome_server(tmp_path_factory):
    from portal.server import BackgroundServer

    downloads = tmp_path_factory.mktemp("fit") / "downloads"
    downloads.mkdir()
    session = MemorySession(downloads, sink=ListSink())
    app = create_app({"PORTAL_SESSION": session,
                      "PORTAL_ASSOCIATION": "Maison de quartier des Aubiers"})
    with BackgroundServer(app, threads=2) as server:
        yield server.url, session


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)])
def test_the_welcome_screen_fits_without_scrolling(browser, welcome_server, language, size):
    url, session = welcome_server
    session.set_language(language)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        page.goto(url + "/")
        overflow = page.evaluate("""() => ({
            height: document.documentElement.scrollHeight - window.innerHeight,
            width: document.documentElement.scrollWidth - window.innerWidth})""")
        assert overflow["height"] <= 0 and overflow["width"] <= 0, (
            f"the welcome page scrolls at {size[0]}x{size[1]} in {language}: {overflow} px")
    finally:
        context.close()
        session.set_language("fr")
