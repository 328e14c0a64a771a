"""Read aloud: the window's own voice, offline (speech-dispatcher and espeak-ng).

Qt WebEngine turns the Web Speech API off, so the launcher speaks. It talks to
speech-dispatcher over its socket (SSIP, its documented text protocol) from a Python thread,
not through Qt TextToSpeech: that plugin lists every espeak-ng voice (about 13,000 with their
variants) when it is created, holding the interpreter lock, which froze the whole window for
2.5 s on an idle machine and 10 s on a busy one. The text comes only from the launcher's
isolated-world script (the selection or the page's main text); it is bounded here, spoken,
and forgotten: never logged, never written, never counted (only "read aloud was used").
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import threading
import time
from importlib import resources

from PyQt6.QtCore import QObject, Qt, pyqtSignal

log = logging.getLogger(__name__)

MAX_CHARS = 4000  # a long page is cut at a word boundary: minutes of speech already
# The resident's languages the terminal speaks (speech-dispatcher picks espeak-ng's voice).
VOICES = ("fr", "en", "ar")
_SPACES = re.compile(r"\s+")


def bounded(text: object, limit: int = MAX_CHARS) -> str:
    """The text to speak: whitespace collapsed, cut at a word boundary under `limit`."""
    if not isinstance(text, str):
        return ""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


def speak_command(text: str, language: str) -> bytes:
    """The SSIP lines that replace any speech by `text` (one line, already bounded) in
    `language`: a line starting with a dot is escaped by another dot, a lone dot ends the data."""
    line = text.replace("\r", " ").replace("\n", " ")
    if line.startswith("."):
        line = "." + line
    return (f"CANCEL SELF\r\nSET SELF LANGUAGE {language}\r\nSPEAK\r\n{line}\r\n.\r\n"
            .encode())


def voice_language(declared: object, resident: str) -> str:
    """The voice for a text: the language the page declares when the terminal speaks it, else
    the resident's, else French."""
    if isinstance(declared, str):
        primary = declared.split("-")[0].split("_")[0].lower()
        if primary in VOICES:
            return primary
    return resident if resident in VOICES else "fr"


def socket_path(environ=os.environ) -> str:
    """Where speech-dispatcher listens for this account: its default place under
    XDG_RUNTIME_DIR, or a private runtime directory when no login session set one (`kiosk demo`
    from a root shell, a bare system unit)."""
    return os.path.join(runtime_dir(environ), "speech-dispatcher", "speechd.sock")


def runtime_dir(environ=os.environ) -> str:
    return environ.get("XDG_RUNTIME_DIR") or private_runtime_dir()


def private_runtime_dir() -> str:
    """/tmp/kiosk-run-<uid>, mode 0700 and owned by this account; PermissionError if someone
    else made it first (another account must never hold the voice's socket)."""
    path = os.path.join(tempfile.gettempdir(), f"kiosk-run-{os.getuid()}")
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, 0o700)
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise PermissionError(f"{path} is not a private directory of this account")
    return path


def start_dispatcher(environ=os.environ) -> None:
    """Start speech-dispatcher with kiosk's configuration (espeak-ng, PulseAudio or ALSA, an
    errors-only log) on the socket Qt's plugin looks for, unless one already serves it. The
    window's own XDG_CONFIG_HOME is the session directory, so the user's configuration would
    not be found anyway; HOME (and so ~/.asoundrc) is the account's."""
    path = socket_path(environ)
    program = shutil.which("speech-dispatcher")
    if program is None:
        raise FileNotFoundError("speech-dispatcher is not installed")
    if os.path.exists(path):
        if _answers(path):
            return
        # A socket left by a dispatcher that was killed (the wipe's SIGKILL, a crash): nobody
        # listens, and speech-dispatcher would not start over it. Remove it and start afresh.
        log.warning("read aloud: removing a socket nobody listens on")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    config = resources.files("launcher").joinpath("assets/speechd")
    # speech-dispatcher refuses a socket path other than the one it derives from
    # XDG_RUNTIME_DIR (~/.cache without it): give it the same runtime directory.
    subprocess.run([program, "--spawn", "--communication-method", "unix_socket",
                    "--socket-path", path, "--config-dir", str(config)],
                   env={**environ, "XDG_RUNTIME_DIR": runtime_dir(environ)},
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=20, check=False)


def _answers(path: str) -> bool:
    """Whether a speech-dispatcher listens on the socket at `path` (a refused connection means
    the file was left behind)."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.settimeout(2)
        probe.connect(path)
    except (ConnectionRefusedError, FileNotFoundError):
        return False
    except OSError as exc:  # another failure: let the real connection report it
        log.warning("read aloud: probing the voice's socket failed: %s", type(exc).__name__)
        return True
    finally:
        probe.close()
    return True


class Speech(QObject):
    """The window's voice: one speech-dispatcher connection for the window's lifetime, shared by
    every resident. Nothing here blocks the GUI thread: connecting (and starting
    speech-dispatcher, about 0.5 s) runs in a thread, and so does reading its answers.
    `speaking(bool)` and `failed(kind)` are emitted on the GUI thread."""

    speaking = pyqtSignal(bool)
    failed = pyqtSignal(str)
    _event = pyqtSignal(str)  # from the reader thread: "begin", "end", "failed:<kind>"

    def __init__(self) -> None:
        super().__init__()
        self._event.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._connecting = False
        self._pending: bytes | None = None  # a press made while connecting

    def warm_up(self) -> None:
        """Connect now (in the background), so the first press speaks at once."""
        with self._lock:
            if self._socket is not None or self._connecting:
                return
            self._connecting = True
        threading.Thread(target=self._connect, daemon=True, name="kiosk-speech").start()

    def say(self, text: str, language: str) -> None:
        """Speak `text` (bounded) in `language` (one of VOICES), replacing any speech."""
        command = speak_command(text, language if language in VOICES else "fr")
        with self._lock:
            connected = self._socket
            if connected is None:
                self._pending = command
        if connected is None:
            self.warm_up()
            return
        self._send(connected, command)

    def stop(self) -> None:
        with self._lock:
            self._pending = None
            connected = self._socket
        if connected is not None:
            self._send(connected, b"CANCEL SELF\r\n")

    def _send(self, connected: socket.socket, data: bytes) -> None:
        try:
            connected.sendall(data)
        except OSError as exc:
            self._lost(connected, type(exc).__name__)

    def _connect(self) -> None:
        began = time.monotonic()
        try:
            start_dispatcher()
            connected = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connected.settimeout(10)
            connected.connect(socket_path())
            reader = connected.makefile("rb")
            for line in ("SET SELF CLIENT_NAME kiosk:launcher:main",
                         "SET SELF NOTIFICATION begin on", "SET SELF NOTIFICATION end on",
                         "SET SELF NOTIFICATION cancel on"):
                connected.sendall(line.encode() + b"\r\n")
                code = _reply(reader)
                if not code.startswith("2"):
                    raise ConnectionError(f"speech-dispatcher answered {code}")
            connected.settimeout(None)
        except Exception as exc:  # noqa: BLE001 - the window goes on without a voice
            detail = str(exc) if isinstance(exc, ConnectionError | FileNotFoundError) else ""
            log.warning("read aloud unavailable: %s %s", type(exc).__name__, detail)
            with self._lock:
                self._connecting, self._pending = False, None
            self._event.emit(f"failed:{type(exc).__name__}")
            return
        log.info("read aloud ready in %.1f s", time.monotonic() - began)
        with self._lock:
            self._socket, self._connecting = connected, False
            pending, self._pending = self._pending, None
        threading.Thread(target=self._read, args=(connected, reader), daemon=True,
                         name="kiosk-speech-events").start()
        if pending is not None:
            self._send(connected, pending)

    def _read(self, connected: socket.socket, reader) -> None:
        """Answers and events: 701 BEGIN, 702 END, 703 CANCELLED; errors logged by code only
        (an answer never quotes the text, but nothing else is needed)."""
        try:
            while True:
                code = _reply(reader)
                if code.startswith("701"):
                    self._event.emit("begin")
                elif code.startswith(("702", "703")):
                    self._event.emit("end")
                elif code[:1] in ("3", "4", "5"):
                    log.warning("read aloud refused by speech-dispatcher: %s", code[:3])
        except (OSError, ConnectionError, ValueError) as exc:
            self._lost(connected, type(exc).__name__)

    def _lost(self, connected: socket.socket, kind: str) -> None:
        with self._lock:
            if self._socket is not connected:
                return
            self._socket = None
        log.warning("read aloud connection lost: %s", kind)
        try:
            connected.close()
        except OSError as exc:
            log.warning("read aloud: closing the lost connection failed: %s", type(exc).__name__)
        self._event.emit("end")

    def _on_event(self, event: str) -> None:
        if event.startswith("failed:"):
            self.failed.emit(event.partition(":")[2])
        else:
            self.speaking.emit(event == "begin")

    def close(self) -> None:
        with self._lock:
            connected, self._socket = self._socket, None
        if connected is not None:
            try:
                connected.sendall(b"CANCEL SELF\r\nQUIT\r\n")
            except OSError as exc:  # the dispatcher already went away: nothing left to cancel
                log.warning("read aloud: goodbye to speech-dispatcher failed: %s",
                            type(exc).__name__)
            finally:
                connected.close()


def _reply(reader) -> str:
    """One SSIP answer or event (continuation lines "NNN-" skipped): its last line."""
    while True:
        line = reader.readline()
        if not line:
            raise ConnectionError("speech-dispatcher closed the connection")
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if len(text) < 4 or text[3] != "-":
            return text
