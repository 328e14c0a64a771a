"""One running kiosk per state dir: `kiosk run` holds an exclusive lock on `STATE/kiosk.lock`, so a
second supervisor or a manual `kiosk wipe` cannot act on a live session."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_NAME = "kiosk.lock"


class AlreadyRunning(RuntimeError):
    """Another `kiosk run` owns this state directory."""


class RunLock:
    def __init__(self, state_dir: Path):
        self.path = Path(state_dir) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning; the kernel releases it if the process dies."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(f"a kiosk is already running with {self.path.parent}") from None
        os.ftruncate(fd, 0)  # who holds it, for `kiosk wipe` to name (and end) a stale holder
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def holder(self) -> int | None:
        """The PID the current holder wrote (meaningful while the lock is held elsewhere)."""
        try:
            return int(self.path.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def held_elsewhere(self) -> bool:
        """True while another process holds the lock (a live `kiosk run`)."""
        try:
            self.acquire()
        except AlreadyRunning:
            return True
        except FileNotFoundError:
            return False
        self.release()
        return False
