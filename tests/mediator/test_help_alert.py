"""A help request reaches a mediator: the terminal page updates itself (no reload) with a visible
and audible alert and the waiting time; the request stays until "J'y vais" or the end of the
session; both outcomes are counted."""

from __future__ import annotations

import pytest

from core.events import Event
from kiosk.portal_wiring import mediator_config
from portal import create_app

from .conftest import PASSWORD, mediator_state, post
from .live import served_portal


def outcomes(port) -> list[str]:
    return [e.detail for e in port.sink.events if e.kind == "help_outcome"]


def test_waiting_time_and_acknowledgement_are_on_the_page(client, port):
    from .conftest import login

    port.request_start()
    login(client)  # on the terminal, a login made before the session would be over
    mediator = client
    port.request_help()
    page = mediator.get("/mediateur/").get_data(as_text=True)
    assert 'id="help-alert"' in page and 'id="help-alert" class="help-alert" role="alert" hidden' \
        not in page
    assert "J&#39;y vais" in page or "J'y vais" in page
    response = post(mediator, "/mediateur/aide/vue")
    assert response.status_code == 303 and "help_seen" in response.headers["Location"]
    assert not port.help_requested() and outcomes(port) == ["acknowledged"]
    assert post(mediator, "/mediateur/aide/vue").headers["Location"].endswith("no_help")
    assert outcomes(port) == ["acknowledged"]  # counted once


def test_a_request_stays_until_the_session_ends_and_is_counted_unanswered(port):
    port.request_start()
    port.request_help()
    port.request_help()  # asked twice: one request, waiting since the first
    assert port.terminal_status()["help_waiting_seconds"] is not None
    port.request_end()
    assert not port.help_requested() and outcomes(port) == ["unanswered"]


def test_live_status_needs_a_login_and_never_keeps_it_alive(client, port, clock):
    assert client.get("/mediateur/etat").status_code == 401
    from .conftest import login
    port.request_start()
    login(client)
    port.request_help()
    data = client.get("/mediateur/etat").get_json()
    assert data["help"] is True and data["state_label"] == "Session en cours"
    assert set(data) == {"logged_in", "state", "state_label", "elapsed", "help", "help_waiting"}
    clock.advance(60 * 60 * 3)  # far past any idle lifetime, only polling meanwhile
    assert client.get("/mediateur/etat").status_code == 401


def test_counters_count_both_outcomes(tmp_path):
    from datetime import datetime

    from kiosk.counters import CounterStore
    from policies import default_policy_path, load_policy

    store = CounterStore(tmp_path, load_policy(default_policy_path()))
    day = datetime(2026, 3, 10, 10)
    for detail in ("acknowledged", "unanswered", "acknowledged", "bogus"):
        store.record(Event("help_outcome", detail=detail), when=day)
    totals = store.month_totals("2026-03")
    assert totals == {("help_outcome", "acknowledged"): 2, ("help_outcome", "unanswered"): 1}


# --- in a real browser: the page updates itself and rings --------------------------------------

@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with served_portal(tmp_path_factory.mktemp("help-live")) as (url, app):
        yield url, app.extensions["kiosk_session"]


def test_page_shows_and_rings_a_help_request_without_reloading(browser, live):
    url, port = live
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    try:
        port.request_start()  # a resident is at the terminal
        page.goto(f"{url}/mediateur/")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/mediateur/")
        page.evaluate("window.__same_page = true")
        page.mouse.click(5, 5)  # a first click: the browser then lets the page make sounds
        assert page.locator("#help-alert").is_hidden()
        port.request_help()
        page.wait_for_selector("#help-alert:not([hidden])", timeout=10_000)
        assert page.evaluate("window.__same_page") is True  # no reload
        assert "Une personne demande de l'aide" in page.inner_text("#help-alert")
        assert page.title().startswith("(!)")
        page.wait_for_selector("#help-alert[data-rung='1']", state="attached", timeout=5000)
        page.wait_for_function("document.getElementById('help-wait').textContent.includes('s')")
        page.get_by_role("button", name="J'y vais").click()
        page.wait_for_url(f"{url}/mediateur/?message=help_seen")
        assert page.locator("#help-alert").is_hidden() and not port.help_requested()
        assert [e.detail for e in port.sink.events if e.kind == "help_outcome"] \
            == ["acknowledged"]
    finally:
        context.close()
        if port.state() != "welcome":
            port.finish("user")
    assert problems == []


def test_a_mediator_on_the_network_stays_logged_in_when_a_resident_starts(tmp_path):
    """The alert page on the mediator's own computer must survive residents coming and going;
    on the terminal itself a session start still ends the login."""
    from core.config import Config

    from .conftest import login

    state = mediator_state(tmp_path / "state")
    config = Config.load(state)
    config.set("mediator_network_access", True)
    config.save()
    app = create_app({"TESTING": True, **mediator_config(state),
                      "PORTAL_DOCUMENTS_DIR": str(tmp_path / "docs")})
    port = app.extensions["kiosk_session"]
    desk = app.test_client()
    desk.environ_base["REMOTE_ADDR"] = "192.168.1.20"
    terminal = app.test_client()
    login(desk)
    login(terminal)
    port.request_start()
    port.request_help()
    assert desk.get("/mediateur/etat").get_json()["help"] is True
    assert terminal.get("/mediateur/etat").status_code == 401
