"""Subframes, subresources (strict mode) and non-web schemes."""

from __future__ import annotations

import time

import pytest

from tests.launcher.harness import run_scenario, xdotool

pytestmark = pytest.mark.gui


def on_caf(launcher, fake_sites, path, html):
    """Open a caf page holding `html` (so the resident is on a listed site)."""
    url = fake_sites.page("caf.localhost", path, html)
    mark = run_scenario(launcher, fake_sites, f"<script>location.href='{url}'</script>")
    fake_sites.wait_for("caf.localhost", path)
    return mark


def test_iframe_to_unlisted_host_is_blocked_and_reported(launcher, fake_sites):
    fake_sites.page("caf.localhost", "/framed", "<p>framed</p>")
    evil = fake_sites.url("evil.localhost", "/frame")
    ok = fake_sites.url("caf.localhost", "/framed")
    mark = on_caf(launcher, fake_sites, "/frames",
                  f"<iframe src='{evil}'></iframe><iframe src='{ok}'></iframe>")
    event = launcher.wait_event("blocked_host", since=mark, detail="evil.localhost")
    assert event.site_id == "caf"
    assert [r.dest for r in fake_sites.wait_for("caf.localhost", "/framed")] == ["iframe"]
    assert fake_sites.requests("evil.localhost") == []


def test_strict_mode_blocks_every_kind_of_subresource(launcher, fake_sites):
    evil = fake_sites.url("evil.localhost", "")
    fake_sites.add("caf.localhost", "/done", "ok", content_type="text/plain")
    mark = on_caf(launcher, fake_sites, "/resources", f"""
<img src="{evil}/img.png"><script src="{evil}/s.js"></script>
<link rel=stylesheet href="{evil}/c.css"><link rel=prefetch href="{evil}/p">
<script>
fetch("{evil}/fetch").catch(() => {{}});
const x = new XMLHttpRequest(); x.open("GET", "{evil}/xhr"); x.send();
try {{ new WebSocket("{evil.replace('http', 'ws')}/ws"); }} catch (e) {{}}
navigator.sendBeacon("{evil}/beacon", "x");
setTimeout(() => fetch("/done"), 300);
</script>""")
    fake_sites.wait_for("caf.localhost", "/done")
    assert fake_sites.requests("evil.localhost") == []
    reported = [e for e in launcher.events[mark:] if e.kind == "blocked_host"]
    assert [(e.site_id, e.detail) for e in reported] == [("caf", "evil.localhost")]


def test_blocked_resources_on_the_portal_are_not_reported(launcher, fake_sites):
    evil = fake_sites.url("evil.localhost", "/img.png")
    fake_sites.add("portal.localhost", "/done", "ok", content_type="text/plain")
    mark = run_scenario(launcher, fake_sites,
                        f"<img src='{evil}'><script>setTimeout(()=>fetch('/done'),300)</script>")
    fake_sites.wait_for("portal.localhost", "/done")
    assert fake_sites.requests("evil.localhost") == []
    assert "blocked_host" not in launcher.kinds(mark)


@pytest.mark.parametrize("target", ["mailto:someone@example.fr", "tel:+33100000000",
                                    "file:///etc/passwd", "view-source:http://caf.localhost/",
                                    "intent://x#Intent;end", "chrome://settings"])
def test_non_web_scheme_never_leaves_the_window(launcher, fake_sites, display, target):
    fake_sites.add("portal.localhost", "/clicked", "ok", content_type="text/plain")
    seen = len(fake_sites.requests("portal.localhost", "/clicked"))
    run_scenario(launcher, fake_sites,
                 f"<a href='{target}' style='display:block;height:700px;background:#eee'"
                 " onclick='setTimeout(()=>fetch(\"/clicked\"),500)'>lien</a>")
    time.sleep(0.3)  # let the page lay out before the real click
    xdotool("mousemove", "640", "400", "click", "1", display=display)
    fake_sites.wait_for("portal.localhost", "/clicked", count=seen + 1)
    assert not (launcher.bin / "xdg-open.calls").exists()
    assert launcher.proc.poll() is None


def test_camera_microphone_location_and_notifications_are_denied(launcher, fake_sites):
    import json
    from urllib.parse import unquote

    page = """<script>
onload = async () => {
  const r = {};
  try { await navigator.mediaDevices.getUserMedia({video: true, audio: true});
        r.media = "granted"; }
  catch (e) { r.media = e.name; }
  r.geo = await new Promise((ok) => navigator.geolocation.getCurrentPosition(
    () => ok("granted"), (e) => ok(e.code), {timeout: 3000}));
  r.notify = await Notification.requestPermission();
  fetch("/perm/" + encodeURIComponent(JSON.stringify(r)));
};
</script>"""
    mark_count = len([r for r in fake_sites.requests("caf.localhost")
                      if r.path.startswith("/perm/")])
    on_caf(launcher, fake_sites, "/perm", page)
    deadline = time.monotonic() + 15
    while True:
        found = [r for r in fake_sites.requests("caf.localhost") if r.path.startswith("/perm/")]
        if len(found) > mark_count:
            break
        assert time.monotonic() < deadline, "no permission report"
        time.sleep(0.05)
    result = json.loads(unquote(found[-1].path.removeprefix("/perm/")))
    assert result["media"] in ("NotAllowedError", "AbortError")  # Qt reports a denial as abort
    assert (result["geo"], result["notify"]) == (1, "denied")
