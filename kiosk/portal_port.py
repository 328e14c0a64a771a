"""The supervisor seen through the portal's `SessionPort`: the portal asks, the supervisor decides."""

from __future__ import annotations

from pathlib import Path

from kiosk.events import Event
from kiosk.supervisor import OUT_OF_SERVICE, WARNING, Supervisor


class SupervisorPort:
    def __init__(self, supervisor: Supervisor, usb_dir: Path | None = None):
        self.supervisor = supervisor
        self._usb = usb_dir

    def state(self) -> str:
        state = self.supervisor.state
        return "wiping" if state == OUT_OF_SERVICE else state

    def warning(self) -> str | None:
        return self.supervisor.warning_kind if self.supervisor.state == WARNING else None

    def seconds_left(self) -> int | None:
        return self.supervisor.seconds_left()

    def language(self) -> str:
        return self.supervisor.language

    def set_language(self, code: str) -> None:
        self.supervisor.language = code
        self.supervisor.emit(Event("language", detail=code))

    def documents_dir(self) -> Path:
        return self.supervisor.documents_dir

    def usb_dir(self) -> Path | None:
        return self._usb if self._usb and self._usb.is_dir() else None

    def emit(self, event: Event) -> None:
        if event.kind == "activity":
            self.supervisor.post_activity()
        else:
            self.supervisor.emit(event)

    def request_start(self) -> None:
        self.supervisor.request_begin()

    def request_end(self) -> None:
        self.supervisor.request_end("user")

    def request_help(self) -> None:
        self.supervisor.request_help()

    def help_requested(self) -> bool:
        return self.supervisor.help_requested
