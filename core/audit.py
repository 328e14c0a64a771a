"""Append-only log of mediator actions (what changed, when): never anything about a resident."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

AUDIT_NAME = "audit.log"
MAX_TEXT = 300
# Two accounts append on an installed terminal: the portal (kiosk) and `kiosk mediator
# set-password` (kiosk-admin, a member of group kiosk). The log is shared through the state
# dir's group, whoever creates it first; install.sh also creates it kiosk:kiosk 0660.
SHARED_MODE = 0o660

_lock = threading.Lock()
log = logging.getLogger(__name__)


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
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, SHARED_MODE)
            try:
                _share_with_state_group(fd, self.path.parent)
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


def _share_with_state_group(fd: int, state_dir: Path) -> None:
    """Give a log we own the state dir's group and mode 0660 (the umask may have narrowed it),
    so that the other account of the terminal can append to it too."""
    st = os.fstat(fd)
    if st.st_uid != os.geteuid():
        return
    try:
        group = os.stat(state_dir).st_gid
        if st.st_gid != group:
            os.fchown(fd, -1, group)  # allowed: we belong to that group, or we are root
        if st.st_mode & 0o777 != SHARED_MODE:
            os.fchmod(fd, SHARED_MODE)
    except OSError as exc:  # the entry is still written; the other account may not append
        log.warning("audit log not shared with the state dir's group: %s", type(exc).__name__)
