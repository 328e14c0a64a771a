"""Take the README's hub screenshots from the demo hub (not a test):
`python -m tests.hub.screenshots` writes docs/screenshots/hub-*.png."""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from hub.server import BackgroundHub
from tests.conftest import CHROMIUM, chromium_args
from tests.hub.conftest import PASSWORD
from tests.hub.demo import demo_hub

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = demo_hub(f"sqlite:///{Path(folder) / 'hub.sqlite3'}")
        place = app.extensions["hub_db"].one("SELECT id FROM places ORDER BY name_key")[0]
        with BackgroundHub(app, threads=2) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{server.url}/login")
            page.fill("#username", "financeur")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            for name, path in (("hub-table", "/"), ("hub-association", f"/association/{place}"),
                               ("hub-terminals", "/terminals")):
                page.goto(server.url + path)
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
            browser.close()
        app.extensions["hub_db"].close_all()


if __name__ == "__main__":
    main()
