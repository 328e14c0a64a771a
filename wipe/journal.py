"""`wipe.journal`: what a wipe still has to do, durable before a session starts.

It holds configuration paths (state dir, HOME targets, tmp roots), process ids, inode numbers
and times; never anything a resident chose (no file name, URL or text).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.atomic import atomic_write
from wipe.fsops import remove_durable

JOURNAL_NAME = "wipe.journal"
VERSION = 1


class JournalError(Exception):
    """The journal exists but cannot be read: fail closed (the terminal stays out of service)."""


@dataclass
class Journal:
    state_dir: str
    token: str
    start_ns: int
    phase: str = "session"            # "session" while a resident uses it, then "wiping"
    attempts: int = 0                 # wipe attempts started (a crash loop shows here)
    pids: list[list[float]] = field(default_factory=list)   # [pid, create_time]
    homes: list[list[str]] = field(default_factory=list)    # [target, template]
    tmp_roots: list[str] = field(default_factory=list)
    tmp_dirs_before: list[list[int]] = field(default_factory=list)  # [dev, ino]
    session_uid: int | None = None
    display: str | None = None
    wayland_display: str | None = None
    version: int = VERSION

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()


def journal_path(state_dir: Path) -> Path:
    return Path(state_dir) / JOURNAL_NAME


def write_journal(journal: Journal) -> None:
    """Write the journal durably (fsynced file and directory)."""
    atomic_write(journal_path(Path(journal.state_dir)), journal.to_bytes(), mode=0o600)


def read_journal(state_dir: Path) -> Journal | None:
    """The pending journal, or None; an unreadable journal raises JournalError."""
    path = journal_path(state_dir)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        raw = json.loads(data)
        if raw.get("version") != VERSION:
            raise JournalError("unsupported journal version")
        journal = Journal(**raw)
    except (ValueError, TypeError) as exc:
        raise JournalError("unreadable journal") from exc
    journal.state_dir = str(state_dir)  # the dir it was found in wins (state dirs can move)
    return journal


def remove_journal(state_dir: Path) -> None:
    remove_durable(journal_path(state_dir))
