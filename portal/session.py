"""The portal's view of the running session: a small port the supervisor implements.

The portal never owns the session: it asks the supervisor (through this port) for the state and
the time left, and tells it what the resident asked for (start, end, help, a tile opened). The
in-memory implementation serves the tests and standalone runs (`flask --app portal run`).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Protocol, runtime_checkable

from flask import current_app

from kiosk.events import NO_ANSWER, Event, EventSink, ListSink, accept_answer, answer_detail

STATES = ("welcome", "active", "warning", "ending", "wiping")
WARNINGS = ("idle", "time_limit")


@runtime_checkable
class SessionPort(Protocol):
    """What the portal needs from the session supervisor."""

    def state(self) -> str:
        """One of STATES (the supervisor's session states)."""

    def warning(self) -> str | None:
        """Which countdown is running in state `warning`: 'idle' or 'time_limit'."""

    def seconds_left(self) -> int | None:
        """Seconds before the session ends (countdown or hard limit), None outside a session."""

    def language(self) -> str:
        """The language chosen for this session ('fr' until the resident picks one)."""

    def set_language(self, code: str) -> None:
        """Remember the resident's language until the session ends (then back to 'fr')."""

    def documents_dir(self) -> Path:
        """The session's downloads directory (may not exist yet)."""

    def usb_dir(self) -> Path | None:
        """Where a plugged USB key is mounted, None when there is none."""

    def emit(self, event: Event) -> None:
        """Pass an event to the supervisor (counters, idle timer)."""

    def request_start(self) -> None:
        """The resident pressed "Commencer"."""

    def request_end(self) -> None:
        """The resident confirmed the end of the session."""

    def request_help(self) -> None:
        """The resident asked for a mediator."""

    def questions(self) -> tuple[str, ...]:
        """The end-of-session questions the mediator turned on, in the order they are asked."""

    def answer(self, question: str, value: str) -> bool:
        """Count one answer to an end question; False when refused (no session, not asked)."""

    def help_requested(self) -> bool:
        """True while a help request of this session is pending (mediator page)."""


class MemorySession:
    """A whole session lifecycle in memory, for tests and standalone runs."""

    def __init__(self, documents_dir: str | Path, *, max_minutes: float = 60,
                 sink: EventSink | None = None, usb_dir: str | Path | None = None,
                 questions: tuple[str, ...] = ()) -> None:
        self._lock = threading.Lock()
        self._documents = Path(documents_dir)
        self._max_seconds = int(max_minutes * 60)
        self.sink: EventSink = sink if sink is not None else ListSink()
        self.usb: Path | None = Path(usb_dir) if usb_dir else None
        self._state = "welcome"
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
            return self._warning if self._state == "warning" else None

    def seconds_left(self) -> int | None:
        with self._lock:
            if self._state not in ("active", "warning") or self._started is None:
                return None
            deadline = self._deadline or self._started + self._max_seconds
            return max(0, int(deadline - time.monotonic()))

    def language(self) -> str:
        with self._lock:
            return self._language

    def set_language(self, code: str) -> None:
        with self._lock:
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
            if self._state != "welcome":
                return
            self._state, self._started, self._help = "active", time.monotonic(), False
            self._serial += 1
        self.emit(Event("session_started"))

    def request_end(self) -> None:
        with self._lock:
            if self._state not in ("active", "warning"):
                return
            self._state = "ending"
        self.emit(Event("end_requested"))
        self.finish("user")

    def questions(self) -> tuple[str, ...]:
        return self._questions

    def answer(self, question: str, value: str) -> bool:
        """Like the supervisor: each answer its own event, once per question and session."""
        with self._lock:
            detail = None
            if self._state in ("active", "warning"):
                detail = accept_answer(self._questions, self._answered, question, value)
        if detail is None:
            return False
        self.emit(Event("answer", detail=detail))
        return True

    def finish(self, reason: str) -> None:
        """End the session now: the in-memory 'wipe' resets everything the resident chose."""
        with self._lock:
            self._state = "wiping"
            unanswered, self._help_since = self._help, None
            skipped = [q for q in self._questions if q not in self._answered]
            self._answered = set()
        if unanswered:
            self.emit(Event("help_outcome", detail="unanswered"))
        for question in skipped:
            self.emit(Event("answer", detail=answer_detail(question, NO_ANSWER)))
        self.emit(Event("session_ended", detail=reason))
        with self._lock:
            self._state, self._warning, self._language = "welcome", None, "fr"
            self._started, self._deadline, self._help = None, None, False
            self._unlocked, self.last_end_reason = None, reason

    def request_help(self) -> None:
        with self._lock:
            if not self._help:
                self._help_since = time.monotonic()
            self._help = True
        self.emit(Event("help_requested"))

    def acknowledge_help(self) -> bool:
        """A mediator said "J'y vais"; False when no request was pending."""
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
            self._state, self._warning = "warning", kind
            if kind == "idle":
                self._deadline = time.monotonic() + seconds
            elif self._started is not None:  # the hard limit itself is the countdown
                self._started = time.monotonic() + seconds - self._max_seconds

    def resume(self) -> None:
        """Resident input during a warning: back to `active` (the hard limit keeps running)."""
        with self._lock:
            if self._state == "warning":
                self._state, self._warning, self._deadline = "active", None, None

    # ------------------------------------------------------------ what the mediator pages need
    def session_marker(self) -> object | None:
        """Identifies the running resident session (None between sessions)."""
        with self._lock:
            return self._serial if self._state in ("active", "warning") else None

    def terminal_status(self) -> dict:
        """State and elapsed time only: never what the resident does."""
        with self._lock:
            started = self._started if self._state in ("active", "warning") else None
            waiting = round(time.monotonic() - self._help_since) \
                if self._help and self._help_since else None
            return {"state": self._state, "help_requested": self._help,
                    "help_waiting_seconds": waiting,
                    "elapsed_seconds": round(time.monotonic() - started) if started else None,
                    "last_end_reason": self.last_end_reason,
                    "last_wipe": {"ok": True, "duration_s": 0.0} if self.last_end_reason else None}

    def end_now(self, reason: str = "mediator") -> None:
        """The mediator ends the session now."""
        if self.state() in ("active", "warning"):
            self.finish(reason)

    def unlock_site(self, site_id: str, hosts: tuple[str, ...]) -> bool:
        """Accompanied mode: one extra site for this session only; False outside a session."""
        with self._lock:
            if self._state not in ("active", "warning"):
                return False
            self._unlocked = (site_id, tuple(hosts))
        self.emit(Event("accompanied_unlock", site_id=site_id))
        return True

    def unlocked_site(self) -> tuple[str, tuple[str, ...]] | None:
        with self._lock:
            return self._unlocked


def get_session() -> SessionPort:
    """The session port of the current app."""
    return current_app.extensions["kiosk_session"]
