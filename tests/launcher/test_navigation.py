"""Main-frame navigations to unlisted hosts never leave the window:
the hostile server sees nothing."""

from __future__ import annotations

import time

import pytest

from tests.launcher.harness import run_scenario, visible_windows, xdotool

pytestmark = pytest.mark.gui


@pytest.fixture
def evil(fake_sites):
    fake_sites.page("evil.localhost", "/page", "<h1>evil</h1>")
    return fake_sites.url("evil.localhost", "/page")


def refused(launcher, fake_sites, html):
    mark = run_scenario(launcher, fake_sites, html)
    launcher.wait_event("navigation_refused", since=mark)
    return mark


def test_link_click_to_unlisted_host_is_refused(launcher, fake_sites, evil):
    refused(launcher, fake_sites,
            f"<a id=a href='{evil}'>x</a>"
            "<script>onload=()=>document.getElementById('a').click()</script>")
    assert fake_sites.requests("evil.localhost") == []


def test_location_change_to_unlisted_host_is_refused(launcher, fake_sites, evil):
    refused(launcher, fake_sites, f"<script>onload=()=>{{location.href='{evil}'}}</script>")
    assert fake_sites.requests("evil.localhost") == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_form_submission_to_unlisted_host_is_refused(launcher, fake_sites, evil, method):
    refused(launcher, fake_sites,
            f"<form id=f method={method} action='{evil}'>"
            "<input name=q value=secret></form>"
            "<script>onload=()=>document.getElementById('f').submit()</script>")
    assert fake_sites.requests("evil.localhost") == []


def test_meta_refresh_to_unlisted_host_is_refused(launcher, fake_sites, evil):
    refused(launcher, fake_sites, f"<meta http-equiv=refresh content='0;url={evil}'>")
    assert fake_sites.requests("evil.localhost") == []


def test_redirect_to_unlisted_host_is_blocked_at_the_hop(launcher, fake_sites, evil):
    hop = fake_sites.redirect("caf.localhost", "/redir", evil)
    mark = refused(launcher, fake_sites,
                   f"<script>onload=()=>{{location.href='{hop}'}}</script>")
    assert fake_sites.requests("caf.localhost", "/redir")
    assert fake_sites.requests("evil.localhost") == []
    assert launcher.kinds(mark).count("navigation_refused") == 1


def test_redirect_chain_within_allowed_hosts_is_followed(launcher, fake_sites):
    target = fake_sites.page("caf.localhost", "/arrived", "<h1>ok</h1>")
    via_fc = fake_sites.redirect("franceconnect.localhost", "/login", target)
    start = fake_sites.redirect("caf.localhost", "/start", via_fc)
    mark = run_scenario(launcher, fake_sites,
                        f"<script>onload=()=>{{location.href='{start}'}}</script>")
    fake_sites.wait_for("caf.localhost", "/arrived")
    event = launcher.wait_event("navigation_allowed", since=mark, site_id="caf")
    assert event.detail is None
    assert "navigation_refused" not in launcher.kinds(mark)


def test_window_open_to_unlisted_host_is_refused(launcher, fake_sites, evil, display):
    before = visible_windows(launcher, display)
    refused(launcher, fake_sites, f"<script>onload=()=>window.open('{evil}')</script>")
    assert fake_sites.requests("evil.localhost") == []
    assert visible_windows(launcher, display) == before


def test_target_blank_to_allowed_host_opens_in_the_same_window(launcher, fake_sites, display):
    before = visible_windows(launcher, display)
    target = fake_sites.page("caf.localhost", "/blank", "<h1>caf</h1>")
    mark = run_scenario(launcher, fake_sites,
                        f"<a id=a target=_blank href='{target}'>x</a>"
                        "<script>onload=()=>document.getElementById('a').click()</script>")
    fake_sites.wait_for("caf.localhost", "/blank")
    launcher.wait_event("navigation_allowed", since=mark, site_id="caf")
    assert visible_windows(launcher, display) == before
    assert not (launcher.bin / "xdg-open.calls").exists()


def test_events_carry_no_url(launcher, fake_sites, evil):
    refused(launcher, fake_sites,
            f"<script>onload=()=>{{location.href='{evil}?q=secret'}}</script>")
    assert all("localhost:" not in line and "secret" not in line for line in launcher.raw_lines)


def test_refused_page_offers_a_way_back_home(launcher, fake_sites, evil, display):
    caf = fake_sites.page("caf.localhost", "/form", f"<a id=a href='{evil}'>x</a><script>"
                          "onload=()=>setTimeout(()=>document.getElementById('a').click(),100)"
                          "</script>")
    mark = run_scenario(launcher, fake_sites,
                        f"<script>onload=()=>{{location.href='{caf}'}}</script>")
    launcher.wait_event("navigation_refused", since=mark, site_id="caf")
    tiles = len(fake_sites.requests("portal.localhost", "/accueil"))
    xdotool("mousemove", "640", "500", display=display)
    xdotool("key", "Tab", "Return", display=display)  # "Revenir" has focus; Tab to "Accueil"
    fake_sites.wait_for("portal.localhost", "/accueil", count=tiles + 1)  # the sites' tiles
    assert fake_sites.requests("evil.localhost") == []


def test_alt_left_goes_back_within_allowed_pages(launcher, fake_sites, display):
    """Each step waits for the page itself to say it is shown (not merely requested): a Back
    pressed before the second page is committed to history would leave the first one."""
    shown = lambda page: len(fake_sites.requests("caf.localhost", f"/shown/{page}"))  # noqa: E731
    for page in ("h1", "h2"):
        fake_sites.add("caf.localhost", f"/shown/{page}", "ok", content_type="text/plain")
    report = "<script>addEventListener('pageshow', () => fetch('/shown/{}'))</script>"
    second = fake_sites.page("caf.localhost", "/h2", report.format("h2") + "<p>two</p>")
    first = fake_sites.page("caf.localhost", "/h1", report.format("h1") + f"<a href='{second}' "
                            "style='display:block;height:700px'>suite</a>")
    h1_before, h2_before = shown("h1"), shown("h2")
    run_scenario(launcher, fake_sites, f"<script>location.href='{first}'</script>")
    fake_sites.wait_for("caf.localhost", "/shown/h1", count=h1_before + 1)
    # a real click: a history entry
    xdotool("mousemove", "640", "400", "click", "1", display=display)
    fake_sites.wait_for("caf.localhost", "/shown/h2", count=h2_before + 1)
    xdotool("key", "alt+Left", display=display)
    fake_sites.wait_for("caf.localhost", "/shown/h1", count=h1_before + 2)


def test_sites_are_asked_for_french(launcher, fake_sites):
    run_scenario(launcher, fake_sites, "<p>bonjour</p>")
    assert fake_sites.requests("portal.localhost", "/")[-1].headers["accept-language"] \
        .startswith("fr")


@pytest.mark.parametrize("how", ["target_blank_click", "ctrl_click", "middle_click"])
def test_new_window_from_a_real_click_never_reaches_an_unlisted_host(launcher, fake_sites, evil,
                                                                    display, how):
    before = visible_windows(launcher, display)
    target = " target=_blank" if how == "target_blank_click" else ""
    mark = run_scenario(launcher, fake_sites, f"<a href='{evil}'{target} style='display:block;"
                                              "height:700px'>lien</a>")
    time.sleep(0.3)
    xdotool("mousemove", "640", "400", display=display)
    if how == "ctrl_click":
        xdotool("keydown", "ctrl", "click", "1", "keyup", "ctrl", display=display)
    else:
        xdotool("click", "2" if how == "middle_click" else "1", display=display)
    launcher.wait_event("navigation_refused", since=mark)
    assert fake_sites.requests("evil.localhost") == []
    assert visible_windows(launcher, display) == before
    assert not (launcher.bin / "xdg-open.calls").exists()
