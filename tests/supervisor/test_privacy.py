"""Nothing of one resident reaches the next: a real session stores everything a site can store,
the session ends, and the next session on the same site finds nothing. The window is kept between
residents (a new off-the-record profile each session): a control run in that window without
"clear" and wipe must see the leak, or this test proves nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from core.events import ListSink
from kiosk import control
from kiosk.runtime import build_runtime
from kiosk.supervisor import Options
from tests.supervisor.conftest import ROOT, free_port, wait

pytestmark = [pytest.mark.gui, pytest.mark.slow]

SECRET = "NIR-1850533063042-Durand"
TYPED = "qjxé@7"  # typed by the resident with the on-screen keyboard

STORE = """<!doctype html><meta charset=utf-8><title>CAF</title><h1>Connexion</h1>
<img src="/cached.png" alt="">
<input id=typed style="position:absolute;left:40px;top:100px;width:500px;height:40px">
<script>
const typed = document.getElementById("typed");
typed.addEventListener("input", () => fetch("/typed", {method: "POST", body: typed.value}));
(async () => {
  const secret = %(secret)r;
  document.cookie = "js_cookie=" + secret + "; max-age=3600; path=/";
  localStorage.setItem("k", secret);
  sessionStorage.setItem("k", secret);
  await new Promise((ok, ko) => { const r = indexedDB.open("db", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("s");
    r.onsuccess = () => { const t = r.result.transaction("s", "readwrite");
      t.objectStore("s").put(secret, "k"); t.oncomplete = ok; t.onerror = ko; }; r.onerror = ko; });
  const cache = await caches.open("c");
  await cache.put("/cached-secret", new Response(secret));
  await navigator.serviceWorker.register("/sw.js");
  const img = document.querySelector("img");  // in the HTTP cache before the check phase begins
  if (!img.complete) await new Promise(ok => { img.onload = ok; img.onerror = ok; });
  await fetch("/stored");
  location.href = "/attestation.pdf";
})().catch(e => fetch("/error", {method: "POST", body: String(e)}));
</script>"""

CHECK = """<!doctype html><meta charset=utf-8><title>CAF</title><h1>Vérification</h1>
<img src="/cached.png" alt="">
<script>
(async () => {
  const found = {cookie: document.cookie, local: localStorage.getItem("k"),
                 session: sessionStorage.getItem("k"), idb: null, cache: null,
                 workers: (await navigator.serviceWorker.getRegistrations()).length};
  found.idb = await new Promise(ok => { const r = indexedDB.open("db", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("s");
    r.onsuccess = () => { const q = r.result.transaction("s").objectStore("s").get("k");
      q.onsuccess = () => ok(q.result || null); q.onerror = () => ok(null); };
    r.onerror = () => ok(null); });
  const hit = await (await caches.open("c")).match("/cached-secret");
  found.cache = hit ? await hit.text() : null;
  await new Promise(ok => setTimeout(ok, 1000));  // the window's scripts run once parsed
  found.bar = !!document.querySelector("kiosk-bar");
  found.keyboard = !!document.querySelector("kiosk-keyboard");
  await fetch("/report", {method: "POST", body: JSON.stringify(found)});
})().catch(e => fetch("/error", {method: "POST", body: String(e)}));
</script>"""

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


class Site:
    """The fake CAF: phase "store" writes everything, phase "check" reports what it finds."""

    def __init__(self, fake_sites):
        self.sites = fake_sites
        self.phase = "store"
        host = "caf.localhost"
        fake_sites.add(host, "/", lambda r: self._home(r))
        fake_sites.add(host, "/sw.js", "self.addEventListener('fetch', () => {});",
                       content_type="text/javascript")
        fake_sites.add(host, "/cached.png", PNG, content_type="image/png",
                       headers={"Cache-Control": "max-age=3600"})
        fake_sites.add(host, "/stored", "ok", content_type="text/plain")
        fake_sites.add(host, "/typed", "ok", content_type="text/plain")
        fake_sites.add(host, "/report", "ok", content_type="text/plain")
        fake_sites.add(host, "/error", "ok", content_type="text/plain")
        fake_sites.add(host, "/attestation.pdf", b"%PDF-1.4\n% " + SECRET.encode() + b"\n%%EOF\n",
                       content_type="application/pdf",
                       headers={"Content-Disposition": 'attachment; filename="attestation.pdf"'})
        self.url = fake_sites.url(host, "/")

    def _home(self, request):
        from tests.fakesites import Response

        body = (STORE % {"secret": SECRET}) if self.phase == "store" else CHECK
        headers = [("Content-Type", "text/html; charset=utf-8")]
        if self.phase == "store":
            headers.append(("Set-Cookie", f"sid={SECRET}; Max-Age=3600; Path=/; HttpOnly"))
        return Response(body.encode(), 200, tuple(headers))

    def report(self, since: int, timeout: float = 30) -> dict:
        """What the check page found, posted as JSON; fails on a page script error."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            recent = self.sites.requests("caf.localhost")[since:]
            errors = [r.body.decode() for r in recent if r.path == "/error"]
            assert not errors, f"page script failed: {errors}"
            reports = [r for r in recent if r.path == "/report"]
            if reports:
                return json.loads(reports[-1].body)
            time.sleep(0.1)
        raise AssertionError("the check page never reported")


def policy_for(url: str) -> bytes:
    return (f'version = 1\n[[category]]\nid = "famille_scolarite"\nlabel = "Famille"\n'
            f'[[site]]\nid = "caf"\nname = "CAF"\ncategory = "famille_scolarite"\nurl = "{url}"\n'
            f'hosts = ["caf.localhost:{urlsplit(url).port}"]\n').encode()


@pytest.fixture
def terminal(tmp_path, display, fake_sites, monkeypatch):
    """The real supervisor (in this process), its portal, and a real launcher window."""
    site = Site(fake_sites)
    site.stored_before = len(fake_sites.requests("caf.localhost", "/stored"))
    state = tmp_path / "state"
    state.mkdir()
    port = free_port()
    (state / "config.toml").write_text(f"portal_port = {port}\n")
    (state / "policy.toml").write_bytes(policy_for(site.url))
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_CONFIG_HOME": str(home / ".config"), "PYTHONPATH": str(ROOT), "DISPLAY": display}
    if os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    # The resident's page address carries their social security number and name, as real
    # administrative sites' addresses sometimes do; counters are on, as in production.
    home = f"{site.url}?nir={SECRET}&nom=Durand"
    runtime = build_runtime(state, options=Options(windowed=True, home_url=home, launcher_env=env))
    thread = threading.Thread(target=runtime.run, daemon=True)
    thread.start()
    yield runtime, site, state
    runtime.supervisor.stop()
    thread.join(30)
    runtime.close()



def clipboard(display: str) -> str:
    result = subprocess.run(["xclip", "-o", "-selection", "clipboard"], capture_output=True,
                            text=True, env={**os.environ, "DISPLAY": display}, timeout=5)
    return result.stdout


def type_with_the_on_screen_keyboard(display: str, fake_sites) -> None:
    """The resident closes "Document enregistré", taps the field, opens "Clavier" and types
    TYPED; the site receives it."""
    from tests.launcher.harness import xdotool
    from tests.launcher.onscreen import Finger, toggle_keyboard, window
    from tests.pixels import screen

    typed = len(fake_sites.requests("caf.localhost", "/typed"))
    time.sleep(0.5)
    xdotool("key", "Tab", "Return", display=display)  # "OK"
    left, top, _ = window(screen(display))
    xdotool("mousemove", str(left + 200), str(top + 120), "click", "1", display=display)
    toggle_keyboard(display)
    Finger(display).type(TYPED)
    found = fake_sites.wait_for("caf.localhost", "/typed", count=typed + len(TYPED))
    assert found[typed + len(TYPED) - 1].body.decode() == TYPED


def test_the_next_resident_finds_nothing_of_the_previous_one(terminal, display, fake_sites,
                                                             capfd, caplog):
    runtime, site, state = terminal
    supervisor = runtime.supervisor
    events = ListSink()
    supervisor.sinks.append(events)
    wait(lambda: supervisor.ready)
    wait(lambda: len(fake_sites.requests("caf.localhost", "/stored")) > site.stored_before, 30)
    downloads = state / "session" / "downloads"
    wait(lambda: any(downloads.glob("*.pdf")), 20)
    type_with_the_on_screen_keyboard(display, fake_sites)
    subprocess.run(["xclip", "-selection", "clipboard"], input=SECRET, text=True, check=True,
                   env={**os.environ, "DISPLAY": display}, timeout=5)
    temp_file = state / "session" / "tmp" / "brouillon.txt"
    temp_file.write_text(SECRET)
    assert clipboard(display) == SECRET

    in_session = [p for p in (state / "session").rglob("*") if p.is_file()]
    assert any(SECRET.encode() in p.read_bytes() for p in in_session), "control: the search works"

    site.phase = "check"
    since = len(fake_sites.requests("caf.localhost"))
    control.request(state, {"cmd": "end"})
    wait(lambda: supervisor.state == "welcome" and supervisor.ready)
    found = site.report(since)

    assert supervisor.last_wipe.ok and supervisor.last_wipe.verified
    first_page = [r for r in fake_sites.requests("caf.localhost")[since:] if r.path == "/"][0]
    assert "cookie" not in first_page.headers, \
        "the server received a cookie from the previous session"
    assert found == {"cookie": "", "local": None, "session": None, "idb": None, "cache": None,
                     "workers": 0, "bar": True, "keyboard": False}  # the keyboard is closed
    assert [r for r in fake_sites.requests("caf.localhost")[since:] if r.path == "/cached.png"], \
        "the image came from the previous session's HTTP cache"
    assert list(downloads.iterdir()) == []
    assert not temp_file.exists()
    assert clipboard(display) == ""
    assert not (state / "wipe.journal").exists() or supervisor.state == "welcome"
    assert_nothing_identifying_outside_the_session(state, runtime)
    assert keyboard_sessions(state) == 1  # counted for the funder, as a bare number
    # what was typed with the keyboard: in no event, no log line (the window's included)
    typed = [TYPED, TYPED.encode().decode("latin-1"), "qjx"]
    assert events.events and not [e for e in events.events if any(
        t in json.dumps(asdict(e), ensure_ascii=False) for t in typed)]
    output = capfd.readouterr()
    logged = output.out + output.err + caplog.text
    assert not [t for t in typed if t in logged]


def keyboard_sessions(state: Path) -> int:
    from datetime import date

    from kiosk.counters import CounterStore

    store = CounterStore(state)
    try:
        totals = store.month_totals(date.today().strftime("%Y-%m"))
    finally:
        store.close()
    return sum(n for (metric, _key), n in totals.items() if metric == "keyboard")


def assert_nothing_identifying_outside_the_session(state: Path, runtime) -> None:
    """Every byte the terminal keeps (state dir outside session/, exports) is free of the
    resident's number and name, in plain text and in the forms a URL or JSON would give them."""
    from datetime import date

    from kiosk.export import export_bytes

    needles = [SECRET.encode(), b"1850533063042", b"Durand", b"durand", TYPED.encode(), b"qjx",
               TYPED.encode("utf-16-le")]
    kept = [p for p in state.rglob("*")
            if p.is_file() and "session" not in p.relative_to(state).parts[0]]
    assert any(p.name == "counters.sqlite3" for p in kept), "counting was not on"
    for path in kept:
        data = path.read_bytes()
        assert not [n for n in needles if n in data], f"resident data in {path.relative_to(state)}"
    from kiosk.counters import CounterStore

    store = CounterStore(state)
    try:
        for fmt in ("csv", "csv-comma", "xlsx", "json"):
            data = export_bytes(state, store, date.today().strftime("%Y-%m"), fmt)
            assert not [n for n in needles if n in data], fmt
    finally:
        store.close()


def test_control_the_same_window_without_clear_and_wipe_leaks_everything(tmp_path, display,
                                                                          fake_sites):
    """The kept window reopens the site with no "clear" and no wipe: the check must see it all."""
    site = Site(fake_sites)
    policy = tmp_path / "policy.toml"
    policy.write_bytes(policy_for(site.url))
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": str(ROOT), "DISPLAY": display}
    if os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    argv = [sys.executable, "-m", "kiosk", "launch", "--policy", str(policy), "--home", site.url,
            "--session-dir", str(tmp_path / "session"), "--windowed", "--kept"]
    stored = len(fake_sites.requests("caf.localhost", "/stored"))  # the fake sites are shared
    window = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        wait(lambda: len(fake_sites.requests("caf.localhost", "/stored")) > stored, 30)
        site.phase = "check"
        since = len(fake_sites.requests("caf.localhost"))
        window.stdin.write(b'{"op": "home"}\n')
        window.stdin.flush()
        found = site.report(since)
        first_page = [r for r in fake_sites.requests("caf.localhost")[since:] if r.path == "/"][0]
    finally:
        window.communicate(b'{"op": "quit"}\n', timeout=30)
    assert SECRET in first_page.headers.get("cookie", ""), found
    assert found["local"] == SECRET and found["session"] == SECRET
    assert found["idb"] == SECRET and found["cache"] == SECRET
    assert found["workers"] == 1
    assert not [r for r in fake_sites.requests("caf.localhost")[since:] if r.path == "/cached.png"]
