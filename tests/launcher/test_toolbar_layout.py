"""The toolbar on sites, seen on screen: its size never follows the page zoom, every button
stays visible at every zoom down to 1024 px wide, it speaks the resident's language (Arabic
right to left), "Retour" goes back, "Aide" reaches the portal's help request and the end dialog
says how many documents are still there."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import request

from core.events import ListSink
from portal import create_app
from portal.server import BackgroundServer
from portal.session import MemorySession
from tests.launcher import onscreen
from tests.launcher.harness import Launcher, catalogue_text, wait_until, xdotool
from tests.pixels import Image, screen
from tests.xserver import xvfb

BUTTON = (241, 250, 238)  # #f1faee
END = (230, 57, 70)       # #e63946
BUTTONS = 9               # Accueil, Mes documents, Imprimer, A+, A-, Retour, Aide, Écouter,
                          # Clavier
ROW = 14                  # a row through the buttons' top padding, above their labels
SITE = """<!doctype html><style>body{margin:0;background:#fff}</style>
<script>addEventListener('pageshow', () => fetch('/shown?r=' + devicePixelRatio));</script>
<a href="/deux" style="display:block;height:300px">suite</a>"""


def runs(shot: Image, colour: tuple[int, int, int], y: int = ROW) -> list[tuple[int, int]]:
    """(start, end) of each stretch of at least 16 pixels of `colour` on row y."""
    return onscreen.runs(shot, y, lambda pixel: onscreen.near(pixel, colour))


def bar(display: str) -> list[bytes]:
    return screen(display).rows[:56]


class Kiosk:
    """A kept window on the real portal (home: the CAF tile), with its requests logged."""

    def __init__(self, base, display: str, fake_sites) -> None:
        policy = base / "portal-policy.toml"
        text = catalogue_text(fake_sites.port)  # the sites' port
        policy.write_text(text)
        self.session = MemorySession(base / "kiosk" / "session" / "downloads", sink=ListSink())
        self.session.request_start()
        app = create_app({"PORTAL_SESSION": self.session, "PORTAL_POLICY": str(policy)})
        self.paths: list[str] = []
        app.before_request(lambda: self.paths.append(request.path) and None)
        self.server = BackgroundServer(app).__enter__()
        self.display, self.fake_sites = display, fake_sites
        self.launcher = Launcher(base / "kiosk", self.server.url + "/ouvrir/caf", display,
                                 extra_args=["--portal", self.server.url, "--kept"],
                                 policy_text=text)
        self.launcher.wait_event("ready", timeout=30)
        self.language = "fr"

    def close(self) -> None:
        self.launcher.stop()
        self.server.close()

    def on_site(self) -> None:
        seen = len(self.fake_sites.requests("caf.localhost", "/shown"))
        self.launcher.send(op="home")
        self.fake_sites.wait_for("caf.localhost", "/shown", count=seen + 1)
        time.sleep(0.6)

    def speak(self, language: str) -> None:
        """The resident picks a language on the portal; the window learns it from a portal page."""
        self.session.set_language(language)
        before = len(self.paths)
        xdotool("mousemove", "2", "60", "key", "Escape", display=self.display)
        self.launcher.send(op="home")
        time.sleep(0.8)
        buttons = runs(screen(self.display), BUTTON)
        home = buttons[-1] if self.language == "ar" else buttons[0]  # right to left: last
        # "Accueil" opens the portal's tiles, whose <html lang> the window reads
        xdotool("mousemove", str(sum(home) // 2), "28", "click", "1", display=self.display)
        wait_until(lambda: "/accueil" in self.paths[before:], what="the portal's tiles")
        time.sleep(0.8)
        self.language = language
        self.on_site()


@pytest.fixture(scope="module")
def kiosk(display, fake_sites, tmp_path_factory) -> Iterator[Kiosk]:
    fake_sites.page("caf.localhost", "/", SITE)
    fake_sites.page("caf.localhost", "/deux", SITE.replace("/deux", "/"))
    fake_sites.add("caf.localhost", "/shown", "ok", content_type="text/plain")
    k = Kiosk(tmp_path_factory.mktemp("bar"), display, fake_sites)
    try:
        yield k
    finally:
        k.close()


def test_zoom_never_changes_the_bar_and_a_plus_stays_under_the_finger(kiosk, fake_sites):
    kiosk.on_site()
    before = bar(kiosk.display)
    buttons = runs(screen(kiosk.display), BUTTON)
    assert len(buttons) == BUTTONS, buttons
    bigger = sum(buttons[3]) // 2
    seen = len(fake_sites.requests("caf.localhost", "/shown"))
    for _ in range(5):  # to the largest zoom, always at the same place
        xdotool("mousemove", str(bigger), "28", "click", "1", display=kiosk.display)
        time.sleep(0.7)
    kiosk.launcher.send(op="home")  # the page reports its zoom (devicePixelRatio)
    reports = fake_sites.wait_for("caf.localhost", "/shown", count=seen + 1)
    assert reports[-1].query == "r=2"  # five A+ landed on A+: 1.0 -> 2.0
    time.sleep(0.6)
    assert bar(kiosk.display) == before  # same bar, pixel for pixel
    shot = screen(kiosk.display)
    assert len(runs(shot, BUTTON)) == BUTTONS and len(runs(shot, END)) == 1
    xdotool("key", "ctrl+0", display=kiosk.display)


def test_retour_goes_back_through_the_policy(kiosk, fake_sites):
    kiosk.on_site()
    xdotool("mousemove", "640", "200", "click", "1", display=kiosk.display)
    fake_sites.wait_for("caf.localhost", "/deux")
    time.sleep(0.6)
    seen = len(fake_sites.requests("caf.localhost", "/shown"))
    back = runs(screen(kiosk.display), BUTTON)[5]
    xdotool("mousemove", str(sum(back) // 2), "28", "click", "1", display=kiosk.display)
    shown = fake_sites.wait_for("caf.localhost", "/shown", count=seen + 1)
    assert shown[-1].headers.get("referer") is None or "/deux" not in shown[-1].path


def test_aide_asks_for_help_after_a_confirmation_and_says_it_went(kiosk):
    kiosk.on_site()
    assert not kiosk.session.help_requested()
    help_button = runs(screen(kiosk.display), BUTTON)[6]
    xdotool("mousemove", str(sum(help_button) // 2), "28", "click", "1", display=kiosk.display)
    time.sleep(0.6)
    assert not kiosk.session.help_requested()  # a confirmation first
    xdotool("key", "Return", display=kiosk.display)  # "Oui, appeler un médiateur"
    wait_until(kiosk.session.help_requested, what="the help request")
    assert [e.kind for e in kiosk.session.sink.events].count("help_requested") == 1
    # The portal counts the request before the window hears back: wait for "Votre demande est
    # envoyée" (the overlay hides "Terminer") before its "OK", or Return lands on nothing.
    time.sleep(0.4)
    wait_until(lambda: not runs(screen(kiosk.display), END), what="the 'sent' message")
    xdotool("key", "Return", display=kiosk.display)  # "OK" on "Votre demande est envoyée"
    wait_until(lambda: runs(screen(kiosk.display), END), what="the message to close")


def test_end_dialog_lists_the_checklist_with_the_documents_left(kiosk):
    kiosk.on_site()
    downloads = kiosk.launcher.session / "downloads"
    for name in ("a.pdf", "b.pdf"):
        (downloads / name).write_bytes(b"%PDF-1.4\n")
    try:
        end = runs(screen(kiosk.display), END)[0]
        mark = kiosk.launcher.mark()
        xdotool("mousemove", str(sum(end) // 2), "28", "click", "1", display=kiosk.display)
        time.sleep(0.8)
        shot = screen(kiosk.display)
        # the overlay covers the page: dark, with two large buttons
        assert shot.share((0.04, 0.08, 0.16), box=(0, 60, 1280, 800), tolerance=30) > 0.5
        xdotool("key", "Tab", "Return", display=kiosk.display)  # "Non, continuer"
        time.sleep(0.5)
        assert "end_requested" not in kiosk.launcher.kinds(mark)
    finally:
        for name in ("a.pdf", "b.pdf"):
            (downloads / name).unlink()


def test_arabic_resident_gets_an_arabic_right_to_left_bar(kiosk):
    kiosk.speak("ar")
    try:
        shot = screen(kiosk.display)
        end, buttons = runs(shot, END), runs(shot, BUTTON)
        assert len(buttons) == BUTTONS and len(end) == 1
        assert end[0][1] < buttons[0][0]  # "إنهاء الجلسة" on the left: right to left
    finally:
        kiosk.speak("fr")
    shot = screen(kiosk.display)
    assert runs(shot, END)[0][0] > runs(shot, BUTTON)[-1][1]  # back to French, left to right


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_every_button_is_on_screen_at_1024_px_and_largest_zoom(fake_sites, tmp_path, language):
    fake_sites.page("caf.localhost", "/", SITE)
    fake_sites.add("caf.localhost", "/shown", "ok", content_type="text/plain")
    with xvfb("1024x768x24") as small:
        k = Kiosk(tmp_path, small, fake_sites)
        try:
            if language != "fr":
                k.speak(language)
            k.launcher.send(op="time_left", seconds=2 * 3600)
            for _ in range(5):
                xdotool("key", "ctrl+plus", display=small)
                time.sleep(0.2)
            time.sleep(0.8)
            shot = screen(small)
            assert shot.width == 1024
            buttons, end = runs(shot, BUTTON), runs(shot, END)
            assert len(buttons) == BUTTONS, buttons
            assert len(end) == 1 and 0 < end[0][0] and end[0][1] < 1024
        finally:
            k.close()
