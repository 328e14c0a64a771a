"""The mediator's entry stays out of residents' way: no link on the welcome screen in any
language, but a 3-second press on the association's identity (or Ctrl+Alt+M) opens it."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_welcome_screen_shows_no_mediator_link(client, session, language):
    session.set_language(language)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/mediateur' not in page
    assert "Espace médiateur" not in page and "Mediator area" not in page


@pytest.fixture
def tab(browser):
    """A plain page (the mediator login it reaches is not a resident page under test)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def test_a_long_press_on_the_identity_opens_the_mediator_login(tab, live_server):
    page = tab
    page.goto(live_server + "/")
    box = page.locator(".identity").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.wait_for_timeout(800)
    page.mouse.up()  # a tap: nothing happens
    page.wait_for_timeout(3000)
    assert page.url == live_server + "/"
    page.mouse.down()
    page.wait_for_url(live_server + "/mediateur/connexion", timeout=6000)
    page.mouse.up()


def test_ctrl_alt_m_opens_the_mediator_login(tab, live_server):
    page = tab
    page.goto(live_server + "/")
    page.keyboard.press("Control+Alt+m")
    page.wait_for_url(live_server + "/mediateur/connexion", timeout=5000)
