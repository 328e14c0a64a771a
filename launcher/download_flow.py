"""Qt side of downloads: no dialog, into a scratch name, kept only if the content is a document."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from PyQt6.QtCore import QObject
from PyQt6.QtWebEngineCore import QWebEngineDownloadRequest

from core.events import Event
from core.layout import SessionPaths

from . import downloads
from .protocol import EventWriter

SAVED = ("Document enregistré", "Vous le retrouvez dans « Mes documents ».")
REFUSED = ("Fichier refusé", "Ce type de fichier ne peut pas être enregistré sur cette borne. "
           "Seuls les documents (PDF, images, textes, bureautique) sont acceptés.")


class DownloadFlow(QObject):
    """Handles the profile's downloadRequested signal."""

    def __init__(self, paths: SessionPaths, writer: EventWriter,
                 show: Callable[[str, str], None],
                 saved: Callable[[Path], None] | None = None) -> None:
        """saved: told the kept file's path (to offer "Voir le document"); without it, a plain
        "Document enregistré" message."""
        super().__init__()
        self.paths, self.writer, self.show, self.saved = paths, writer, show, saved
        self._active: list[QWebEngineDownloadRequest] = []
        self.last_saved: Path | None = None
        self._closed = False

    def close(self) -> None:
        """The session ended: a download still arriving is dropped, never saved among the next
        resident's documents."""
        self._closed = True

    def on_request(self, request: QWebEngineDownloadRequest) -> None:
        if self._closed:
            request.cancel()
            return
        suggested = request.suggestedFileName() or request.downloadFileName()
        if (not downloads.extension_allowed(downloads.sanitize_name(suggested))
                or request.totalBytes() > downloads.MAX_BYTES):
            request.cancel()
            self._refused()
            return
        self.paths.incoming.mkdir(parents=True, exist_ok=True, mode=0o700)  # a new session's
        request.setDownloadDirectory(str(self.paths.incoming))
        request.setDownloadFileName(secrets.token_hex(12))  # nothing of the site's name on disk yet
        request.isFinishedChanged.connect(lambda r=request, s=suggested: self._finished(r, s))
        request.receivedBytesChanged.connect(
            lambda r=request: r.receivedBytes() > downloads.MAX_BYTES and r.cancel())
        self._active.append(request)
        request.accept()

    def _finished(self, request: QWebEngineDownloadRequest, suggested: str) -> None:
        if not request.isFinished():
            return
        self._active.remove(request)
        part = Path(request.downloadDirectory()) / request.downloadFileName()
        if self._closed:
            part.unlink(missing_ok=True)
            return
        completed = request.state() == QWebEngineDownloadRequest.DownloadState.DownloadCompleted
        decision = downloads.decide(suggested, part) if completed else None
        if decision is None or not decision.allowed:
            part.unlink(missing_ok=True)
            if completed or request.receivedBytes() > downloads.MAX_BYTES:
                self._refused()
            return
        target = downloads.unique_path(self.paths.downloads, decision.name)
        part.rename(target)
        self.last_saved = target
        self.writer.emit(Event("download", detail="accepted"))
        if self.saved is not None:
            self.saved(target)
        else:
            self.show(*SAVED)

    def _refused(self) -> None:
        self.writer.emit(Event("download", detail="refused"))
        if not self._closed:
            self.show(*REFUSED)
