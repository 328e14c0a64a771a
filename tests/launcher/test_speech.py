"""The pure parts of read aloud: what is spoken, in which voice, and what reaches
speech-dispatcher (a page's text must never become a command)."""

from __future__ import annotations

import os
import tempfile

import pytest

from launcher.speech import MAX_CHARS, bounded, socket_path, speak_command, voice_language


def test_text_is_collapsed_and_cut_at_a_word_under_the_limit():
    assert bounded("  Bonjour\n\n  madame\t!  ") == "Bonjour madame !"
    long = "mot " * 2000
    cut = bounded(long)
    assert len(cut) <= MAX_CHARS and cut.endswith("mot")
    assert bounded(None) == "" and bounded(["texte"]) == ""


def test_a_page_text_cannot_end_the_data_and_send_its_own_command():
    """SSIP data ends at a line holding a lone dot: a text that tries to close it and add a
    command stays one line of speech."""
    hostile = "Bonjour\r\n.\r\nSET SELF LANGUAGE en\r\nQUIT"
    command = speak_command(bounded(hostile), "fr").decode()
    lines = command.split("\r\n")
    assert lines[:3] == ["CANCEL SELF", "SET SELF LANGUAGE fr", "SPEAK"]
    assert lines[3] == "Bonjour . SET SELF LANGUAGE en QUIT"
    assert lines[4:] == [".", ""]
    assert speak_command(".point", "ar").decode().split("\r\n")[3] == "..point"


def test_voice_follows_the_page_language_else_the_residents():
    assert voice_language("ar-MA", "fr") == "ar"
    assert voice_language("fr", "ar") == "fr"
    assert voice_language("de", "ar") == "ar"
    assert voice_language(None, "tr") == "fr"


def test_without_a_login_session_the_voice_socket_goes_in_a_private_directory(tmp_path,
                                                                             monkeypatch):
    """`kiosk demo` from a root shell has no XDG_RUNTIME_DIR: read aloud must still work."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    path = socket_path({})
    private = tmp_path / f"kiosk-run-{os.getuid()}"
    assert path == str(private / "speech-dispatcher" / "speechd.sock")
    assert private.stat().st_mode & 0o777 == 0o700
    assert socket_path({"XDG_RUNTIME_DIR": "/run/user/7"}).startswith("/run/user/7/")


def test_a_runtime_directory_others_can_enter_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / f"kiosk-run-{os.getuid()}").mkdir(mode=0o755)
    os.chmod(tmp_path / f"kiosk-run-{os.getuid()}", 0o755)
    with pytest.raises(PermissionError):
        socket_path({})
