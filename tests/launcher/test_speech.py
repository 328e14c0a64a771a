"""The pure parts of read aloud: what is spoken, in which voice, and what reaches
speech-dispatcher (a page's text must never become a command)."""

from __future__ import annotations

import contextlib
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


def test_a_socket_left_by_a_killed_dispatcher_does_not_silence_the_next_resident(tmp_path):
    """The wipe SIGKILLs a dispatcher that outlives its grace period, leaving its socket file:
    the next resident's Écouter must start a new dispatcher, not fail on the dead socket."""
    import signal
    import socket
    import time

    from launcher.speech import start_dispatcher

    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    environ = {**os.environ, "XDG_RUNTIME_DIR": str(runtime),
               "XDG_CACHE_HOME": str(tmp_path / "cache")}
    path = socket_path(environ)
    os.makedirs(os.path.dirname(path), mode=0o700)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(path)  # a socket file nobody listens on any more
    dead.close()
    pid_file = runtime / "speech-dispatcher" / "pid" / "speech-dispatcher.pid"
    try:
        start_dispatcher(environ)
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.settimeout(10)
        client.connect(path)
        client.sendall(b"SET SELF CLIENT_NAME kiosk:test:main\r\n")
        assert client.recv(200).startswith(b"208")
        client.close()
    finally:
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
        time.sleep(0.2)


def test_a_failed_goodbye_to_speech_dispatcher_is_logged_by_its_kind(caplog):
    """Closing the window while the dispatcher is already gone: said in the log, not hidden."""
    import socket

    from launcher.speech import Speech

    voice = Speech()
    ours, theirs = socket.socketpair()
    theirs.close()
    voice._socket = ours
    with caplog.at_level("WARNING", logger="launcher.speech"):
        voice.close()
    assert any("BrokenPipeError" in r.getMessage() or "ConnectionResetError" in r.getMessage()
               for r in caplog.records)
    assert ours.fileno() == -1  # closed all the same
