"""One full mediator flow in Debian's headless Chromium against the portal served by waitress."""

from __future__ import annotations

import pytest

from tests.pages import watched_page

from .conftest import PASSWORD
from .live import served_portal


@pytest.fixture(scope="module")
def live_url(tmp_path_factory):
    with served_portal(tmp_path_factory.mktemp("mediator-live")) as (url, _app):
        yield url


@pytest.fixture
def page(browser):
    with watched_page(browser) as tab:
        yield tab


def log_in(page, live_url: str) -> None:
    page.goto(f"{live_url}/mediateur/")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/mediateur/")


def test_log_in_add_site_see_tile_roll_back_tile_gone(page, live_url):
    log_in(page, live_url)

    page.goto(f"{live_url}/mediateur/catalogue/sites/nouveau")
    page.fill("#name", "Mairie de Navigateur")
    page.fill("#url", "https://www.mairie-nav.fr/")
    page.fill("#hosts", "https://mairie-nav.fr")  # live validation explains the mistake
    page.wait_for_selector("#err-hosts:not([hidden]) li")
    assert "sans « https:// »" in page.inner_text("#err-hosts")
    assert page.inner_text("#preview-name") == "Mairie de Navigateur"
    page.fill("#hosts", "mairie-nav.fr\n*.mairie-nav.fr")
    page.wait_for_selector("#err-hosts[hidden]", state="attached")
    page.fill("#description", "Démarches de la mairie")
    page.click("button[value=save]")
    page.wait_for_url(f"{live_url}/mediateur/catalogue?message=saved")

    page.goto(f"{live_url}/accueil")
    assert page.locator(".tile-name", has_text="Mairie de Navigateur").count() == 1

    page.goto(f"{live_url}/mediateur/catalogue/historique")
    assert "Sites ajoutés depuis : Mairie de Navigateur" in page.inner_text(".summary")
    page.locator("form:has(input[name=version]) button").first.click()
    page.wait_for_url(f"{live_url}/mediateur/catalogue/historique?message=restored")

    page.goto(f"{live_url}/accueil")
    assert page.locator(".tile-name", has_text="Mairie de Navigateur").count() == 0
    assert page.locator(".tile-name", has_text="CAF").count() >= 1


AXE_PAGES = ["/mediateur/", "/mediateur/catalogue",
             "/mediateur/catalogue?adresse=https://www.caf.fr/",
             "/mediateur/catalogue/sites/caf/modifier", "/mediateur/catalogue/categories/nouvelle",
             "/mediateur/catalogue/historique", "/mediateur/catalogue/importer",
             "/mediateur/reglages",
             "/mediateur/accompagne", "/mediateur/journal", "/mediateur/adresses-bloquees",
             "/mediateur/mot-de-passe", "/mediateur/statistiques"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}


def test_mediator_pages_have_no_axe_violation(page, live_url):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page.goto(f"{live_url}/mediateur/connexion")
    found = {"/mediateur/connexion": axe.run(page, options=WCAG).response["violations"]}
    log_in(page, live_url)
    for path in AXE_PAGES:
        page.goto(live_url + path)
        found[path] = axe.run(page, options=WCAG).response["violations"]
    report = {path: [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
              for path, violations in found.items() if violations}
    assert report == {}
