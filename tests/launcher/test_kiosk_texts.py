"""What the window says, in the resident's language: complete catalogues, safe language pick."""

from __future__ import annotations

import pytest

from core import printing
from launcher import kiosk_texts
from launcher.download_flow import REFUSED, SAVED
from launcher.toolbar import ToolbarState


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_text_is_translated(language):
    assert set(kiosk_texts.TEXTS[language]) == set(kiosk_texts.TEXTS["fr"])
    assert all(kiosk_texts.TEXTS[language].values())


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("message", [*printing.MESSAGES.values(), SAVED, REFUSED])
def test_every_window_message_is_translated(language, message):
    translated = kiosk_texts.message(language, *message)
    assert translated != message and all(translated)


@pytest.mark.parametrize(("code", "expected"), [
    ("ar", "ar"), ("en-GB", "en"), ("FR", "fr"), ("xx", "fr"), ("", "fr"), (None, "fr"),
    ("<script>", "fr"), (42, "fr"),
])
def test_only_known_languages_are_taken_from_a_page(code, expected):
    assert kiosk_texts.language_of(code) == expected


def test_toolbar_state_carries_texts_direction_and_zoom():
    data = ToolbarState(language="ar", zoom_index=5).for_script()
    assert data["rtl"] is True and data["zoom"] == 2.0
    assert data["texts"]["end"] == "إنهاء الجلسة"
    assert ToolbarState().for_script()["texts"]["end"] == "Terminer la session"
