"""In a real Chromium: live tile search, right-to-left layout, tiles, help and the end flow."""

from __future__ import annotations

import contextlib

from playwright.sync_api import expect

from core.events import Event, ListSink
from portal import create_app
from portal.server import BackgroundServer
from portal.session import MemorySession


def visible_tiles(page) -> list[str]:
    return page.eval_on_selector_all(
        "a.tile",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.getAttribute('href'))")


def test_search_filters_tiles_as_you_type_including_synonyms(page, live_server):
    page.goto(live_server + "/accueil")
    assert len(visible_tiles(page)) == 19
    page.locator("#q").press_sequentially("chômage", delay=20)
    assert visible_tiles(page) == ["/ouvrir/france_travail"]
    assert page.locator("#group-social_sante").is_hidden()
    expect(page.locator("#search-status")).to_contain_text("1 site")
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("carte vitale", delay=10)
    assert visible_tiles(page) == ["/ouvrir/ameli"]
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("chomage", delay=10)  # without the accent
    assert visible_tiles(page) == ["/ouvrir/france_travail"]
    page.locator("#q").fill("")
    page.locator("#q").dispatch_event("input")
    assert len(visible_tiles(page)) == 19


def test_search_with_no_match_announces_it(page, live_server):
    page.goto(live_server + "/accueil")
    page.locator("#q").press_sequentially("xyzzy", delay=10)
    assert visible_tiles(page) == []
    expect(page.locator("#search-status")).to_contain_text("Aucun site")


def test_search_box_submits_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/accueil")
        page.locator("#q").fill("carte vitale")
        page.locator("form[role=search] button[type=submit]").click()
        page.wait_for_url("**/accueil?q=carte+vitale")
        assert page.locator("a.tile").count() == 1
    finally:
        context.close()


def test_arabic_layout_is_mirrored(page, live_server, live_session):
    live_session.set_language("ar")
    page.goto(live_server + "/accueil")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    brand = page.locator(".brand").bounding_box()
    menu = page.locator(".menu").bounding_box()
    assert brand["x"] > 640 > menu["x"], "brand on the right, menu on the left"
    icon = page.locator(".tile-icon").first.bounding_box()
    name = page.locator(".tile-name").first.bounding_box()
    assert icon["x"] > name["x"], "a tile's pictogram is on its right"
    flipped = page.evaluate("getComputedStyle(document.querySelector('.menu-end .flip')).transform")
    assert flipped.startswith("matrix(-1")


def test_french_layout_is_left_to_right(page, live_server):
    page.goto(live_server + "/accueil")
    assert page.locator(".brand").bounding_box()["x"] < 640
    assert page.evaluate("getComputedStyle(document.querySelector('.menu-end .flip')).transform") \
        == "none"


def test_arabic_search_finds_sites_by_arabic_description(page, live_server, live_session):
    live_session.set_language("ar")
    page.goto(live_server + "/accueil")
    page.locator("#q").press_sequentially("إقامة", delay=10)
    assert visible_tiles(page) == ["/ouvrir/anef"]


def test_choosing_a_language_on_welcome_switches_the_page(page, live_server, live_session):
    page.goto(live_server + "/")
    page.get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert live_session.language() == "ar"
    assert page.get_by_role("button", name="العربية").get_attribute("aria-pressed") == "true"


def test_clicking_a_tile_records_it_and_opens_the_site(page, live_server, live_session):
    page.route("https://www.caf.fr/**", lambda route: route.fulfill(
        body="<title>CAF</title>site CAF", content_type="text/html"))
    page.goto(live_server + "/accueil")
    page.locator("a.tile[href='/ouvrir/caf']").click()
    page.wait_for_url("https://www.caf.fr/")
    assert live_session.sink.events[-1] == Event("tile_opened", site_id="caf")


def test_help_button_raises_the_signal(page, live_server, live_session):
    page.goto(live_server + "/aide")
    page.get_by_role("button", name="Demander de l'aide").click()
    page.wait_for_url("**/aide?message=help_sent")
    assert live_session.help_requested()
    assert page.get_by_role("status").first.inner_text().startswith("Votre demande est envoyée")


def test_blocked_page_return_goes_back(page, live_server):
    page.goto(live_server + "/aide")
    page.goto(live_server + "/bloque")
    page.get_by_role("link", name="Retour").click()
    page.wait_for_url("**/aide")


def test_warning_countdown_ticks(page, live_server):
    page.goto(live_server + "/alerte/limite")
    first = page.locator(".countdown").inner_text()
    expect(page.locator(".countdown")).not_to_have_text(first, timeout=3000)


@contextlib.contextmanager
def own_portal(browser, folder, questions: tuple[str, ...]):
    """A separate portal with a started session, so ending it does not disturb the shared one."""
    session = MemorySession(folder, sink=ListSink(), questions=questions)
    with BackgroundServer(create_app({"PORTAL_SESSION": session})) as server:
        context = browser.new_context()
        page = context.new_page()
        try:
            page.goto(server.url + "/")
            page.get_by_role("button", name="Commencer").click()
            page.wait_for_url("**/accueil")
            yield session, server, page
        finally:
            context.close()


def test_end_flow_confirms_erases_and_returns_to_welcome(browser, tmp_path):
    with own_portal(browser, tmp_path, ("outcome",)) as (session, server, page):
        assert session.state() == "active"
        page.get_by_role("link", name="Terminer").click()
        page.get_by_role("link", name="Oui, terminer").click()
        page.get_by_role("button", name="Passer").click()  # the question, skipped in a tap
        page.wait_for_url("**/fin/effacee")
        expect(page.get_by_role("heading")).to_have_text("Session effacée")
        page.wait_for_url(server.url + "/", timeout=5000)  # the page waits for the wipe
        assert Event("session_ended", detail="user") in session.sink.events


def test_end_question_is_answered_in_arabic_then_the_next_resident_gets_french(browser, tmp_path):
    """Resident one (Arabic) answers "with help"; resident two gets the question in French and
    skips it: one answer each, counted on its own, the skip as "no answer"."""
    with own_portal(browser, tmp_path, ("outcome", "first_time")) as (session, server, page):
        session.set_language("ar")
        page.goto(server.url + "/fin/questions")
        assert page.locator("html").get_attribute("dir") == "rtl"
        expect(page.get_by_role("heading", level=1)).to_have_text("هل تمكنت من إنجاز معاملتك؟")
        page.get_by_role("button", name="نعم، بمساعدة").click()
        page.wait_for_url("**/fin/questions/1")
        page.get_by_role("button", name="نعم", exact=True).click()
        page.wait_for_url("**/fin/effacee")
        assert session.state() == "welcome" and session.language() == "fr"
        page.goto(server.url + "/")
        page.get_by_role("button", name="Commencer").click()
        page.wait_for_url("**/accueil")
        page.goto(server.url + "/fin/questions")
        assert page.locator("html").get_attribute("lang") == "fr"
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Avez-vous pu faire votre démarche ?")
        page.get_by_role("button", name="Passer").click()
        page.wait_for_url("**/fin/effacee")
        answers = [e.detail for e in session.sink.events if e.kind == "answer"]
        assert answers == ["outcome:helped", "first_time:yes",
                           "outcome:no_answer", "first_time:no_answer"]
        assert session.state() == "welcome"
