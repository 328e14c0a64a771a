"""The portal's own "Clavier" (beside its search field): a resident who cannot type finds a site
with the on-screen keyboard, and the next resident finds it closed."""

from __future__ import annotations

import time

import pytest

from tests.launcher.harness import wait_until, xdotool
from tests.launcher.onscreen import Finger, keyboard_on_screen
from tests.launcher.test_read_aloud import kiosk  # noqa: F401  (the real portal in the window)
from tests.pixels import screen

pytestmark = pytest.mark.gui

SEARCH_FIELD = (400, 240)
PORTAL_KEYBOARD = (1170, 240)  # "Clavier", right of "Chercher"
CAF_TILE = (220, 440)  # a white card while it is listed


def click(display: str, x: int, y: int) -> None:
    xdotool("mousemove", str(x), str(y), "click", "1", display=display)
    time.sleep(0.5)


def test_portal_search_is_typed_with_the_keyboard_and_the_next_resident_finds_it_closed(
        kiosk, display):  # noqa: F811
    launcher, _session, _card = kiosk
    assert screen(display).pixel(*CAF_TILE) == (255, 255, 255)
    assert keyboard_on_screen(screen(display))[1] == []
    mark = launcher.mark()
    click(display, *SEARCH_FIELD)
    click(display, *PORTAL_KEYBOARD)
    wait_until(lambda: keyboard_on_screen(screen(display))[1], what="the docked keyboard")
    Finger(display).type("xyz")
    # The live search hid the CAF card: the field got real input events from the keyboard.
    wait_until(lambda: screen(display).pixel(*CAF_TILE) != (255, 255, 255),
               what="the search to filter the tiles")
    assert launcher.kinds(mark).count("keyboard") == 1
    mark = launcher.mark()
    launcher.send(op="clear")
    launcher.wait_event("ready", since=mark, timeout=30)
    time.sleep(0.8)
    assert keyboard_on_screen(screen(display))[1] == []
