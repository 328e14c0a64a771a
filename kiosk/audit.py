"""Append-only log of mediator actions (what changed, when): never anything about a resident."""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

AUDIT_NAME = "audit.log"
MAX_TEXT = 300

_lock = threading.Lock()


@dataclass(frozen=True)
class Entry:
    when: float
    action: str
    detail: str

    @property
    def when_text(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.when))


class AuditLog:
    """JSON lines appended with O_APPEND, one per action; reading skips damaged lines."""

    def __init__(self, state_dir: Path, clock=time.time):
        self.path = Path(state_dir) / AUDIT_NAME
        self.clock = clock

    def record(self, action: str, detail: str = "") -> Entry:
        """Append one action; `detail` names what changed (a site id, a setting),
        never resident data."""
        entry = Entry(self.clock(), action[:60], " ".join(detail.split())[:MAX_TEXT])
        line = json.dumps({"when": entry.when, "action": entry.action, "detail": entry.detail},
                          ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
        return entry

    def entries(self, limit: int = 500) -> list[Entry]:
        """The newest `limit` entries, newest first."""
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        result = []
        for line in reversed(lines[-limit:]):
            try:
                data = json.loads(line)
                result.append(Entry(float(data["when"]), str(data["action"]),
                                    str(data.get("detail", ""))))
            except (ValueError, KeyError, TypeError):
                continue
        return result
