"""Read aloud: the window's own voice, offline (Qt TextToSpeech over speech-dispatcher).

Qt WebEngine turns the Web Speech API off, so the launcher speaks. The text comes only from the
launcher's isolated-world script (the selection or the page's main text); it is bounded here,
spoken, and forgotten: never logged, never written, never counted (only "read aloud was used").
"""

from __future__ import annotations

import logging
import re

from PyQt6.QtCore import QLocale, QObject, QThread, pyqtSignal, pyqtSlot

log = logging.getLogger(__name__)

MAX_CHARS = 4000  # a long page is cut at a word boundary: minutes of speech already
ENGINE = "speechd"
# The resident's languages the terminal speaks, and espeak-ng's voice for each.
VOICES = {"fr": "fr_FR", "en": "en_GB", "ar": "ar"}
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


def voice_language(declared: object, resident: str) -> str:
    """The voice for a text: the language the page declares when the terminal speaks it, else
    the resident's, else French."""
    if isinstance(declared, str):
        primary = declared.split("-")[0].split("_")[0].lower()
        if primary in VOICES:
            return primary
    return resident if resident in VOICES else "fr"


class _Worker(QObject):
    """Owns the engine, in a thread of its own: creating it blocks for seconds (speech-dispatcher
    starts and lists every voice), and the window must never freeze for that."""

    speaking = pyqtSignal(bool)
    failed = pyqtSignal(str)

    def __init__(self) -> None:
        super().__init__()
        self._engine = None
        self._broken = False
        self._language: str | None = None

    @pyqtSlot()
    def start(self) -> bool:
        """Create the engine once; on failure log its kind once and stay silent."""
        if self._engine is not None or self._broken:
            return self._engine is not None
        try:
            from PyQt6.QtTextToSpeech import QTextToSpeech

            if ENGINE not in QTextToSpeech.availableEngines():
                raise LookupError("no speechd plugin in this Qt")
            engine = QTextToSpeech(ENGINE, self)
            if engine.state() == QTextToSpeech.State.Error:
                raise ConnectionError(engine.errorReason().name)
        except Exception as exc:  # noqa: BLE001 - the window goes on without a voice
            self._broken = True
            detail = str(exc) if isinstance(exc, ConnectionError | LookupError) else ""
            log.warning("read aloud unavailable: %s %s", type(exc).__name__, detail)
            self.failed.emit(type(exc).__name__)
            return False
        engine.stateChanged.connect(self._state_changed)
        engine.errorOccurred.connect(self._error)
        self._engine = engine
        return True

    @pyqtSlot(str, str)
    def say(self, text: str, language: str) -> None:
        if not self.start():
            self.failed.emit("unavailable")
            return
        if language != self._language:
            self._engine.setLocale(QLocale(VOICES.get(language, VOICES["fr"])))
            self._language = language
        self._engine.stop()
        self._engine.say(text)

    @pyqtSlot()
    def stop(self) -> None:
        if self._engine is not None:
            self._engine.stop()

    def _state_changed(self, state) -> None:
        self.speaking.emit(state.name in ("Speaking", "Synthesizing"))

    def _error(self, reason, _message: str) -> None:
        # The kind only: the engine's message may quote the text being spoken.
        log.warning("read aloud failed: %s", getattr(reason, "name", "unknown"))
        self.speaking.emit(False)


class Speech(QObject):
    """The window's voice: one engine for the window's lifetime, shared by every resident.
    Calls return at once; `speaking(bool)` and `failed(kind)` come back on the GUI thread."""

    speaking = pyqtSignal(bool)
    failed = pyqtSignal(str)
    _start = pyqtSignal()
    _say = pyqtSignal(str, str)
    _stop = pyqtSignal()

    def __init__(self) -> None:
        super().__init__()
        self._thread = QThread()
        self._thread.setObjectName("kiosk-speech")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._start.connect(self._worker.start)
        self._say.connect(self._worker.say)
        self._stop.connect(self._worker.stop)
        self._worker.speaking.connect(self.speaking)
        self._worker.failed.connect(self.failed)
        self._thread.start()

    def warm_up(self) -> None:
        """Start speech-dispatcher and load the voices now, so the first press speaks at once."""
        self._start.emit()

    def say(self, text: str, language: str) -> None:
        """Speak `text` (bounded) in `language` (a VOICES key), replacing any speech."""
        self._say.emit(text, language)

    def stop(self) -> None:
        self._stop.emit()

    def close(self) -> None:
        self._stop.emit()
        self._thread.quit()
        self._thread.wait(3000)
