"""One full mediator flow in Debian's headless Chromium against the portal served by waitress."""

from __future__ import annotations

import os
import threading

import pytest

from portal import create_app

from .conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


@pytest.fixture
def live_url(state, tmp_path):
    from waitress.server import create_server

    app = create_app({"MEDIATOR_STATE_DIR": str(state), "PORTAL_DOCUMENTS_DIR": str(tmp_path / "docs")})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    args = ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        tab.set_default_timeout(10_000)
        problems: list[str] = []
        tab.on("pageerror", lambda exc: problems.append(str(exc)))
        tab.on("console", lambda msg: problems.append(msg.text) if msg.type == "error"
               and "favicon" not in msg.location.get("url", "") else None)
        yield tab
        browser.close()
    assert problems == [], problems  # no script error, no CSP violation


def test_log_in_add_site_see_tile_roll_back_tile_gone(page, live_url):
    page.goto(f"{live_url}/mediateur/")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/mediateur/")

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
    assert "Mairie de Navigateur" in page.inner_text(".diff")
    page.locator("form:has(input[name=version]) button").first.click()
    page.wait_for_url(f"{live_url}/mediateur/catalogue/historique?message=restored")

    page.goto(f"{live_url}/accueil")
    assert page.locator(".tile-name", has_text="Mairie de Navigateur").count() == 0
    assert page.locator(".tile-name", has_text="CAF").count() >= 1
