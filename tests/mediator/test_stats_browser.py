"""The statistics page in Debian's Chromium: axe-core finds no violation with real counters."""

from __future__ import annotations

import threading

import pytest

from kiosk.counters import CounterStore
from policies import default_policy_path, load_policy
from portal import create_app

from .conftest import PASSWORD
from .test_browser_flow import WCAG, browser, log_in, page  # noqa: F401  (shared fixtures)
from .test_stats import MONTH, fill


@pytest.fixture(scope="module")
def live_stats(tmp_path_factory):
    """The portal with filled counters, served by waitress on loopback."""
    from waitress.server import create_server

    from kiosk.config import Config
    from portal.auth import hash_password

    state = tmp_path_factory.mktemp("stats-live")
    config = Config(state)
    config.set("admin_password_hash", hash_password(PASSWORD))
    config.save()
    store = CounterStore(state, policy=load_policy(default_policy_path()))
    fill(store)
    app = create_app({"MEDIATOR_STATE_DIR": str(state), "PORTAL_DOCUMENTS_DIR": str(state / "docs"),
                      "MEDIATOR_COUNTERS": store})
    server = create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)
    store.close()


def test_statistics_page_has_no_axe_violation(page, live_stats):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    log_in(page, live_stats)
    page.goto(f"{live_stats}/mediateur/statistiques?mois={MONTH}")
    assert page.locator("svg[role=img]").count() == 6
    found = Axe().run(page, options=WCAG).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found] == []
    assert page.locator("table caption").count() == 7  # the totals and one per chart
