"""Is the terminal online? A TCP connection to a configured address, remembered for a while so
a status page that refreshes itself does not knock on the address every few seconds."""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)
TIMEOUT_S = 3.0
KEEP_S = 30.0


@dataclass(frozen=True)
class Reachability:
    address: str        # host:port checked ("" when no check is configured)
    online: bool | None  # None: not checked
    checked_at: float


_lock = threading.Lock()
_last: dict[str, Reachability] = {}


def check(address: str, now=time.time, timeout: float = TIMEOUT_S) -> Reachability:
    """Whether `address` (host:port) accepts a connection; cached for KEEP_S seconds."""
    if not address:
        return Reachability("", None, now())
    with _lock:
        known = _last.get(address)
        if known is not None and now() - known.checked_at < KEEP_S:
            return known
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            online = True
    except (OSError, ValueError) as exc:
        log.info("online check failed: %s", type(exc).__name__)
        online = False
    result = Reachability(address, online, now())
    with _lock:
        _last[address] = result
    return result


def forget() -> None:
    """Drop remembered results (tests, a changed setting)."""
    with _lock:
        _last.clear()
