"""In a real Chromium: a PDF is drawn by the portal's pdf.js viewer, page by page, with large
buttons, under the portal's own Content-Security-Policy, and nothing that saves or prints."""

from __future__ import annotations

import pytest

from tests.pdfs import PAGE_COLOURS
from tests.pixels import decode_png

CSP_WATCH = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));"""


def shows(page, colour: tuple[float, float, float]) -> bool:
    """The visible part of the viewer, in a screenshot, is mostly that page's coloured block."""
    shot = decode_png(page.locator("#viewer").screenshot())
    return shot.share(colour) > 0.25


@pytest.fixture
def viewer(page, live_server):
    page.add_init_script(CSP_WATCH)
    page.goto(live_server + "/documents/trois-pages.pdf")
    page.wait_for_selector("#viewer[data-pdf-state=shown]", timeout=15000)
    yield page
    assert page.evaluate("window.__csp") == []


def test_pdf_content_is_drawn_on_screen(viewer):
    assert shows(viewer, PAGE_COLOURS[0])
    assert viewer.locator("[data-pdf-status]").inner_text() == "Page 1 sur 3"


def test_page_buttons_turn_the_pages(viewer):
    viewer.get_by_role("button", name="Page suivante").click()
    viewer.wait_for_selector("#viewer[data-pdf-page='2']")
    assert shows(viewer, PAGE_COLOURS[1])
    viewer.get_by_role("button", name="Page suivante").click()
    viewer.wait_for_selector("#viewer[data-pdf-page='3']")
    assert shows(viewer, PAGE_COLOURS[2])
    assert viewer.get_by_role("button", name="Page suivante").is_disabled()
    viewer.get_by_role("button", name="Page précédente").click()
    viewer.wait_for_selector("#viewer[data-pdf-page='2']")
    assert viewer.locator("[data-pdf-status]").inner_text() == "Page 2 sur 3"


def test_zoom_buttons_make_the_page_bigger_and_smaller(viewer):
    before = viewer.locator("#viewer canvas").bounding_box()["width"]
    viewer.get_by_role("button", name="Agrandir la page").click()
    viewer.wait_for_function(f"document.querySelector('#viewer canvas').getBoundingClientRect()"
                             f".width > {before + 50}")
    viewer.get_by_role("button", name="Réduire la page").click()
    viewer.wait_for_function(f"Math.abs(document.querySelector('#viewer canvas')"
                             f".getBoundingClientRect().width - {before}) < 2")


def test_page_buttons_are_large(viewer):
    for name in ("Page suivante", "Page précédente", "Agrandir la page", "Réduire la page"):
        box = viewer.get_by_role("button", name=name).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, name


def test_nothing_on_the_page_saves_downloads_or_prints(viewer):
    labels = viewer.evaluate("""() => [...document.querySelectorAll('a, button, input')]
        .map(el => (el.textContent + ' ' + (el.getAttribute('aria-label') || '')
                    + ' ' + (el.getAttribute('href') || '') + ' ' + (el.getAttribute('download')
                    === null ? '' : 'download')).toLowerCase())""")
    for word in ("enregistrer", "télécharger", "download", "save", "/fichier"):
        assert not any(word in label for label in labels), word
    assert viewer.locator("input[type=file], iframe, embed, object").count() == 0
    # the only way to print is the portal's own confirmation
    assert viewer.get_by_role("link", name="Imprimer").get_attribute("href") \
        == "/documents/trois-pages.pdf/imprimer"


def test_arabic_viewer_says_pages_in_arabic(page, live_server, live_session):
    live_session.set_language("ar")
    page.goto(live_server + "/documents/trois-pages.pdf")
    page.wait_for_selector("#viewer[data-pdf-state=shown]", timeout=15000)
    assert page.locator("[data-pdf-status]").inner_text() == "الصفحة 1 من 3"
    assert shows(page, PAGE_COLOURS[0])


def test_damaged_pdf_says_so_instead_of_a_blank_box(page, live_server, live_session):
    (live_session.documents_dir() / "abime.pdf").write_bytes(b"%PDF-1.4\nnot really")
    try:
        page.goto(live_server + "/documents/abime.pdf")
        page.wait_for_selector("#viewer[data-pdf-state=error]", timeout=15000)
        assert "ne peut pas être affiché" in page.locator("#viewer").inner_text()
    finally:
        (live_session.documents_dir() / "abime.pdf").unlink()
