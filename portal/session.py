"""The portal's view of the running session: a small port the supervisor implements.

The portal never owns the session: it asks the supervisor (through this port) for the state and
the time left, and tells it what the resident asked for (start, end, help, a tile opened). The
in-memory implementation serves the tests and standalone runs (`flask --app portal run`).
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from flask import current_app

from core.events import NO_ANSWER, Event, EventSink, ListSink, accept_answer, answer_detail
from core.session_states import (
    ACTIVE,
    ENDING,
    IDLE,
    IN_SESSION,
    OUT_OF_SERVICE,
    STATES,
    WARNING,
    WARNINGS,
    WELCOME,
    WIPING,
    accepts,
)

__all__ = ["STATES", "WARNINGS", "MemorySession", "SessionPort", "get_session"]


class SessionPort(ABC):
    """Everything the portal may ask of, or tell, the session supervisor: the whole contract.

    Two implementations: the supervisor's adapter (`kiosk.portal_port.SupervisorPort`) and
    `MemorySession` below. Both use the states and the request table of `core.session_states`.
    Abstract methods: an implementation that forgets one cannot even be built.
    """

    # ------------------------------------------------------------------ the resident's pages
    @abstractmethod
    def state(self) -> str:
        """One of core.session_states.STATES."""

    @abstractmethod
    def warning(self) -> str | None:
        """Which countdown is running in state `warning`: one of WARNINGS, else None."""

    @abstractmethod
    def seconds_left(self) -> int | None:
        """Seconds before the session ends (countdown or hard limit), None outside a session."""

    @abstractmethod
    def language(self) -> str:
        """The language chosen for this session ('fr' until the resident picks one)."""

    @abstractmethod
    def set_language(self, code: str) -> None:
        """Remember the resident's language until the session ends (then back to 'fr')."""

    @abstractmethod
    def documents_dir(self) -> Path:
        """The session's downloads directory (may not exist yet)."""

    @abstractmethod
    def usb_dir(self) -> Path | None:
        """Where a plugged USB key is mounted, None when there is none."""

    @abstractmethod
    def emit(self, event: Event) -> None:
        """Pass an event to the supervisor (counters, idle timer)."""

    @abstractmethod
    def request_start(self) -> None:
        """The resident pressed "Commencer"."""

    @abstractmethod
    def request_end(self) -> None:
        """The resident confirmed the end of the session."""

    @abstractmethod
    def request_help(self) -> None:
        """The resident asked for a mediator."""

    @abstractmethod
    def questions(self) -> tuple[str, ...]:
        """The end-of-session questions the mediator turned on, in the order they are asked."""

    @abstractmethod
    def answer(self, question: str, value: str) -> bool:
        """Count one answer to an end question; False when refused (no session, not asked)."""

    @abstractmethod
    def help_requested(self) -> bool:
        """True while a help request of this session is pending (mediator page)."""

    # ------------------------------------------------------------------ the mediator's pages
    @abstractmethod
    def acknowledge_help(self) -> bool:
        """A mediator said "J'y vais": the alert stops (counted); False when none was pending."""

    @abstractmethod
    def session_marker(self) -> object | None:
        """Identifies the running resident session, None between sessions: a mediator login made
        on the terminal before this marker appeared ends when a resident starts."""

    @abstractmethod
    def terminal_status(self) -> dict[str, Any]:
        """What the mediator may know (state, elapsed time, pending help, last end and wipe):
        never what the resident does."""

    @abstractmethod
    def end_now(self, reason: str = "mediator") -> None:
        """The mediator ends the running session now (nothing happens between sessions)."""

    @abstractmethod
    def unlock_site(self, site_id: str, hosts: tuple[str, ...]) -> bool:
        """Accompanied mode: one extra site for this session only; False outside a session."""

    @abstractmethod
    def unlocked_site(self) -> tuple[str, tuple[str, ...]] | None:
        """(site id, host patterns) unlocked for the running session, if any."""

    @abstractmethod
    def policy_changed(self) -> None:
        """The mediator saved a new catalogue: the running window must enforce it."""

    @abstractmethod
    def mediator_left(self) -> None:
        """The mediator logged out: between sessions, the window may be refreshed (new catalogue,
        nothing of the mediator's browsing kept)."""


class MemorySession(SessionPort):
    """A whole session lifecycle in memory, for tests and standalone runs: the supervisor's
    states and request table (core.session_states), with an in-memory "wipe" that can be told
    to fail (`finish(..., wiped=False)`: out of service until `back_in_service`)."""

    def __init__(self, documents_dir: str | Path, *, max_minutes: float = 60,
                 sink: EventSink | None = None, usb_dir: str | Path | None = None,
                 questions: tuple[str, ...] = ()) -> None:
        self._lock = threading.Lock()
        self._documents = Path(documents_dir)
        self._max_seconds = int(max_minutes * 60)
        self.sink: EventSink = sink if sink is not None else ListSink()
        self.usb: Path | None = Path(usb_dir) if usb_dir else None
        self._state = WELCOME
        self._warning: str | None = None
        self._language = "fr"
        self._started: float | None = None
        self._help = False
        self._help_since: float | None = None
        self._deadline: float | None = None
        self._serial = 0                      # sessions started so far (mediator logout marker)
        self._unlocked: tuple[str, tuple[str, ...]] | None = None
        self.last_end_reason: str | None = None
        self._questions = tuple(questions)
        self._answered: set[str] = set()

    def state(self) -> str:
        with self._lock:
            return self._state

    def warning(self) -> str | None:
        with self._lock:
            return self._warning if self._state == WARNING else None

    def seconds_left(self) -> int | None:
        with self._lock:
            if self._state not in IN_SESSION or self._started is None:
                return None
            deadline = self._deadline or self._started + self._max_seconds
            return max(0, int(deadline - time.monotonic()))

    def language(self) -> str:
        with self._lock:
            return self._language

    def set_language(self, code: str) -> None:
        with self._lock:
            if not accepts(self._state, "language"):
                return
            self._language = code
        self.emit(Event("language", detail=code))

    def documents_dir(self) -> Path:
        return self._documents

    def usb_dir(self) -> Path | None:
        return self.usb

    def emit(self, event: Event) -> None:
        self.sink.emit(event)
        if event.kind == "activity":
            self.resume()

    def request_start(self) -> None:
        with self._lock:
            if not accepts(self._state, "begin"):
                return
            self._state, self._started, self._help = ACTIVE, time.monotonic(), False
            self._serial += 1
        self.emit(Event("session_started"))

    def request_end(self) -> None:
        with self._lock:
            state = self._state
        if state in IN_SESSION:
            with self._lock:
                self._state = ENDING
            self.emit(Event("end_requested"))
            self.finish("user")

    def questions(self) -> tuple[str, ...]:
        return self._questions

    def answer(self, question: str, value: str) -> bool:
        """Like the supervisor: each answer its own event, once per question and session."""
        with self._lock:
            detail = None
            if accepts(self._state, "answer"):
                detail = accept_answer(self._questions, self._answered, question, value)
        if detail is None:
            return False
        self.emit(Event("answer", detail=detail))
        return True

    def finish(self, reason: str, *, wiped: bool = True) -> None:
        """End the session now: the in-memory "wipe" resets everything the resident chose; a
        wipe that failed (`wiped=False`) leaves the terminal out of service, like the
        supervisor's."""
        with self._lock:
            if not accepts(self._state, "end") and self._state != ENDING:
                return
            was_session = self._state != WELCOME
            self._state = WIPING
            unanswered, self._help_since = self._help, None
            skipped = [q for q in self._questions if q not in self._answered]
            self._answered = set()
        if was_session:
            if unanswered:
                self.emit(Event("help_outcome", detail="unanswered"))
            for question in skipped:
                self.emit(Event("answer", detail=answer_detail(question, NO_ANSWER)))
            self.emit(Event("session_ended", detail=reason))
        with self._lock:
            self._state = WELCOME if wiped else OUT_OF_SERVICE
            self._warning, self._language = None, "fr"
            self._started, self._deadline, self._help = None, None, False
            self._unlocked = None
            if was_session:
                self.last_end_reason = reason

    def back_in_service(self) -> None:
        """The wipe was verified at last: the welcome screen again."""
        with self._lock:
            if self._state == OUT_OF_SERVICE:
                self._state = WELCOME

    def request_help(self) -> None:
        with self._lock:
            if not accepts(self._state, "help"):
                return
            if not self._help:
                self._help_since = time.monotonic()
            self._help = True
        self.emit(Event("help_requested"))

    def acknowledge_help(self) -> bool:
        with self._lock:
            pending, self._help, self._help_since = self._help, False, None
        if pending:
            self.emit(Event("help_outcome", detail="acknowledged"))
        return pending

    def help_requested(self) -> bool:
        with self._lock:
            return self._help

    def start_warning(self, kind: str, seconds: int) -> None:
        """Enter the `warning` state with a countdown (what the supervisor's timers do)."""
        if kind not in WARNINGS:
            raise ValueError(f"unknown warning {kind!r}")
        with self._lock:
            if not accepts(self._state, "warn"):
                return
            self._state, self._warning = WARNING, kind
            if kind == IDLE:
                self._deadline = time.monotonic() + seconds
            elif self._started is not None:  # the hard limit itself is the countdown
                self._started = time.monotonic() + seconds - self._max_seconds

    def resume(self) -> None:
        """Resident input during a warning: back to `active` (the hard limit keeps running)."""
        with self._lock:
            if accepts(self._state, "resume"):
                self._state, self._warning, self._deadline = ACTIVE, None, None

    # ------------------------------------------------------------ what the mediator pages need
    def session_marker(self) -> object | None:
        with self._lock:
            return self._serial if self._state in IN_SESSION else None

    def terminal_status(self) -> dict[str, Any]:
        with self._lock:
            started = self._started if self._state in IN_SESSION else None
            waiting = round(time.monotonic() - self._help_since) \
                if self._help and self._help_since else None
            return {"state": self._state, "help_requested": self._help,
                    "help_waiting_seconds": waiting,
                    "elapsed_seconds": round(time.monotonic() - started) if started else None,
                    "last_end_reason": self.last_end_reason,
                    "last_wipe": {"ok": self._state != OUT_OF_SERVICE, "duration_s": 0.0}
                    if self.last_end_reason else None}

    def end_now(self, reason: str = "mediator") -> None:
        if self.state() in IN_SESSION:
            self.finish(reason)

    def unlock_site(self, site_id: str, hosts: tuple[str, ...]) -> bool:
        with self._lock:
            if not accepts(self._state, "unlock"):
                return False
            self._unlocked = (site_id, tuple(hosts))
        self.emit(Event("accompanied_unlock", site_id=site_id))
        return True

    def unlocked_site(self) -> tuple[str, tuple[str, ...]] | None:
        with self._lock:
            return self._unlocked

    def policy_changed(self) -> None:
        """No window to tell: the portal's own tiles were already replaced."""

    def mediator_left(self) -> None:
        """No window to refresh."""


def get_session() -> SessionPort:
    """The session port of the current app."""
    return current_app.extensions["kiosk_session"]
