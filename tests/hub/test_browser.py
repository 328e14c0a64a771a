"""The hub's pages in Debian's headless Chromium: axe-core finds no violation, the first column
stays visible while the table scrolls, charts fit a phone, and print shows the whole table."""

from __future__ import annotations

import pytest

from hub.server import BackgroundHub
from tests.hub.conftest import PASSWORD
from tests.hub.demo import demo_hub
from tests.pages import watched_page

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                "best-practice"]},
         "resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory):
    app = demo_hub(f"sqlite:///{tmp_path_factory.mktemp('hub-live') / 'hub.sqlite3'}")
    with BackgroundHub(app, threads=2) as server:
        yield server.url, app
    app.extensions["hub_db"].close_all()


@pytest.fixture
def page(browser):
    # The error pages visited on purpose log "Failed to load resource" (their 400/404 status).
    with watched_page(browser, failed_loads_expected=True) as tab:
        yield tab


def log_in(page, url: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#username", "financeur")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def hub_pages(app) -> list[str]:
    db = app.extensions["hub_db"]
    place, other = [row[0] for row in db.all("SELECT id FROM places ORDER BY name_key")][:2]
    return ["/", "/?month=2026-04", "/?month=2026-02", "/?month=2026-T1", f"/association/{place}",
            "/compare", f"/compare?a=p:{place}&b=p:{other}&month=2026-03",
            f"/association/{place}/rapport", f"/association/{other}/rapport?month=2026-04",
            f"/association/{place}?month=2026-04", "/places", f"/places/{place}", "/terminals",
            "/page-qui-n-existe-pas", "/?month=2026-13"]


def test_every_hub_page_has_no_axe_violation_and_its_own_title(page, live_hub):
    from axe_playwright_python.sync_playwright import Axe

    url, app = live_hub
    axe = Axe()
    page.goto(f"{url}/login")
    found = {"/login": axe.run(page, options=RULES).response["violations"]}
    titles = {"/login": page.title()}
    log_in(page, url)
    for path in hub_pages(app):
        page.goto(url + path)
        found[path] = axe.run(page, options=RULES).response["violations"]
        titles[path] = page.title()
    report = {path: [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
              for path, violations in found.items() if violations}
    assert report == {}
    assert len(set(titles.values())) == len(titles), titles
    assert titles["/"] == "Indicateurs de mars 2026 - Hub des bornes"
    assert titles["/page-qui-n-existe-pas"] == "Erreur 404 - Hub des bornes"
    page.goto(url + "/page-qui-n-existe-pas")
    assert page.locator("h1").inner_text() == "Page introuvable"


def test_the_first_column_stays_visible_and_the_table_scrolls_by_keyboard(page, live_hub):
    url, _app = live_hub
    log_in(page, url)
    region = page.locator("div.scroll[role=region][aria-labelledby=table-h]")
    first_cell = region.locator("tbody th").first
    before = first_cell.bounding_box()
    region.focus()  # reachable with Tab: the region itself takes the focus
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    for _ in range(30):
        page.keyboard.press("ArrowRight")
    # Keyboard scrolling is animated: wait for it to get there rather than reading at once.
    region.evaluate("""el => new Promise((done, fail) => {
        const start = Date.now();
        (function check() {
            if (el.scrollLeft > 200) return done();
            if (Date.now() - start > 5000) return fail(new Error("scrollLeft " + el.scrollLeft));
            requestAnimationFrame(check);
        })();
    })""")
    after = first_cell.bounding_box()
    assert abs(after["x"] - before["x"]) < 1 and first_cell.is_visible()
    assert first_cell.inner_text() == "Centre social La Bastide"


def test_charts_fit_a_phone_screen(browser, live_hub):
    url, _app = live_hub
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, url)
    widths = page.eval_on_selector_all(
        "svg[role=img]", "els => els.map(e => e.getBoundingClientRect().right)")
    assert widths and max(widths) <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_print_shows_every_column_of_the_table_within_the_page(browser, live_hub):
    """A4 landscape minus 1 cm margins is about 1,047 CSS px wide: every printed slice of the
    wide table fits in it, and together the slices hold every column."""
    url, _app = live_hub
    context = browser.new_context(viewport={"width": 1047, "height": 740})
    page = context.new_page()
    log_in(page, url)
    screen_columns = page.locator("div.screen-only thead th").count()
    page.emulate_media(media="print")
    assert not page.locator("nav").is_visible()
    assert not page.locator("div.screen-only").is_visible()
    slices = page.locator("table.print-slice")
    assert slices.count() > 1
    rights = slices.evaluate_all("els => els.map(e => Math.max(e.getBoundingClientRect().right,"
                                 " e.scrollWidth + e.getBoundingClientRect().left))")
    assert max(rights) <= 1047, rights
    printed = page.locator("table.print-slice thead th").count() - slices.count()
    assert printed + 1 == screen_columns  # every column once, the association on each slice
    assert page.pdf(format="A4", landscape=True).startswith(b"%PDF")
    context.close()


def test_the_monthly_report_prints_on_one_a4_page_without_external_resources(page, live_hub):
    import re

    url, app = live_hub
    place = app.extensions["hub_db"].one("SELECT id FROM places ORDER BY name_key")[0]
    log_in(page, url)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{url}/association/{place}/rapport?month=2026-03")
    assert page.locator("h1").inner_text() == "Centre social La Bastide : mars 2026"
    assert requested == [f"{url}/association/{place}/rapport?month=2026-03"]
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1
