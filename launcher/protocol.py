"""The launcher's pipe protocol with its parent: JSON-line commands in, JSON-line events out."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from core.events import Event
from core.session_states import WARNINGS

MAX_SECONDS = 7 * 24 * 3600
MAX_NOTICE_SECONDS = 30


@dataclass(frozen=True)
class Command:
    """One validated instruction from the supervisor."""

    op: str
    seconds: int | None = None
    kind: str | None = None
    site_id: str | None = None
    hosts: tuple[str, ...] = ()
    notice: str | None = None  # `clear`: a path on the home origin shown before HOME
    downloads: bool = True     # `features`: what the mediator's settings allow residents
    printing: bool = True


def parse_command(line: str) -> Command | None:
    """A Command, or None for anything malformed (ignored: the pipe must never crash us)."""
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    op = data.get("op")
    if op == "clear":
        return _clear(data)
    if op == "features":
        if isinstance(data.get("downloads"), bool) and isinstance(data.get("printing"), bool):
            return Command(op, downloads=data["downloads"], printing=data["printing"])
        return None
    if op in ("warning_cancel", "home", "quit", "reload_policy", "questions"):
        return Command(op)
    if op == "allow_site":
        hosts = data.get("hosts")
        if isinstance(data.get("site_id"), str) and isinstance(hosts, list) and all(
                isinstance(h, str) for h in hosts):
            return Command(op, site_id=data["site_id"], hosts=tuple(hosts))
        return None
    seconds = _seconds(data.get("seconds"))
    if seconds is None:
        return None
    if op == "time_left":
        return Command(op, seconds=seconds)
    if op == "warning" and data.get("kind") in WARNINGS:
        return Command(op, seconds=seconds, kind=data["kind"])
    return None


def _clear(data: dict) -> Command:
    """`clear`, with an optional notice: a path of the home origin (never another site) shown
    for a few seconds before HOME. A malformed notice is dropped, the clear still happens."""
    notice, seconds = data.get("notice"), _seconds(data.get("seconds"))
    if (isinstance(notice, str) and notice.startswith("/") and not notice.startswith("//")
            and "\\" not in notice and len(notice) <= 200 and notice.isprintable()
            and seconds):
        return Command("clear", notice=notice, seconds=min(seconds, MAX_NOTICE_SECONDS))
    return Command("clear")


def _seconds(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value or value < 0:  # NaN or negative
        return None
    return int(min(value, MAX_SECONDS))


class EventWriter:
    """Writes events as JSON lines to the parent; thread-safe; activity throttled."""

    def __init__(self, out: TextIO, activity_interval: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._out = out
        self._lock = threading.Lock()
        self._interval = activity_interval
        self._clock = clock
        self._last_activity: float | None = None

    def emit(self, event: Event) -> None:
        with self._lock:
            try:
                self._out.write(event.to_json() + "\n")
                self._out.flush()
            except (OSError, ValueError):
                pass  # parent gone: nothing to tell anymore

    def activity(self, force: bool = False) -> bool:
        """Emit an activity event unless one went out less than `activity_interval` ago."""
        now = self._clock()
        last = self._last_activity
        if not force and last is not None and now - last < self._interval:
            return False
        self._last_activity = now
        self.emit(Event("activity"))
        return True


def read_commands(stream: TextIO, handle: Callable[[Command], None],
                  on_eof: Callable[[], None]) -> None:
    """Feed every valid command line to `handle`; call `on_eof` when the parent closes the pipe."""
    for line in stream:
        command = parse_command(line)
        if command is not None:
            handle(command)
    on_eof()
