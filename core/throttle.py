"""Login throttling: one rule for every staff login (a growing wait after a few failures, up to
one cap), and a throttle persisted in a small file so a restart resets nothing (the terminal's
mediator login). The funder's hub counts its attempts in its database with the same rule."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.atomic import atomic_write

FREE_FAILURES = 3           # failures allowed before any waiting
MAX_ACCOUNTS = 1000         # tracked names (a hub may see many made-up user names): oldest dropped
BASE_DELAY = 5.0            # then 5 s, 10 s, 20 s... doubling
MAX_DELAY = 3600.0          # the one cap: never locked out for more than an hour at a time


def lock_delay(failures: int) -> float:
    """Seconds to wait after this many consecutive failures: 0, 0, 0, 5, 10, 20... up to 1 h."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY, BASE_DELAY * 2 ** (failures - FREE_FAILURES))


@dataclass(frozen=True)
class Attempt:
    """The outcome of one login attempt."""

    accepted: bool
    wait_seconds: float = 0.0     # > 0: locked, try again after this long
    failures_before: int = 0      # failed attempts since the last success (shown after success)
    locked: bool = False          # refused without checking the password


_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _file_lock(path: Path) -> threading.Lock:
    """One lock per throttle file, shared by every request thread of the process."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path.resolve(), threading.Lock())


class Throttle:
    """Consecutive login failures per account, in a small JSON file so a restart resets nothing."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.clock = clock
        self._lock = _file_lock(self.path)

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(data).encode(), mode=0o600)  # order kept: oldest first

    def state(self, account: str) -> dict:
        entry = self._read().get(account)
        base = {"failures": 0, "unreported": 0, "locked_until": 0.0}
        return base | entry if isinstance(entry, dict) else base

    def wait_seconds(self, account: str) -> float:
        return max(0.0, float(self.state(account)["locked_until"]) - self.clock())

    def attempt(self, account: str, check: Callable[[], bool]) -> Attempt:
        """Run `check` unless locked; record the outcome. One attempt at a time per process."""
        with self._lock:
            wait = self.wait_seconds(account)
            if wait > 0:
                return Attempt(False, wait, locked=True)
            accepted = check()
            data = self._read()
            entry = self.state(account)
            if accepted:
                data.pop(account, None)
                self._write(data)
                return Attempt(True, failures_before=int(entry["unreported"]))
            entry["failures"] = int(entry["failures"]) + 1
            entry["unreported"] = int(entry["unreported"]) + 1
            delay = lock_delay(entry["failures"])
            entry["locked_until"] = self.clock() + delay
            data.pop(account, None)
            data[account] = entry  # newest last, so trimming drops the oldest
            self._write(dict(list(data.items())[-MAX_ACCOUNTS:]))
            return Attempt(False, delay)


