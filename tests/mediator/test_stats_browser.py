"""The statistics page in Debian's Chromium: axe-core finds no violation with real counters."""

from __future__ import annotations

import pytest

from kiosk.counters import CounterStore
from kiosk.portal_wiring import mediator_config
from policies import default_policy_path, load_policy
from portal import create_app

from .conftest import mediator_state
from .test_browser_flow import WCAG, log_in, page  # noqa: F401  (shared fixture)
from .test_stats import MONTH, fill


@pytest.fixture(scope="module")
def live_stats(tmp_path_factory):
    """The portal with filled counters, served by waitress on loopback."""
    from portal.server import BackgroundServer

    state = mediator_state(tmp_path_factory.mktemp("stats-live"))
    store = CounterStore(state, policy=load_policy(default_policy_path()))
    fill(store)
    app = create_app({**mediator_config(state, counters=store),
                      "PORTAL_DOCUMENTS_DIR": str(state / "docs")})
    with BackgroundServer(app, threads=2) as server:
        yield server.url
    store.close()


def test_statistics_page_has_no_axe_violation(page, live_stats):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    log_in(page, live_stats)
    page.goto(f"{live_stats}/mediateur/statistiques?mois={MONTH}")
    assert page.locator("svg[role=img]").count() == 7  # + autonomy (no answers in `fill`)
    found = Axe().run(page, options=WCAG).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found] == []
    assert page.locator("table caption").count() == 8  # the totals and one per drawn chart
