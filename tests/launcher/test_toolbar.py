"""Toolbar, JS bridge, shortcuts, printing and the stdin protocol, in one shared window."""

from __future__ import annotations

import json
import time
from urllib.parse import unquote

import pytest

from tests.launcher.harness import FAKE_LP, run_scenario, visible_windows, xdotool

pytestmark = pytest.mark.gui

HOSTILE = """<h1 id=top style="margin:0">top</h1><script>
onload = () => setTimeout(attack, 300);
function attack() {
const r = {};
const bar = () => document.querySelector("kiosk-bar");
r.pywebview = typeof window.pywebview;
r.qt = typeof window.qt;
r.channel = typeof QWebChannel;
r.kiosk = typeof window.__kiosk;
r.external = typeof (window.external && window.external.call);
r.shadow = String(bar() && bar().shadowRoot);
r.padding = getComputedStyle(document.documentElement).paddingTop;
r.top = document.getElementById("top").getBoundingClientRect().top;
for (const name of ["home", "print", "end", "documents", "bigger"]) {
  try { window.pywebview.api[name](); r["call_" + name] = "ran"; }
  catch (e) { r["call_" + name] = "failed"; }
}
bar().dispatchEvent(new MouseEvent("click", {bubbles: true}));
bar().remove();
const cover = document.createElement("div");
cover.style = "position:fixed;inset:0;z-index:2147483647;background:red";
document.documentElement.appendChild(cover);
setTimeout(() => {
  r.back = !!bar();
  r.last = document.documentElement.lastElementChild === bar();
  fetch("/report/" + encodeURIComponent(JSON.stringify(r)));
}, 1200);
}
</script>"""


def report(fake_sites, seen):
    found = [r for r in fake_sites.requests("portal.localhost") if r.path.startswith("/report/")]
    deadline = time.monotonic() + 15
    while len(found) <= seen:
        assert time.monotonic() < deadline, "no report"
        time.sleep(0.05)
        found = [r for r in fake_sites.requests("portal.localhost")
                 if r.path.startswith("/report/")]
    return json.loads(unquote(found[-1].path.removeprefix("/report/")))


def reports(fake_sites):
    return len([r for r in fake_sites.requests("portal.localhost")
                if r.path.startswith("/report/")])


def test_hostile_page_cannot_reach_the_bridge_or_remove_the_toolbar(launcher, fake_sites):
    seen = reports(fake_sites)
    mark = run_scenario(launcher, fake_sites, HOSTILE)
    r = report(fake_sites, seen)
    assert r["pywebview"] == r["qt"] == r["channel"] == r["kiosk"] == r["external"] == "undefined"
    assert r["shadow"] == "null"  # closed shadow root
    assert all(r[f"call_{n}"] == "failed" for n in ("home", "print", "end", "documents", "bigger"))
    assert r["padding"] == "56px" and r["top"] >= 56  # space reserved under the bar
    assert r["back"] and r["last"]  # removed, then covered: it came back on top
    assert set(launcher.kinds(mark)) <= {"navigation_allowed", "activity"}
    assert launcher.proc.poll() is None


def test_toolbar_home_button_goes_to_the_tiles(launcher, fake_sites, display):
    """During a session "Accueil" means the sites' tiles, not the welcome page."""
    caf = fake_sites.page("caf.localhost", "/somewhere", "<p>caf</p>")
    run_scenario(launcher, fake_sites, f"<script>location.href='{caf}'</script>")
    fake_sites.wait_for("caf.localhost", "/somewhere")
    tiles = len(fake_sites.requests("portal.localhost", "/accueil"))
    homes = len(fake_sites.requests("portal.localhost", "/"))
    time.sleep(0.3)
    xdotool("mousemove", "54", "28", "click", "1", display=display)
    fake_sites.wait_for("portal.localhost", "/accueil", count=tiles + 1)
    assert len(fake_sites.requests("portal.localhost", "/")) == homes


KEYS = """<input id=i autofocus><script>
document.addEventListener("keydown", (e) => {
  const mods = (e.ctrlKey ? "C" : "") + (e.shiftKey ? "S" : "") + (e.altKey ? "A" : "");
  fetch("/key/" + mods + e.key);
}, true);
</script>"""
BLOCKED = ["F12", "ctrl+shift+i", "ctrl+shift+j", "ctrl+shift+c", "ctrl+u", "ctrl+s", "ctrl+o",
           "ctrl+n", "ctrl+t", "ctrl+w", "F11"]


def test_escape_shortcuts_never_reach_the_page(launcher, fake_sites, display):
    before = visible_windows(launcher, display)
    run_scenario(launcher, fake_sites, KEYS)
    time.sleep(0.3)
    xdotool("mousemove", "640", "400", display=display)
    xdotool("key", "--delay", "30", *BLOCKED, "ctrl+c", "x", display=display)
    fake_sites.wait_for("portal.localhost", "/key/x")
    keys = [r.path for r in fake_sites.requests("portal.localhost") if r.path.startswith("/key/")
            and not r.path.endswith(("Control", "Shift", "Alt"))]  # bare modifiers are harmless
    assert "/key/Cc" in keys  # copy still works
    assert not [k for k in keys if k.startswith(("/key/F1", "/key/CS", "/key/Cu", "/key/Cs",
                                                 "/key/Co", "/key/Cn", "/key/Ct", "/key/Cw"))]
    assert visible_windows(launcher, display) == before
    assert launcher.proc.poll() is None


def print_and_confirm(launcher, fake_sites, display, how):
    run_scenario(launcher, fake_sites, "<p>attestation</p>" + (
        "<script>onload=()=>setTimeout(()=>print(),100)</script>" if how == "script" else ""))
    mark = launcher.mark()
    time.sleep(0.5)
    xdotool("mousemove", "640", "400", display=display)
    if how == "ctrl+p":
        xdotool("key", "ctrl+p", display=display)
    elif how == "toolbar":
        xdotool("mousemove", "330", "28", "click", "1", display=display)
    time.sleep(0.5)
    xdotool("mousemove", "640", "400", "key", "Return", display=display)  # "Imprimer" has focus
    return launcher.wait_event("print", since=mark)


def test_printing_without_a_printer_says_so(launcher, fake_sites, display):
    (launcher.bin / "lp").unlink(missing_ok=True)
    assert print_and_confirm(launcher, fake_sites, display, "script").detail == "no_printer"


@pytest.mark.parametrize("how", ["ctrl+p", "toolbar"])
def test_printing_sends_a_pdf_to_lp_after_confirmation(launcher, fake_sites, display, how):
    (launcher.bin / "lp").write_text(FAKE_LP)
    (launcher.bin / "lp").chmod(0o755)
    (launcher.bin / "lp.calls").unlink(missing_ok=True)
    assert print_and_confirm(launcher, fake_sites, display, how).detail == "sent"
    args = (launcher.bin / "lp.calls").read_text().split("\n")
    assert args[:3] == ["-t", "borne", "--"]
    assert args[3].startswith(str(launcher.session / "tmp"))
    assert (launcher.bin / "printed.pdf").read_bytes().startswith(b"%PDF")
    assert not list((launcher.session / "tmp").glob("print-*.pdf"))


def test_idle_warning_is_cancelled_by_any_input(launcher, fake_sites, display):
    run_scenario(launcher, fake_sites, "<p>page</p>")
    launcher.send(op="warning", kind="idle", seconds=60)
    time.sleep(0.3)
    mark = launcher.mark()
    xdotool("mousemove", "640", "400", "key", "shift", display=display)
    launcher.wait_event("activity", since=mark, timeout=3)


def test_malformed_commands_are_ignored(launcher, fake_sites):
    for line in ("nonsense", "[]", '{"op":"load","url":"http://evil.localhost/"}',
                 '{"op":"time_left","seconds":"x"}'):
        launcher.proc.stdin.write(line + "\n")
    launcher.send(op="time_left", seconds=600)
    launcher.send(op="warning_cancel")
    seen = len(fake_sites.requests("portal.localhost", "/"))
    launcher.send(op="home")
    fake_sites.wait_for("portal.localhost", "/", count=seen + 1)
    assert fake_sites.requests("evil.localhost") == []


def test_right_click_opens_no_menu(launcher, fake_sites, display):
    before = visible_windows(launcher, display)
    run_scenario(launcher, fake_sites, "<p style='height:700px'>page</p>")
    time.sleep(0.3)
    xdotool("mousemove", "640", "400", "click", "3", display=display)
    time.sleep(0.5)
    assert visible_windows(launcher, display) == before
    xdotool("key", "Escape", display=display)


def test_toolbar_is_present_on_third_party_pages_after_cross_site_navigation(launcher,
                                                                             fake_sites):
    check = ("<h1>FranceConnect</h1><script>onload = () => setTimeout(() => fetch('/bar/' + "
             "(document.querySelector('kiosk-bar') ? 'yes' : 'no')), 300)</script>")
    fc = fake_sites.page("franceconnect.localhost", "/login", check)
    caf = fake_sites.page("caf.localhost", "/connexion", f"<script>location.href='{fc}'</script>")
    bars = lambda: [r.path for r in fake_sites.requests("franceconnect.localhost")  # noqa: E731
                    if r.path.startswith("/bar/")]
    seen = len(bars())
    run_scenario(launcher, fake_sites, f"<script>location.href='{caf}'</script>")
    deadline = time.monotonic() + 15
    while len(bars()) == seen:
        assert time.monotonic() < deadline, "the page never reported"
        time.sleep(0.05)
    assert bars()[-1] == "/bar/yes"


def test_text_zoom_shortcuts_still_work(launcher, fake_sites, display):
    run_scenario(launcher, fake_sites, "<p>texte</p><script>addEventListener('resize', () => "
                 "fetch('/width/' + innerWidth))</script>")
    time.sleep(0.3)
    widths = lambda: [int(r.path.split("/")[-1]) for r in  # noqa: E731
                      fake_sites.requests("portal.localhost") if r.path.startswith("/width/")]
    seen = len(widths())
    xdotool("mousemove", "640", "400", "key", "ctrl+plus", display=display)
    deadline = time.monotonic() + 10
    while len(widths()) == seen:
        assert time.monotonic() < deadline, "zoom did not change the layout width"
        time.sleep(0.05)
    assert widths()[-1] < 1280
    xdotool("key", "ctrl+0", display=display)


def test_the_bar_hides_on_portal_pages_which_have_their_own_navigation(tmp_path, display,
                                                                       fake_sites):
    """With --portal, portal pages get no bar and no reserved space; listed sites keep both."""
    from tests.launcher.harness import Launcher

    report = ("<script>setTimeout(() => {{ fetch('/pad?' + getComputedStyle("
              "document.documentElement).paddingTop).then(() => {{ {next} }}); }}, 800)</script>")
    site = fake_sites.page("caf.localhost", "/bar", "<p>caf</p>" + report.format(next=""))
    fake_sites.add("caf.localhost", "/pad", "ok", content_type="text/plain")
    fake_sites.add("portal.localhost", "/pad", "ok", content_type="text/plain")
    portal = fake_sites.page("portal.localhost", "/nav", "<p>portail</p>" + report.format(
        next=f"location.href = {site!r};"))
    launcher = Launcher(tmp_path, portal, display, extra_args=["--portal", portal])
    try:
        assert fake_sites.wait_for("portal.localhost", "/pad", timeout=30)[-1].query == "0px"
        assert fake_sites.wait_for("caf.localhost", "/pad", timeout=15)[-1].query == "56px"
    finally:
        launcher.stop()
