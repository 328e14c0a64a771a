"""Read aloud in the real window with the real portal and a real voice: "Écouter" on a portal
page and in the toolbar on a site makes speech-dispatcher and espeak-ng speak (the sound reaches
the test's sound card), in French and Arabic, "Arrêter" cuts it, the next resident gets the same,
a page script cannot make the window speak, and nothing read is written anywhere."""

from __future__ import annotations

import re
import time

import pytest

from core.events import ListSink
from portal import create_app
from portal.server import BackgroundServer
from portal.session import MemorySession
from tests.launcher.harness import Launcher, catalogue_text, files_under, wait_until, xdotool
from tests.pixels import screen
from tests.soundcard import BYTES_PER_SECOND, SoundCard

# A site page whose every word is ours to look for afterwards.
SECRET = "Zanzibarquatorze"
SITE_PAGE = f"""<!doctype html><html lang="fr"><title>CAF</title>
<main style="font-size:28px"><h1>Votre dossier</h1>
<p>{SECRET} : votre allocation est versée le cinq du mois. """ + "Merci de votre patience. " * 40 \
    + "</p></main>"
# A page script that tries every way it has to make the window read its own text.
HOSTILE_PAGE = """<!doctype html><html lang="fr"><title>Piège</title><main><p>Bonjour</p></main>
<script>
const said = "Texte imposé par la page " + "Xylophonemystere ".repeat(20);
setTimeout(() => {
  for (const b of document.querySelectorAll("button, [data-kiosk-read]")) { b.click(); }
  document.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  try { qt.webChannelTransport.send(JSON.stringify({type: 6, object: "kiosk",
        method: "read", args: [said, "fr"], id: 1})); } catch (e) {}
  try { window.__kiosk.speaking(true); } catch (e) {}
  const fake = document.createElement("button");
  fake.setAttribute("data-kiosk-read", ""); fake.textContent = said;
  document.body.appendChild(fake); fake.click();
  document.title = "done";
}, 300);
</script>"""
# The portal's "Écouter" sits beside the page's title, at the end of the line (right in French,
# left in Arabic); the toolbar's is its eighth button, after « Aide » (on a site, in French).
PORTAL_BUTTON = {"fr": (1165, 118), "ar": (115, 118)}
TILE = {"fr": (220, 417), "ar": (1060, 417)}
TOOLBAR_LISTEN = (672, 28)
DARK = (22 / 255, 37 / 255, 55 / 255)  # the window's message overlay over the light page


def click(display: str, x: int, y: int) -> float:
    """A real pointer click; returns the moment it was made."""
    xdotool("mousemove", str(x), str(y), display=display)
    time.sleep(0.2)
    pressed = time.monotonic()
    xdotool("click", "1", display=display)
    return pressed


@pytest.fixture
def kiosk(display, fake_sites, tmp_path, request):
    """A kept window on the real portal's tiles, with a sound card speech-dispatcher plays into
    (`@pytest.mark.parametrize("kiosk", [{...}], indirect=True)`: the CAF page, extra env)."""
    options = getattr(request, "param", {})
    fake_sites.page("caf.localhost", "/", options.get("site", SITE_PAGE))
    policy = tmp_path / "portal-policy.toml"
    text = catalogue_text(fake_sites.port)
    policy.write_text(text)
    base = tmp_path / "kiosk"
    card = SoundCard(tmp_path)
    session = MemorySession(base / "session" / "downloads", sink=ListSink())
    session.request_start()
    app = create_app({"PORTAL_SESSION": session, "PORTAL_POLICY": str(policy)})
    with BackgroundServer(app) as server:
        launcher = Launcher(base, server.url + "/accueil", display,
                            extra_args=["--portal", server.url, "--kept"], policy_text=text,
                            extra_env={**card.env, **options.get("env", {})})
        try:
            launcher.wait_event("ready", timeout=30)
            time.sleep(0.5)
            yield launcher, session, card
        finally:
            launcher.stop()
            card.close()


def toolbar_listen(display: str) -> float:
    return click(display, *TOOLBAR_LISTEN)


def read_aloud_events(launcher: Launcher, since: int) -> int:
    return launcher.kinds(since).count("read_aloud")


def test_ecouter_reads_portal_pages_in_french_and_arabic_for_two_residents(kiosk, display):
    launcher, session, card = kiosk
    for resident in (1, 2):
        mark = launcher.mark()
        pressed = click(display, *PORTAL_BUTTON["fr"])
        card.wait_for_sound(pressed, seconds=1.0)
        quiet = card.wait_for_silence()  # the tiles page is read to its end
        # Read-aloud mode is on: the pointer resting on a tile makes it say its name.
        xdotool("mousemove", str(TILE["fr"][0]), str(TILE["fr"][1]), display=display)
        card.wait_for_sound(quiet, seconds=0.2)
        card.wait_for_silence()

        session.set_language("ar")
        launcher.send(op="home")  # the same page, now in Arabic (button on the left)
        time.sleep(2.5)
        before = card.played()
        pressed = click(display, *PORTAL_BUTTON["ar"])
        played = card.wait_for_sound(pressed, seconds=1.0)
        assert played > 0 and card.played() > before
        # Counted once per session, however many presses: a count, never what was read.
        assert read_aloud_events(launcher, mark) == 1, f"resident {resident}"

        session.set_language("fr")
        launcher.send(op="clear")  # the next resident: a new profile, the tiles again
        launcher.wait_event("ready", since=mark + 1, timeout=30)
        time.sleep(1.5)


def test_toolbar_ecouter_reads_a_site_and_arreter_stops_it_and_nothing_read_is_written(
        kiosk, display, tmp_path):
    launcher, _session, card = kiosk
    mark = launcher.mark()
    click(display, *TILE["fr"])  # the CAF tile: a long page on a site
    launcher.wait_event("navigation_allowed", since=mark, site_id="caf")
    time.sleep(1.5)
    pressed = toolbar_listen(display)
    card.wait_for_sound(pressed, seconds=2.0)
    stopped = toolbar_listen(display)  # now "Arrêter"
    time.sleep(1)
    quiet_from = time.monotonic()
    time.sleep(2)
    assert card.played(quiet_from) == 0, "speech went on after Arrêter"
    # The page is over a minute of speech: far less of it was heard.
    assert card.played(pressed) < 12 * BYTES_PER_SECOND
    assert card.played(pressed) > card.played(stopped)

    # The window still reads after a stop, and nothing it read reached a file, a log or an event.
    pressed = toolbar_listen(display)
    card.wait_for_sound(pressed, seconds=1.0)
    secret = SECRET.encode()
    written = [p for p in files_under(tmp_path) if secret in p.read_bytes()]
    assert written == []
    assert not any(SECRET in line for line in launcher.raw_lines)


@pytest.mark.parametrize("kiosk", [{"site": HOSTILE_PAGE}], indirect=True)
def test_a_page_script_cannot_make_the_window_speak(kiosk, display):
    launcher, _session, card = kiosk
    mark = launcher.mark()
    click(display, *TILE["fr"])
    launcher.wait_event("navigation_allowed", since=mark, site_id="caf")
    time.sleep(3)  # the page's script has tried everything by now
    assert card.played() == 0, "a page script made the window speak"
    assert read_aloud_events(launcher, mark) == 0
    # The resident's own press still works on that page (the window could speak all along).
    pressed = toolbar_listen(display)
    card.wait_for_sound(pressed, seconds=0.2)
    assert read_aloud_events(launcher, mark) == 1


@pytest.mark.parametrize("kiosk", [{"env": {"XDG_RUNTIME_DIR": "/dev/null/run"}}],
                         indirect=True)
def test_without_a_voice_the_resident_is_told_in_french_and_the_kind_is_logged(kiosk, display):
    launcher, _session, card = kiosk
    page = screen(display).share(DARK, box=(0, 150, 1280, 800))
    click(display, *PORTAL_BUTTON["fr"])
    wait_until(lambda: screen(display).share(DARK, box=(0, 150, 1280, 800)) > 0.6,
               what="the message covering the page")
    assert page < 0.1
    log = launcher.stderr_path.read_text(errors="replace")
    assert re.search(r"read aloud unavailable: \w+Error", log)
    assert card.played() == 0
    # "OK" closes it and the window goes on serving: the CAF tile still opens.
    xdotool("key", "Return", display=display)
    time.sleep(0.5)
    mark = launcher.mark()
    click(display, *TILE["fr"])
    launcher.wait_event("navigation_allowed", since=mark, site_id="caf")
