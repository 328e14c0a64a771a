"""The keyboard's vendored files are exactly the recorded npm releases, and the layouts built from
them have every key a resident needs for a French or Arabic form."""

from __future__ import annotations

import hashlib
import json
import re
from importlib import resources

import pytest

from launcher import keyboard

VENDOR = resources.files("launcher").joinpath(keyboard.VENDOR)


@pytest.mark.parametrize("name", sorted(keyboard.VENDORED))
def test_vendored_file_is_the_recorded_release(name):
    package, version, sha256 = keyboard.VENDORED[name]
    data = VENDOR.joinpath(name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha256, f"{name} changed: update VENDORED"
    readme = VENDOR.joinpath("README.md").read_text("utf-8")
    assert f"| {package} | {version} | MIT |" in readme


def test_vendored_library_says_its_version_and_licence():
    package, version, _ = keyboard.VENDORED["simple-keyboard/index.modern.js"]
    head = VENDOR.joinpath("simple-keyboard/index.modern.js").read_text("utf-8")[:600]
    assert f"simple-keyboard v{version}" in head and "MIT license" in head
    for name in ("simple-keyboard/LICENSE", "simple-keyboard-layouts/LICENSE"):
        assert VENDOR.joinpath(name).read_text("utf-8").startswith("MIT License")


def keys(language: str) -> set[str]:
    return {key for rows in keyboard.layouts()[language].values() for row in rows
            for key in row.split(" ")}


def test_french_layout_has_accents_capitals_digits_and_form_keys():
    french = keys("fr")
    accents = set("éèàçùêâîôëïœ") | {c.upper() for c in "éèàçùêâîôëïœ"} - {"Ù", "Ë"}
    assert accents <= french, accents - french
    assert set("azertyuiopqsdfghjklmwxcvbn") | set("AZERTYUIOPQSDFGHJKLMWXCVBN") <= french
    assert set("0123456789") | set("@.-_/'") <= french
    assert {".fr", ".com", "{space}", "{bksp}", "{enter}", "{shift}", "{lock}", "{lang}",
            "{accents}", "{abc}", "{hide}"} <= french
    assert "{tab}" not in french  # Tab would leave the field


def test_french_rows_are_the_library_azerty_rows():
    """The letters come from simple-keyboard-layouts, not from a hand-written copy."""
    library = keyboard.library_layout("french")
    ours = keyboard.layouts()["fr"]
    assert ours["default"][1] == library["default"][1].replace("{tab} ", "")
    assert ours["default"][1].startswith("a z e r t y")
    assert ours["shift"][:4] == [row.replace("{tab} ", "") for row in library["shift"][:4]]


def test_arabic_layout_has_the_arabic_letters_and_form_keys():
    arabic = keys("ar")
    letters = set("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
    assert letters <= arabic, letters - arabic
    assert {".fr", ".com", "@", "{space}", "{bksp}", "{enter}", "{lang}"} <= arabic
    assert set("0123456789") <= arabic


def test_every_label_language_names_every_special_key():
    special = {key for language in ("fr", "ar") for key in keys(language)
               if key.startswith("{") and key.endswith("}") and len(key) > 2} - {"{lang}"}
    for language, labels in keyboard.LABELS.items():
        assert special <= set(labels), (language, special - set(labels))
        assert labels["keyboard"]


def test_injected_script_embeds_the_library_and_the_state_and_no_placeholder_is_left():
    source = keyboard.script({"keyboard": True, "language": "ar", "zoom": 2.0})
    assert "__KIOSK_STATE__" not in source and "__KEYBOARD_DATA__" not in source
    assert "/*__LIBRARY__*/" not in source and "simple-keyboard v3.8.192" in source
    data = re.search(r"const DATA = (\{.*?\});\n", source).group(1)
    assert json.loads(data)["layouts"]["ar"] == keyboard.layouts()["ar"]
