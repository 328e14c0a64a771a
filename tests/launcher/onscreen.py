"""The on-screen keyboard as a resident's finger meets it: where its keys are on the screen (found
in a screenshot, checked against the layout's rows) and taps on them, following its layers."""

from __future__ import annotations

import time

from launcher.keyboard import layouts
from tests.launcher.harness import xdotool
from tests.pixels import Image, screen

PANEL = (29, 53, 87)        # the keyboard's (and the toolbar's) background, #1d3557
BUTTON = (241, 250, 238)    # the toolbar's buttons, #f1faee
BAR = 56
KEYBOARD_BUTTON = 8         # after Accueil, Mes documents, Imprimer, A+, A-, Retour, Aide, Écouter
FIELD = "position:absolute;left:40px;width:500px;height:40px;font-size:22px;top:{top}px"


def near(pixel, colour, tolerance: int = 12) -> bool:
    return all(abs(a - b) < tolerance for a, b in zip(pixel, colour, strict=True))


def runs(shot: Image, y: int, keep, right: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each stretch of at least 16 pixels on row y where keep(pixel)."""
    found, start, right = [], None, right or shot.width
    for x in range(right + 1):
        hit = x < right and keep(shot.pixel(x, y))
        if hit and start is None:
            start = x
        elif not hit and start is not None:
            if x - start >= 16:
                found.append((start, x))
            start = None
    return found


def window(shot: Image) -> tuple[int, int, Image]:
    """(left, top, pixels) of the kiosk window: the whole screen, or the part of it that is not
    the X server's black background (a --windowed window)."""
    black = (0, 0, 0)
    middle_row, middle_column = shot.height // 2, shot.width // 2
    xs = [x for x in range(shot.width) if shot.pixel(x, middle_row) != black]
    ys = [y for y in range(shot.height) if shot.pixel(middle_column, y) != black]
    left, right, top, bottom = xs[0], xs[-1] + 1, ys[0], ys[-1] + 1
    rows = [row[3 * left:3 * right] for row in shot.rows[top:bottom]]
    return left, top, Image(right - left, bottom - top, rows)


def keyboard_on_screen(shot: Image) -> tuple[int, list[tuple[int, list[tuple[int, int]]]]]:
    """(top of the docked keyboard, [(middle y, key extents) per row of keys]); (height, [])
    when no keyboard is docked at the bottom of the screen."""
    y = shot.height - 1
    while y > BAR and near(shot.pixel(3, y), PANEL):
        y -= 1
    top = y + 1
    if shot.height - top < 100:
        return shot.height, []
    right = max(x for x in range(shot.width) if near(shot.pixel(x, top + 2), PANEL)) + 1
    rows, band = [], None
    for y in range(top, shot.height + 1):
        keys = y < shot.height and runs(shot, y, lambda p: not near(p, PANEL), right)
        if keys and band is None:
            band = y
        elif not keys and band is not None:
            rows.append(((band + y) // 2,
                         runs(shot, band + 6, lambda p: not near(p, PANEL), right)))
            band = None
    return top, rows


class Finger:
    """Taps the keyboard's keys where the screen shows them, following its layers."""

    def __init__(self, display: str, layout: str = "fr") -> None:
        self.display, self.layout = display, layout
        self.layer, self.locked = "default", False
        self._seen: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}

    def keys(self) -> dict[str, tuple[int, int]]:
        """Where each key of the current layer is; the screen must show exactly its rows."""
        if (self.layout, self.layer) not in self._seen:
            time.sleep(0.4)
            left, top, pixels = window(screen(self.display))
            _, rows = keyboard_on_screen(pixels)
            expected = [row.split(" ") for row in layouts()[self.layout][self.layer]]
            assert [len(r) for _, r in rows] == [len(e) for e in expected], \
                f"{self.layout}/{self.layer}: {rows}"
            found: dict[str, tuple[int, int]] = {}
            for (y, extents), names in zip(rows, expected, strict=True):
                for (x0, x1), name in zip(extents, names, strict=True):
                    found.setdefault(name, (left + (x0 + x1) // 2, top + y))
            self._seen[(self.layout, self.layer)] = found
        return self._seen[(self.layout, self.layer)]

    def tap(self, name: str) -> None:
        x, y = self.keys()[name]
        xdotool("mousemove", str(x), str(y), "click", "1", display=self.display)
        time.sleep(0.15)
        if name == "{shift}":
            self.layer = "default" if self.layer == "shift" else "shift"
        elif name == "{accents}":
            self.layer = "accents"
        elif name == "{abc}":
            self.layer = "default"
        elif name == "{lang}":
            self.layout, self.layer = ("fr" if self.layout == "ar" else "ar"), "default"
        elif self.layer == "shift" and not self.locked:
            self.layer = "default"

    def has(self, layer: str, char: str) -> bool:
        return char in " ".join(layouts()[self.layout][layer]).split(" ")

    def type(self, text: str) -> None:
        """Each character from the layer that has it, switching layers as a resident would."""
        for char in text:
            char = "{space}" if char == " " else char
            if not self.has(self.layer, char):
                if self.layer != "default":  # back to the letters first
                    self.tap("{shift}" if self.layer == "shift" else "{abc}")
                if not self.has("default", char):
                    self.tap("{shift}" if self.has("shift", char) else "{accents}")
            self.tap(char)


def toolbar_button(display: str, index: int) -> tuple[int, int]:
    """Where the toolbar's index-th button is (counted from the left)."""
    left, top, pixels = window(screen(display))
    buttons = runs(pixels, 14, lambda p: near(p, BUTTON))
    return left + sum(buttons[index]) // 2, top + 28


def toggle_keyboard(display: str, rtl: bool = False) -> None:
    """The toolbar's "Clavier" (after "Écouter": its left in Arabic, right to left)."""
    x, y = toolbar_button(display, -1 - KEYBOARD_BUTTON if rtl else KEYBOARD_BUTTON)
    xdotool("mousemove", str(x), str(y), "click", "1", display=display)
    time.sleep(0.8)


