"""The on-screen keyboard: simple-keyboard and its French and Arabic layouts, vendored from npm.

The library and its letter rows are used as published (launcher/assets/vendor/, versions and
checksums in VENDORED); the kiosk only drops the Tab key (it leaves the field, which confuses
residents), adds the keys forms need on the bottom row (switch language, accents, `.fr`,
`.com`, close) and an "accents" layer the library's French layout lacks (ê â î ô ë ï œ and
capitals with accents). The keyboard's script runs in the launcher's isolated world and types
with the page's own editing commands: nothing typed ever comes back to Python.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

VENDOR = "assets/vendor"
# What was vendored, from which npm package version, with the files' sha256 (checked by tests).
VENDORED = {
    "simple-keyboard/index.modern.js": (
        "simple-keyboard", "3.8.192",
        "1b57c091afce92f61dbd617b697764d9c7aa1f796453b8885f5a55f341ce1f5c"),
    "simple-keyboard/index.css": (
        "simple-keyboard", "3.8.192",
        "b0684fd2bfab48e1e2cc30c4118b262cbe68c68348237d45c0f76ae6f83aa409"),
    "simple-keyboard/LICENSE": (
        "simple-keyboard", "3.8.192",
        "3e7a6ffdd52a77818028265c26af726192ef3b2c111da933c5614b6068edd86f"),
    "simple-keyboard-layouts/french.js": (
        "simple-keyboard-layouts", "3.4.265",
        "7512538bfcfe31bf959c9806de0a8973cba41deed2909a167c4f494981003583"),
    "simple-keyboard-layouts/arabic.js": (
        "simple-keyboard-layouts", "3.4.265",
        "cb099409267f9fbdf73df72c1d9574d099b9cd794e578548334c11e4821eea05"),
    "simple-keyboard-layouts/LICENSE": (
        "simple-keyboard-layouts", "3.4.265",
        "3e7a6ffdd52a77818028265c26af726192ef3b2c111da933c5614b6068edd86f"),
}

BOTTOM_ROW = "{lang} {accents} .fr .com @ {space} {hide}"
ACCENTS = [
    "é è ê ë à â ä î ï ô ö ù û ü ç œ {bksp}",
    "É È Ê Ë À Â Î Ï Ô Ö Ù Û Ç Œ",
    "- _ / # € % & ( ) ' \" ? ! {enter}",
    "{lang} {abc} .fr .com @ {space} {hide}",
]

# The keys' labels; letters and symbols show themselves.
LABELS: dict[str, dict[str, str]] = {
    "fr": {"{bksp}": "⌫ Effacer", "{enter}": "Entrée ⏎", "{shift}": "⇧ Maj",
           "{lock}": "⇪ Majuscules", "{space}": "Espace", "{accents}": "é à ç",
           "{abc}": "abc", "{hide}": "Fermer", "keyboard": "Clavier à l'écran"},
    "en": {"{bksp}": "⌫ Delete", "{enter}": "Enter ⏎", "{shift}": "⇧ Shift",
           "{lock}": "⇪ Caps", "{space}": "Space", "{accents}": "é à ç",
           "{abc}": "abc", "{hide}": "Close", "keyboard": "On-screen keyboard"},
    "ar": {"{bksp}": "⌫ حذف", "{enter}": "إدخال ⏎", "{shift}": "⇧", "{lock}": "⇪",
           "{space}": "مسافة", "{accents}": "é à ç", "{abc}": "abc", "{hide}": "إغلاق",
           "keyboard": "لوحة المفاتيح على الشاشة"},
}
# The language key names the layout it switches to, in that layout's own script.
SWITCH_TO = {"fr": "عربي", "ar": "Français"}

# A layer's name opening its list, or one row (a string literal in either quotes).
_TOKEN = re.compile(r'(\w+):\s*\[|"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')


def _asset(name: str) -> str:
    return resources.files("launcher").joinpath(f"{VENDOR}/{name}").read_text("utf-8")


def _unescape(literal: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})|\\(.)",
                  lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), literal)


def library_layout(name: str) -> dict[str, list[str]]:
    """The rows of a vendored simple-keyboard-layouts file (`french`, `arabic`), per layer."""
    source = _asset(f"simple-keyboard-layouts/{name}.js")
    found: dict[str, list[str]] = {}
    layer = None
    for match in _TOKEN.finditer(source, source.index("layout:")):
        name, double, single = match.groups()
        if name is not None:
            layer = found.setdefault(name, [])
        elif layer is not None:
            layer.append(_unescape(double if double is not None else single))
    return found


def _kiosk_rows(rows: list[str]) -> list[str]:
    """The library's rows without Tab, with the form keys on the bottom row."""
    kept = [row.replace("{tab} ", "") for row in rows[:-1]]
    return [*kept, BOTTOM_ROW]


@cache
def layouts() -> dict[str, dict[str, list[str]]]:
    """The kiosk's layouts per language, each with its layers (default, shift, accents)."""
    french, arabic = library_layout("french"), library_layout("arabic")
    return {
        "fr": {"default": _kiosk_rows(french["default"]), "shift": _kiosk_rows(french["shift"]),
               "accents": ACCENTS},
        "ar": {"default": _kiosk_rows(arabic["default"]), "shift": _kiosk_rows(arabic["shift"]),
               "accents": ACCENTS},
    }


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["fr"])


@cache
def _library_source() -> str:
    """simple-keyboard and its stylesheet, kept local to the injected function (CommonJS path
    of its UMD wrapper): nothing becomes a global, even in the isolated world."""
    library = _asset("simple-keyboard/index.modern.js")
    return ("const SimpleKeyboard = (function () { const module = { exports: {} }; "
            "const exports = module.exports;\n" + library +
            "\nreturn module.exports.default; })();\n"
            f"const LIBRARY_CSS = {json.dumps(_asset('simple-keyboard/index.css'))};\n")


@cache
def _keyboard_js() -> str:
    return resources.files("launcher").joinpath("assets/keyboard.js").read_text("utf-8")


def script(state: dict) -> str:
    """The keyboard's whole injected source for a toolbar state (see ToolbarState.for_script):
    defines `__kioskKeyboard` in the isolated world once, then follows the state."""
    data = {"layouts": layouts(), "labels": LABELS, "switch_to": SWITCH_TO}
    return (_keyboard_js().replace("/*__LIBRARY__*/", _library_source())
            .replace("__KEYBOARD_DATA__", json.dumps(data, ensure_ascii=False))
            .replace("__KIOSK_STATE__", json.dumps(state)))


def update(state: dict) -> str:
    """A call that makes an already injected keyboard follow the state (no-op when absent)."""
    return f"window.__kioskKeyboard && window.__kioskKeyboard.update({json.dumps(state)});"
