"""In a real Chromium: axe-core finds no violation on any page in French and Arabic."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = ["/", "/accueil", "/accueil?q=zzzz", "/documents", "/documents/attestation-caf.pdf",
         "/documents/trois-pages.pdf", "/documents/trois-pages.pdf/imprimer",
         "/injoignable?site=caf&cause=dns",
         "/documents/attestation-caf.pdf/supprimer", "/aide", "/bloque", "/fin", "/fin/effacee",
         "/fin/questions", "/alerte/inactivite", "/alerte/limite", "/page-absente"]
WCAG = {"runOnly": {"type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
        "resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def show_read_aloud(page) -> int:
    """Show "Écouter" as the kiosk window does (it stays hidden in a plain browser); how many."""
    return page.evaluate("""() => { const buttons = document.querySelectorAll('[data-kiosk-read]');
        buttons.forEach(b => { b.hidden = false; }); return buttons.length; }""")


def describe(results) -> str:
    return "\n".join(f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
                     for v in results.response["violations"])


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_axe_violation(page, live_server, live_session, axe, path, lang):
    live_session.set_language(lang)
    page.goto(live_server + path)
    assert page.locator("html").get_attribute("lang") == lang
    assert show_read_aloud(page) == 1  # every resident page offers "Écouter", checked with it
    results = axe.run(page, options=WCAG)
    assert results.violations_count == 0, describe(results)


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("path", ["/", "/accueil", "/documents", "/aide", "/fin", "/bloque",
                                  "/fin/questions"])
def test_targets_are_at_least_44_px(page, live_server, live_session, path, lang):
    live_session.set_language(lang)
    page.goto(live_server + path)
    show_read_aloud(page)
    small = page.evaluate("""() => [...document.querySelectorAll('a, button, input')]
        .filter(el => !el.classList.contains('skip'))
        .map(el => [el.textContent.trim() || el.id, el.getBoundingClientRect()])
        .filter(([, r]) => r.width > 0 && (r.height < 44 || r.width < 44))
        .map(([name, r]) => `${name}: ${Math.round(r.width)}x${Math.round(r.height)}`)""")
    assert small == []


@pytest.mark.parametrize("path", ["/", "/accueil", "/documents", "/aide", "/fin", "/alerte/limite"])
def test_page_stays_usable_at_200_percent_zoom(browser, live_server, path):
    """Half the CSS viewport is what 200% zoom gives: nothing may need sideways scrolling."""
    context = browser.new_context(viewport={"width": 640, "height": 400})
    page = context.new_page()
    try:
        page.goto(live_server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - "
                                 "document.documentElement.clientWidth")
        assert overflow <= 0
    finally:
        context.close()


def test_keyboard_reaches_the_search_and_a_tile_with_a_visible_focus(page, live_server):
    page.goto(live_server + "/accueil")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || "
                                     "document.activeElement.className"))
        if focused[-1] == "tile":
            break
    assert "q" in focused and focused[-1] == "tile"
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; }""")
    assert style[0] != "none" and style[1] >= 3 and style[2] != "none"


def test_pages_load_nothing_from_outside(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("/", "/accueil", "/documents", "/aide"):
        page.goto(live_server + path)
    assert requested and all(url.startswith(live_server) for url in requested)


def test_axe_reports_violations_when_there_are_some(page, axe):
    """Guards the checks above: the same axe run does see a broken page."""
    page.set_content('<html><body><img src="x.png"><button></button>'
                     '<p style="color:#aaa;background:#fff">pale</p></body></html>')
    results = axe.run(page, options=WCAG)
    found = {v["id"] for v in results.response["violations"]}
    assert {"image-alt", "button-name", "color-contrast", "html-has-lang"} <= found
