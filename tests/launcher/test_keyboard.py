"""The on-screen keyboard in the real window, driven with the mouse as a resident's finger: it
types into plain, framework-controlled and login fields of pages and sites, in French and
Arabic, keeps the field above itself, keeps its size at the largest zoom, cannot be read or
driven by a page, and the next resident finds it closed (and working)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest

from launcher.keyboard import layouts
from tests.fakesites import FakeSites
from tests.launcher.harness import Launcher, run_scenario, xdotool
from tests.launcher.onscreen import (
    BAR,
    FIELD,
    Finger,
    keyboard_on_screen,
    toggle_keyboard,
    toolbar_button,
)
from tests.pixels import screen

pytestmark = pytest.mark.gui

def click(display: str, x: int, y: int) -> None:
    xdotool("mousemove", str(x), str(y), "click", "1", display=display)
    time.sleep(0.3)


def last(fake_sites: FakeSites, host: str, path: str, count: int) -> dict[str, str]:
    """The query of the page's `count`th report to `path` (waited for), as a dict."""
    found = fake_sites.wait_for(host, path, count=count)[:count]
    return {k: v[0] for k, v in parse_qs(found[-1].query, keep_blank_values=True).items()}


def reports(fake_sites: FakeSites, host: str, path: str) -> int:
    return len(fake_sites.requests(host, path))


@pytest.fixture
def closed_after(launcher: Launcher, display: str) -> Iterator[None]:
    """Each test starts and ends with the keyboard closed (the window is shared)."""
    yield
    xdotool("key", "ctrl+0", display=display)  # back to the normal zoom
    time.sleep(0.5)
    if keyboard_on_screen(screen(display))[1]:
        toggle_keyboard(display)


PLAIN = f"""<input id=f style="{FIELD.format(top=100)}"><script>
const f = document.getElementById("f");
f.addEventListener("input", () => fetch("/seen?" + new URLSearchParams({{v: f.value}})));
</script>"""

# A tiny framework-controlled field, as React does it: the site keeps the value in its own state,
# changed only by `input` events, and renders the field from that state (a value set on the
# element without an event is wiped by the next render).
CONTROLLED = f"""<div id=app></div><script>
let state = {{email: ""}};
const input = document.createElement("input");
input.style = "{FIELD.format(top=100)}";
document.getElementById("app").appendChild(input);
input.addEventListener("input", (e) => {{
  state = {{email: e.target.value}};
  fetch("/state?" + new URLSearchParams({{email: state.email}}));
}});
setInterval(() => {{ if (input.value !== state.email) input.value = state.email; }}, 20);
</script>"""


def test_keyboard_types_accents_at_sign_and_digits_into_a_plain_field(launcher, fake_sites,
                                                                      display, closed_after):
    run_scenario(launcher, fake_sites, PLAIN)
    time.sleep(0.5)
    seen = reports(fake_sites, "portal.localhost", "/seen")
    click(display, 200, 120)
    toggle_keyboard(display)
    finger = Finger(display)
    finger.type("é@1")
    assert last(fake_sites, "portal.localhost", "/seen", seen + 3)["v"] == "é@1"
    finger.tap("{bksp}")
    finger.tap(".fr")
    assert last(fake_sites, "portal.localhost", "/seen", seen + 5)["v"] == "é@.fr"


def test_framework_controlled_field_gets_the_typed_value_in_its_own_state(launcher, fake_sites,
                                                                          display, closed_after):
    run_scenario(launcher, fake_sites, CONTROLLED)
    time.sleep(0.5)
    seen = reports(fake_sites, "portal.localhost", "/state")
    click(display, 200, 120)
    toggle_keyboard(display)
    Finger(display).type("é@1")
    time.sleep(0.3)  # a render after the last key: the state and the field agree
    assert last(fake_sites, "portal.localhost", "/state", seen + 3)["email"] == "é@1"
    assert reports(fake_sites, "portal.localhost", "/state") == seen + 3  # one event per key


LOGIN = f"""<!doctype html><meta charset=utf-8><h1>Mon compte CAF</h1>
<form method=post action=/login>
<input name=user autocomplete=off style="{FIELD.format(top=160)}">
<input name=pass type=password style="{FIELD.format(top=230)}">
<button style="position:absolute;top:300px;left:40px">Se connecter</button></form>"""


def test_login_form_on_a_site_is_filled_and_sent_with_the_keyboard(launcher, fake_sites, display,
                                                                   closed_after):
    page = fake_sites.page("caf.localhost", "/connexion", LOGIN)
    fake_sites.add("caf.localhost", "/login", "<p>Bienvenue</p>")
    posts = reports(fake_sites, "caf.localhost", "/login")
    run_scenario(launcher, fake_sites, f"<script>location.href = {page!r}</script>")
    fake_sites.wait_for("caf.localhost", "/connexion")
    time.sleep(0.6)
    click(display, 200, 180)
    toggle_keyboard(display)
    finger = Finger(display)
    finger.type("é@1")
    click(display, 200, 250)  # the password field, with the keyboard open
    finger.type("ça")
    finger.tap("{enter}")
    sent = fake_sites.wait_for("caf.localhost", "/login", count=posts + 1)[-1]
    assert sent.method == "POST"
    assert parse_qs(sent.body.decode()) == {"user": ["é@1"], "pass": ["ça"]}


SEARCH = """<!doctype html><html lang=ar dir=rtl><meta charset=utf-8><h1>بحث</h1>
<form action=/resultats><input type=search name=q style="{field}"></form>""".format(
    field=FIELD.format(top=100).replace("left", "right"))


def test_arabic_resident_gets_the_arabic_layout_first_and_searches_in_arabic(launcher,
                                                                            fake_sites, display,
                                                                            closed_after):
    """The window learns Arabic from the portal's page; the keyboard opens on Arabic letters."""
    fake_sites.add("portal.localhost", "/resultats", "<p>نتائج</p>")
    searches = reports(fake_sites, "portal.localhost", "/resultats")
    run_scenario(launcher, fake_sites, SEARCH)
    time.sleep(0.8)
    click(display, 1000, 120)
    toggle_keyboard(display, rtl=True)
    finger = Finger(display, layout="ar")
    finger.type("سلام")
    finger.tap("{lang}")  # French letters on the same keyboard (the screen shows their rows)
    finger.type(" a")
    finger.tap("{lang}")
    finger.type("ب")
    finger.tap("{enter}")
    found = fake_sites.wait_for("portal.localhost", "/resultats", count=searches + 1)[-1]
    assert parse_qs(found.query) == {"q": ["سلام aب"]}


LOW = f"""<p style="height:760px;margin:0"></p><input id=f style="{FIELD.format(top=700)}">
<script>
const f = document.getElementById("f");
f.addEventListener("input", () => {{ const r = f.getBoundingClientRect();
  fetch("/low?" + new URLSearchParams({{v: f.value, top: r.top, bottom: r.bottom,
                                        ratio: devicePixelRatio}})); }});
</script>"""


def field_stays_visible(launcher, fake_sites, display, text: str) -> tuple[dict, int]:
    """Open the keyboard on a field low on the page, type `text`; the field's last report and
    the keyboard's top on screen."""
    run_scenario(launcher, fake_sites, LOW)
    time.sleep(0.6)
    seen = reports(fake_sites, "portal.localhost", "/low")
    click(display, 200, 720)
    toggle_keyboard(display)
    top, rows = keyboard_on_screen(screen(display))
    assert rows and top < 720  # open: a field at 700-740 px would be under it
    Finger(display).type(text)
    return last(fake_sites, "portal.localhost", "/low", seen + len(text)), top


def test_keyboard_never_covers_the_field_it_types_into(launcher, fake_sites, display,
                                                       closed_after):
    report, keyboard_top = field_stays_visible(launcher, fake_sites, display, "é@1")
    assert report["v"] == "é@1"
    ratio = float(report["ratio"])
    assert float(report["bottom"]) * ratio <= keyboard_top  # above the keyboard
    assert float(report["top"]) * ratio >= BAR              # and under the toolbar


def test_keyboard_keeps_its_size_and_types_at_the_largest_zoom(launcher, fake_sites, display,
                                                               closed_after):
    run_scenario(launcher, fake_sites, LOW)
    time.sleep(0.5)
    toggle_keyboard(display)
    normal = keyboard_on_screen(screen(display))
    toggle_keyboard(display)
    bigger = toolbar_button(display, 3)
    for _ in range(5):  # A+ up to the largest zoom (2.0)
        xdotool("mousemove", *map(str, bigger), "click", "1", display=display)
        time.sleep(0.5)
    run_scenario(launcher, fake_sites, LOW)
    time.sleep(0.8)
    seen = reports(fake_sites, "portal.localhost", "/low")
    toggle_keyboard(display)
    assert keyboard_on_screen(screen(display)) == normal  # same keys, same places
    # the field is off screen at this zoom: a click on the page, then Tab, as a keyboard user
    xdotool("mousemove", "900", "150", "click", "1", "key", "Tab", display=display)
    time.sleep(0.5)
    Finger(display).type("é@1")
    report = last(fake_sites, "portal.localhost", "/low", seen + 3)
    assert report["v"] == "é@1" and report["ratio"] == "2"
    assert float(report["bottom"]) * 2 <= normal[0] and float(report["top"]) * 2 >= BAR


HOSTILE = f"""<input id=f style="{FIELD.format(top=100)}"><script>
const f = document.getElementById("f");
const r = {{}};
const watch = setInterval(() => {{
  const k = document.querySelector("kiosk-keyboard");
  if (!k) return;
  clearInterval(watch);
  r.shadow = String(k.shadowRoot);
  r.api = typeof window.__kioskKeyboard;
  r.inside = k.children.length;
  f.focus();
  const y = innerHeight - 150;  // over the keys
  const hit = document.elementFromPoint(400, y);
  r.hit = hit ? hit.localName : "none";
  for (const type of ["pointerdown", "mousedown", "pointerup", "mouseup", "click"]) {{
    const init = {{bubbles: true, composed: true, clientX: 400, clientY: y}};
    (hit || k).dispatchEvent(type.startsWith("pointer") ? new PointerEvent(type, init)
                                                      : new MouseEvent(type, init));
  }}
  k.remove();
  const cover = document.createElement("div");
  cover.style = "position:fixed;left:0;right:0;bottom:0;height:400px;z-index:2147483647;"
    + "background:red";
  document.documentElement.appendChild(cover);
  setTimeout(() => {{
    r.value = f.value;
    const back = document.querySelector("kiosk-keyboard");
    r.back = !!back;
    r.above = !!back && back.compareDocumentPosition(cover) === Node.DOCUMENT_POSITION_PRECEDING;
    fetch("/hostile?" + new URLSearchParams(r));
  }}, 1200);
}}, 100);
</script>"""


def test_a_page_cannot_read_drive_or_remove_the_keyboard(launcher, fake_sites, display,
                                                         closed_after):
    seen = reports(fake_sites, "portal.localhost", "/hostile")
    run_scenario(launcher, fake_sites, HOSTILE)
    time.sleep(0.5)
    click(display, 200, 120)
    toggle_keyboard(display)
    r = last(fake_sites, "portal.localhost", "/hostile", seen + 1)
    assert r["shadow"] == "null" and r["api"] == "undefined" and r["inside"] == "0"
    assert r["hit"] == "kiosk-keyboard"  # the page sees the host, never the keys
    assert r["value"] == ""  # its synthetic clicks typed nothing
    assert r["back"] == "true" and r["above"] == "true"  # removed, covered: back on top
    top, rows = keyboard_on_screen(screen(display))
    assert len(rows) == len(layouts()["fr"]["default"])  # the red cover is under it


def next_resident(launcher: Launcher, fake_sites: FakeSites) -> int:
    """What the supervisor does between two residents; the event mark before it."""
    fake_sites.page("portal.localhost", "/", "<h1>Accueil</h1>")
    mark = launcher.mark()
    launcher.send(op="clear")
    launcher.wait_event("ready", since=mark, timeout=30)
    time.sleep(0.8)
    return mark


def test_next_resident_finds_the_keyboard_closed_and_can_use_it(launcher, fake_sites, display,
                                                                closed_after):
    """Also counted once per resident for the funder ("keyboard", no text), however often it
    is opened."""
    next_resident(launcher, fake_sites)  # resident one starts here (the window is shared)
    run_scenario(launcher, fake_sites, PLAIN)
    time.sleep(0.5)
    first = launcher.mark()
    click(display, 200, 120)
    toggle_keyboard(display)
    toggle_keyboard(display)
    toggle_keyboard(display)
    Finger(display).type("é@1")
    assert keyboard_on_screen(screen(display))[1]
    assert launcher.kinds(first).count("keyboard") == 1
    mark = next_resident(launcher, fake_sites)
    assert keyboard_on_screen(screen(display))[1] == []
    run_scenario(launcher, fake_sites, PLAIN)
    time.sleep(0.5)
    assert keyboard_on_screen(screen(display))[1] == []  # closed on the next pages too
    seen = reports(fake_sites, "portal.localhost", "/seen")
    click(display, 200, 120)
    toggle_keyboard(display)
    Finger(display).type("é@1")
    assert last(fake_sites, "portal.localhost", "/seen", seen + 3)["v"] == "é@1"
    assert launcher.kinds(mark).count("keyboard") == 1  # resident two counted too
    assert {(e.site_id, e.detail) for e in launcher.events[first:] if e.kind == "keyboard"} \
        == {(None, None)}  # a bare count


def test_fermer_closes_the_keyboard_here_and_on_the_next_pages(launcher, fake_sites, display,
                                                               closed_after):
    run_scenario(launcher, fake_sites, PLAIN)
    time.sleep(0.5)
    click(display, 200, 120)
    toggle_keyboard(display)
    run_scenario(launcher, fake_sites, PLAIN)  # open, it follows the resident to the next page
    time.sleep(0.8)
    assert keyboard_on_screen(screen(display))[1]
    Finger(display).tap("{hide}")
    time.sleep(0.5)
    assert keyboard_on_screen(screen(display))[1] == []
    run_scenario(launcher, fake_sites, PLAIN)
    time.sleep(0.8)
    assert keyboard_on_screen(screen(display))[1] == []
