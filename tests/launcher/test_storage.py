"""Browsing state lives in the session directory only, and dies with it."""

from __future__ import annotations

import json
import time
from urllib.parse import unquote

import pytest

from kiosk.launcher_process import renderer_pids
from tests.fakesites import Response
from tests.launcher.harness import Launcher, files_under

pytestmark = pytest.mark.gui

STORE = """<script>
document.cookie = "js=1; max-age=3600";
localStorage.setItem("ls", "1");
sessionStorage.setItem("ss", "1");
const open = indexedDB.open("db", 1);
open.onupgradeneeded = () => open.result.createObjectStore("s");
open.onsuccess = async () => {
  const tx = open.result.transaction("s", "readwrite");
  tx.objectStore("s").put("1", "k");
  await new Promise((r) => { tx.oncomplete = r; });
  await (await caches.open("c")).put("/cached", new Response("x"));
  await navigator.serviceWorker.register("/sw.js");
  await navigator.serviceWorker.ready;
  fetch("/stored");
};
</script>"""

REPORT = """<script>
const open = indexedDB.open("db", 1);
open.onupgradeneeded = () => open.result.createObjectStore("s");
open.onsuccess = async () => {
  const get = open.result.transaction("s").objectStore("s").get("k");
  await new Promise((r) => { get.onsuccess = r; });
  const regs = await navigator.serviceWorker.getRegistrations();
  const state = {cookie: document.cookie, ls: localStorage.getItem("ls"), idb: get.result ?? null,
                 caches: (await caches.keys()).length, workers: regs.length};
  fetch("/report/" + encodeURIComponent(JSON.stringify(state)));
};
</script>"""


def matching(fake_sites, prefix):
    return [r for r in fake_sites.requests("portal.localhost") if r.path.startswith(prefix)]


def wait_for_request(fake_sites, prefix, before, timeout=20):
    deadline = time.monotonic() + timeout
    while len(matching(fake_sites, prefix)) == before:
        assert time.monotonic() < deadline, f"page never requested {prefix}"
        time.sleep(0.05)


def last_report(fake_sites):
    reports = matching(fake_sites, "/report/")
    return reports[-1], json.loads(unquote(reports[-1].path.removeprefix("/report/")))


def renderers(launcher) -> set[int]:
    return renderer_pids(launcher.proc.pid)


@pytest.fixture
def sites(fake_sites):
    fake_sites.add("portal.localhost", "/sw.js", "self.addEventListener('fetch', () => {});",
                   content_type="text/javascript")
    fake_sites.add("portal.localhost", "/stored", "ok", content_type="text/plain",
                   headers={"Set-Cookie": "server=1; Max-Age=3600; Path=/"})
    return fake_sites


@pytest.fixture
def kept(sites, display, tmp_path):
    """A window kept between sessions (as the supervisor runs it) that has stored everything."""
    phase = {"html": STORE}
    sites.add("portal.localhost", "/", lambda _r: Response(
        f"<!doctype html><meta charset=utf-8>{phase['html']}".encode()))
    before = len(matching(sites, "/stored"))
    launcher = Launcher(tmp_path, sites.url("portal.localhost", "/"), display,
                        extra_args=["--kept"])
    try:
        launcher.wait_event("ready", timeout=30)
        wait_for_request(sites, "/stored", before)
        phase["html"] = REPORT
        yield launcher
    finally:
        launcher.stop()


def test_nothing_a_site_stores_reaches_the_disk(kept):
    """Off the record: cookies, storage, cache and workers stay in memory; no file anywhere."""
    assert files_under(kept.home) == []
    assert files_under(kept.xdg) == []
    graphics = ("mesa", "qtshadercache")  # compiled shaders of the toolkit, nothing of a site
    assert [p for p in files_under(kept.session)
            if not any(part.startswith(graphics)
                       for part in p.relative_to(kept.session).parts)] == []


def test_control_the_same_profile_still_sees_everything(kept, sites):
    """Without "clear" the next page sees every kind of state (so the next test can fail)."""
    before = len(matching(sites, "/report/"))
    kept.send(op="home")
    wait_for_request(sites, "/report/", before)
    request, state = last_report(sites)
    assert "server=1" in request.headers.get("cookie", "")
    assert state == {"cookie": "js=1; server=1", "ls": "1", "idb": "1", "caches": 1, "workers": 1}


def test_clear_starts_the_next_session_with_nothing(kept, sites):
    old_renderers = renderers(kept)
    assert old_renderers, "control: the page has a renderer process"
    mark = kept.mark()
    before = len(matching(sites, "/report/"))
    kept.send(op="clear")
    kept.wait_event("cleared", since=mark)
    kept.wait_event("ready", since=mark, timeout=30)
    wait_for_request(sites, "/report/", before)
    request, state = last_report(sites)
    assert "cookie" not in request.headers
    assert state == {"cookie": "", "ls": None, "idb": None, "caches": 0, "workers": 0}
    deadline = time.monotonic() + 10
    while old_renderers & renderers(kept) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not old_renderers & renderers(kept), "a renderer of the previous session survived"
    assert kept.proc.poll() is None


def test_ending_a_kept_window_waits_for_the_supervisor(kept):
    """In kept mode "end" is only reported: the supervisor wipes, then sends "clear"."""
    mark = kept.mark()
    kept.send(op="clear")
    kept.wait_event("ready", since=mark, timeout=30)
    assert kept.proc.poll() is None
