"""Qt side of printing: page to PDF in the session directory, then `lp` off the GUI thread."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from pathlib import Path

from PyQt6.QtCore import QObject, QTimer, pyqtSignal
from PyQt6.QtWebEngineCore import QWebEnginePage

from core import printing
from core.events import Event
from core.layout import SessionPaths

from .protocol import EventWriter

TIMEOUT_MS = 120_000


class PrintFlow(QObject):
    """One print at a time; a print that never finishes is given up after TIMEOUT_MS."""

    _result = pyqtSignal(int, str)

    def __init__(self, paths: SessionPaths, writer: EventWriter,
                 show: Callable[[str, str], None]) -> None:
        super().__init__()
        self.paths, self.writer, self.show = paths, writer, show
        self.page: QWebEnginePage | None = None
        self._busy = 0  # number of the print in progress, 0 when idle
        self._count = 0
        self._closed = False  # the resident left: report the outcome, show nothing
        self._result.connect(self._done)

    def close(self) -> None:
        """The session ended: a print still under way is reported but not shown to the next
        resident."""
        self._closed = True

    def attach(self, page: QWebEnginePage) -> None:
        self.page = page
        page.pdfPrintingFinished.connect(self._pdf_ready)

    def start(self) -> None:
        """The resident confirmed: render the page to a PDF inside the session directory."""
        if self._busy or self.page is None or self._closed:
            return
        self._count += 1
        self._busy = self._count
        self.page.printToPdf(str(self.paths.tmp / f"print-{secrets.token_hex(8)}.pdf"))
        QTimer.singleShot(TIMEOUT_MS, lambda n=self._count: self._done(n, "failed"))

    def _pdf_ready(self, path: str, success: bool) -> None:
        number = self._busy
        if not number:
            Path(path).unlink(missing_ok=True)
            return
        if not success:
            self._done(number, "failed")
            return
        threading.Thread(target=lambda: self._result.emit(
            number, printing.send_to_printer(Path(path))), daemon=True).start()

    def _done(self, number: int, detail: str) -> None:
        if number != self._busy:
            return  # an old print's timeout, or already reported
        self._busy = 0
        self.writer.emit(Event("print", detail=detail))
        if not self._closed:
            self.show(*printing.MESSAGES[detail])
