"""Which key combinations the kiosk swallows, and which it turns into its own actions."""

from __future__ import annotations

import enum


class KeyAction(enum.Enum):
    PASS = "pass"        # the page gets the key
    BLOCK = "block"      # swallowed
    PRINT = "print"      # our print flow
    BACK = "back"        # history back, checked like any navigation
    FORWARD = "forward"
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"
    ZOOM_RESET = "zoom_reset"


_BLOCKED_PLAIN = {"F1", "F3", "F5", "F6", "F7", "F10", "F11", "F12", "Menu"}
_BLOCKED_CTRL = set("NTWUSOHJDLEGKRQBF") | {"Tab", "PageUp", "PageDown", "F4", "F5"}
_BLOCKED_CTRL_SHIFT = set("IJCNTWBDOQRPMS") | {"Delete", "Tab"}
_ZOOM = {"Plus": KeyAction.ZOOM_IN, "Equal": KeyAction.ZOOM_IN, "Minus": KeyAction.ZOOM_OUT,
         "0": KeyAction.ZOOM_RESET}


def classify(key: str, ctrl: bool = False, shift: bool = False, alt: bool = False,
             meta: bool = False) -> KeyAction:
    """Decide one key press. `key` is a name such as "F12", "I", "Left", "Plus"."""
    key = key.upper() if len(key) == 1 else key
    if meta:
        return KeyAction.BLOCK
    if alt:
        return _alt(key, ctrl or shift)
    if ctrl and key == "P":
        return KeyAction.PRINT
    if ctrl and key in _ZOOM:
        return _ZOOM[key]  # text zoom is an accessibility feature: ours, so the bar follows
    if ctrl and shift and key in _BLOCKED_CTRL_SHIFT:
        return KeyAction.BLOCK
    if ctrl and key in _BLOCKED_CTRL:
        return KeyAction.BLOCK
    if key in _BLOCKED_PLAIN or (shift and key == "F10"):
        return KeyAction.BLOCK
    return KeyAction.PASS


def _alt(key: str, other_modifier: bool) -> KeyAction:
    if key == "Left" and not other_modifier:
        return KeyAction.BACK
    if key == "Right" and not other_modifier:
        return KeyAction.FORWARD
    if key in ("Home", "F4", "Tab", "Space", "Escape", "Up", "Down", "Left", "Right"):
        return KeyAction.BLOCK
    return KeyAction.PASS
