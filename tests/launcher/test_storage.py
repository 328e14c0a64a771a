"""Browsing state lives in the session directory only, and dies with it."""

from __future__ import annotations

import json
import shutil
import time
from urllib.parse import unquote

import pytest

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


def run_session(base, fake_sites, display, html, done_prefix):
    """Run one window on `html` until it requests `done_prefix`, then quit it cleanly."""
    home = fake_sites.page("portal.localhost", "/", html)
    before = len(matching(fake_sites, done_prefix))
    launcher = Launcher(base, home, display)
    try:
        launcher.wait_event("ready", timeout=30)
        deadline = time.monotonic() + 20
        while len(matching(fake_sites, done_prefix)) == before:
            assert time.monotonic() < deadline, f"page never requested {done_prefix}"
            time.sleep(0.05)
        launcher.send(op="quit")
        assert launcher.wait_exit() == 0
    finally:
        launcher.stop()
    return launcher


def last_report(fake_sites):
    reports = matching(fake_sites, "/report/")
    return reports[-1], json.loads(unquote(reports[-1].path.removeprefix("/report/")))


@pytest.fixture
def sites(fake_sites):
    fake_sites.add("portal.localhost", "/sw.js", "self.addEventListener('fetch', () => {});",
                   content_type="text/javascript")
    fake_sites.add("portal.localhost", "/stored", "ok", content_type="text/plain",
                   headers={"Set-Cookie": "server=1; Max-Age=3600; Path=/"})
    return fake_sites


def test_nothing_is_written_outside_the_session_directory(sites, display, tmp_path):
    launcher = run_session(tmp_path, sites, display, STORE, "/stored")
    assert files_under(launcher.home) == []
    assert files_under(launcher.xdg) == []
    assert (launcher.session / "profile" / "Cookies").is_file()
    assert any("IndexedDB" in str(p) for p in files_under(launcher.session))


def test_state_survives_in_the_same_session_directory(sites, display, tmp_path):
    """Control: with the same session dir a second window sees everything (so the test can fail)."""
    first = run_session(tmp_path / "a", sites, display, STORE, "/stored")
    second_base = tmp_path / "b"
    second_base.mkdir()
    shutil.copytree(first.session, second_base / "session")
    run_session(second_base, sites, display, REPORT, "/report/")
    request, state = last_report(sites)
    assert "server=1" in request.headers.get("cookie", "")
    assert state == {"cookie": "js=1; server=1", "ls": "1", "idb": "1", "caches": 1, "workers": 1}


def test_a_new_session_directory_starts_empty(sites, display, tmp_path):
    run_session(tmp_path / "a", sites, display, STORE, "/stored")
    run_session(tmp_path / "b", sites, display, REPORT, "/report/")
    request, state = last_report(sites)
    assert "cookie" not in request.headers
    assert state == {"cookie": "", "ls": None, "idb": None, "caches": 0, "workers": 0}
