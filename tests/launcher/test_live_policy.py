"""The running window follows the mediator: a saved catalogue and an accompanied-mode unlock take
effect without restarting it; malformed commands change nothing."""

from __future__ import annotations

import time

import pytest

from launcher.live_policy import LivePolicy
from launcher.protocol import parse_command
from policies import parse_policy
from tests.fakesites import Response
from tests.launcher.harness import Launcher, catalogue_text

KNOCK = """<p>caf</p><script>
setInterval(() => { location.href = "http://ameli.localhost:%d/welcome"; }, 400);
</script>"""


def test_allow_site_command_is_parsed_only_when_well_formed():
    good = parse_command('{"op": "allow_site", "site_id": "ameli", "hosts": ["ameli.fr"]}')
    assert good.op == "allow_site" and good.hosts == ("ameli.fr",)
    assert parse_command('{"op": "allow_site", "site_id": "ameli", "hosts": "ameli.fr"}') is None
    assert parse_command('{"op": "allow_site", "hosts": ["ameli.fr"]}') is None
    assert parse_command('{"op": "reload_policy"}').op == "reload_policy"


@pytest.mark.parametrize(("site_id", "hosts"), [
    ("Ameli!", ["ameli.fr"]), ("ameli", []), ("ameli", ["https://ameli.fr"]), ("ameli", ["*.fr"]),
    ("ameli", ["ameli.fr"] * 21), ("ameli", [5]),
])
def test_a_malformed_unlock_changes_nothing(site_id, hosts):
    live = LivePolicy(parse_policy(catalogue_text(9)), [])
    assert not live.allow_site(site_id, hosts)
    assert not live.allowlist().decide("https://ameli.fr/").allowed


def test_unlock_adds_one_site_and_reload_keeps_the_last_good_file(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(catalogue_text(9))
    live = LivePolicy(parse_policy(path.read_text()), ["http://127.0.0.1:8765"], path)
    assert live.allow_site("ameli", ["ameli.fr", "*.ameli.fr"])
    assert live.allowlist().decide("https://www.ameli.fr/").site_id == "ameli"
    path.write_text("version = 1\nbroken = true\n")
    assert not live.reload()
    assert live.allowlist().decide("http://caf.localhost:9/").allowed


@pytest.fixture
def knocking_launcher(tmp_path, display, fake_sites):
    home = fake_sites.page("caf.localhost", "/knock", KNOCK % fake_sites.port)
    fake_sites.page("ameli.localhost", "/welcome", "<p>ameli</p>")
    launcher = Launcher(tmp_path, home, display)
    launcher.wait_event("ready", timeout=30)
    launcher.wait_event("navigation_refused", timeout=15)  # the knock is refused at first
    yield launcher
    launcher.stop()


def ameli_documents(fake_sites) -> list:
    return [r for r in fake_sites.requests("ameli.localhost", "/welcome") if r.dest == "document"]


def test_a_saved_catalogue_opens_the_new_site_without_a_restart(knocking_launcher, fake_sites):
    before = len(ameli_documents(fake_sites))
    time.sleep(1.0)
    assert len(ameli_documents(fake_sites)) == before
    policy = knocking_launcher.policy
    port = fake_sites.port
    policy.write_text(policy.read_text().replace(
        f'hosts = ["caf.localhost:{port}"]',
        f'hosts = ["caf.localhost:{port}", "ameli.localhost:{port}"]'))
    knocking_launcher.send(op="reload_policy")
    fake_sites.wait_for("ameli.localhost", "/welcome", timeout=15, count=before + 1)


def test_accompanied_unlock_opens_one_site_for_this_window(knocking_launcher, fake_sites):
    before = len(ameli_documents(fake_sites))
    knocking_launcher.send(op="allow_site", site_id="ameli", hosts=["https://ameli.localhost"])
    time.sleep(1.5)  # a malformed unlock (scheme in the host) must change nothing
    assert len(ameli_documents(fake_sites)) == before
    knocking_launcher.send(op="allow_site", site_id="ameli", hosts=["ameli.localhost"])
    fake_sites.wait_for("ameli.localhost", "/welcome", timeout=15, count=before + 1)


def test_history_back_to_a_site_removed_since_is_refused(tmp_path, display, fake_sites):
    """Back/forward is a navigation like any other: a page kept in history (or in the
    back-forward cache) does not come back once the mediator has removed its site."""
    flag = {"back": False}
    caf = fake_sites.url("caf.localhost", "/hist-caf")
    shown_url = fake_sites.add("caf.localhost", "/fc-shown", "ok", content_type="text/plain")
    fake_sites.page("franceconnect.localhost", "/hist-fc", (
        f"<p>fc</p><script>addEventListener('pageshow', e => fetch('{shown_url}'"
        " + '?persisted=' + e.persisted, {mode: 'no-cors'}));"
        "if (!sessionStorage.getItem('went')) { sessionStorage.setItem('went', '1');"
        f" setTimeout(() => {{ location.href = '{caf}'; }}, 300); }}</script>"))
    fake_sites.add("caf.localhost", "/hist-flag",
                   lambda _request: Response(b"back" if flag["back"] else b"wait", 200,
                                                      (("Content-Type", "text/plain"),)))
    fake_sites.page("caf.localhost", "/hist-caf", (
        "<p>caf</p><script>setInterval(() => fetch('/hist-flag').then(r => r.text())"
        ".then(t => { if (t === 'back') history.back(); }), 200);</script>"))
    fc = fake_sites.url("franceconnect.localhost", "/hist-fc")
    home = fake_sites.page("portal.localhost", "/hist-home",
                           f"<script>location.href='{fc}'</script>")
    launcher = Launcher(tmp_path, home, display)
    try:
        fake_sites.wait_for("caf.localhost", "/hist-flag", timeout=30)
        shown = len(fake_sites.requests("caf.localhost", "/fc-shown"))
        fc_documents = len(fake_sites.requests("franceconnect.localhost", "/hist-fc"))
        policy = launcher.policy
        policy.write_text(policy.read_text().split("[[shared]]")[0])
        mark = launcher.mark()
        launcher.send(op="reload_policy")
        time.sleep(0.5)
        flag["back"] = True
        launcher.wait_event("navigation_refused", since=mark, site_id="caf")
        time.sleep(1.0)
        assert len(fake_sites.requests("caf.localhost", "/fc-shown")) == shown
        assert len(fake_sites.requests("franceconnect.localhost", "/hist-fc")) == fc_documents
    finally:
        launcher.stop()
