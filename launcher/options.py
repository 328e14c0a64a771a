"""Window geometry and flags for kiosk and windowed (debugging) modes."""

from __future__ import annotations

from dataclasses import dataclass

WINDOWED_SIZE = (1100, 760)
TITLE = "Borne"


@dataclass(frozen=True)
class WindowOptions:
    x: int
    y: int
    width: int
    height: int
    frameless: bool
    fullscreen: bool
    on_top: bool
    resizable: bool


def window_options(screen: tuple[int, int, int, int], windowed: bool) -> WindowOptions:
    """Kiosk: frameless, on top, covering the whole screen with explicit geometry (so it also
    works with no window manager). Windowed: a normal framed window, for debugging."""
    sx, sy, sw, sh = screen
    if windowed:
        width, height = min(WINDOWED_SIZE[0], sw), min(WINDOWED_SIZE[1], sh)
        return WindowOptions(sx + (sw - width) // 2, sy + (sh - height) // 2, width, height,
                             frameless=False, fullscreen=False, on_top=False, resizable=True)
    return WindowOptions(sx, sy, sw, sh, frameless=True, fullscreen=True, on_top=True,
                         resizable=False)
