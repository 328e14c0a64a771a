"""The supervisor seen through the portal's `SessionPort`:
the portal asks, the supervisor decides."""

from __future__ import annotations

from pathlib import Path

from core.events import Event
from core.session_states import IN_SESSION, WARNING, WELCOME
from kiosk.supervisor import Supervisor
from portal.session import SessionPort


class SupervisorPort(SessionPort):
    def __init__(self, supervisor: Supervisor, usb_dir: Path | None = None):
        self.supervisor = supervisor
        self._usb = usb_dir
        self._unlocked: tuple[object, str, tuple[str, ...]] | None = None
        self._policy_pending = False

    def state(self) -> str:
        return self.supervisor.state

    def warning(self) -> str | None:
        return self.supervisor.warning_kind if self.supervisor.state == WARNING else None

    def seconds_left(self) -> int | None:
        return self.supervisor.seconds_left()

    def language(self) -> str:
        return self.supervisor.language

    def set_language(self, code: str) -> None:
        self.supervisor.set_language(code)

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

    def questions(self) -> tuple[str, ...]:
        return self.supervisor.questions()

    def answer(self, question: str, value: str) -> bool:
        return self.supervisor.answer(question, value)

    def help_requested(self) -> bool:
        return self.supervisor.help_requested

    def acknowledge_help(self) -> bool:
        return self.supervisor.acknowledge_help()

    # ------------------------------------------------------------ what the mediator pages need
    def session_marker(self) -> object | None:
        """Identifies the running resident session (its start time), None between sessions."""
        if self.supervisor.state not in IN_SESSION:
            return None
        return self.supervisor.started_at

    def terminal_status(self) -> dict:
        return self.supervisor.status()

    def end_now(self, reason: str = "mediator") -> None:
        if self.supervisor.state in IN_SESSION:
            self.supervisor.request_end(reason)

    def unlock_site(self, site_id: str, hosts: tuple[str, ...]) -> bool:
        """Accompanied mode: remembered for this session only and passed to the launcher window
        as an `allow_site` command (a launcher that does not know it yet simply ignores it)."""
        marker = self.supervisor.unlock_site(site_id, tuple(hosts))
        if marker is None:
            return False
        self._unlocked = (marker, site_id, tuple(hosts))
        return True

    def unlocked_site(self) -> tuple[str, tuple[str, ...]] | None:
        if self._unlocked is None or self._unlocked[0] != self.session_marker():
            return None
        return self._unlocked[1], self._unlocked[2]

    def policy_changed(self) -> None:
        """The mediator saved a new catalogue: the launcher window, started with the old one,
        is told (`reload_policy`, ignored by a launcher that cannot yet) and refreshed at logout."""
        self._policy_pending = True
        self.supervisor.policy_changed()

    def mediator_left(self) -> None:
        """Logout: between sessions, restart the window (wipe included) so it holds the new
        catalogue and nothing of the mediator's browsing stays."""
        if self._policy_pending and self.supervisor.state == WELCOME:
            self._policy_pending = False
            self.supervisor.request_end("mediator")
