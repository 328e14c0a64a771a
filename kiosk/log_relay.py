"""Files what the terminal's session writes under kiosk.service in the journal.

kiosk.service opens a PAM session (cage needs logind for the screen), which moves cage and
`kiosk run` into a logind session scope; journald files a process's lines under its current
control group, so `journalctl -u kiosk` showed none of them. The unit's stdout and stderr go to
a FIFO (kiosk-log.socket) instead, and this relay, run as root by kiosk-log.service, writes each
line to the journal with OBJECT_SYSTEMD_UNIT=kiosk.service, which `journalctl -u kiosk` shows
for root's messages. It forwards lines as they are: kiosk never logs a URL or resident data.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Iterable

JOURNAL_SOCKET = "/run/systemd/journal/socket"
UNIT = "kiosk.service"
MAX_LINE = 16 * 1024
# Python logging ("ERROR name: ...") and wlroots/cage ("00:00:00.135 [ERROR] [file] ...").
_LEVEL = re.compile(rb"^(?:[\d:.]+ \[)?(CRITICAL|ERROR|WARNING|INFO|DEBUG)\b")
_PRIORITY = {b"CRITICAL": 2, b"ERROR": 3, b"WARNING": 4, b"INFO": 6, b"DEBUG": 7}


def entry(line: bytes, unit: str = UNIT) -> bytes:
    """One native-protocol journal entry; MESSAGE in the length-prefixed form (any bytes)."""
    text = line.rstrip(b"\r\n")[:MAX_LINE]
    level = _LEVEL.match(text)
    priority = _PRIORITY[level.group(1)] if level else 6
    fields = (f"PRIORITY={priority}\nSYSLOG_IDENTIFIER=kiosk\n"
              f"OBJECT_SYSTEMD_UNIT={unit}\n").encode()
    return fields + b"MESSAGE\n" + len(text).to_bytes(8, "little") + text + b"\n"


def relay(lines: Iterable[bytes], journal: str = JOURNAL_SOCKET) -> int:
    """Send every non-blank line; returns how many were sent. A line the journal refuses is
    reported on stderr (this unit's own journal) by kind, never dropped silently."""
    sent = 0
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        for line in lines:
            if not line.strip():
                continue
            try:
                sock.sendto(entry(line), journal)
                sent += 1
            except OSError as exc:
                print(f"kiosk-log: a line was not journaled: {type(exc).__name__}",
                      file=sys.stderr, flush=True)
    return sent


def main() -> None:
    """Read the FIFO systemd passes as fd 3 (socket activation) until it closes."""
    if os.environ.get("LISTEN_FDS") != "1":
        sys.exit("kiosk-log: start me through kiosk-log.socket (no FIFO was passed)")
    with os.fdopen(3, "rb") as fifo:
        relay(fifo)


if __name__ == "__main__":
    main()
