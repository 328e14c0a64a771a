"""The state directory layout shared by every part (README, "Sessions")."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_STATE_DIR = Path("/var/lib/kiosk")


def state_dir(value: str | os.PathLike | None = None) -> Path:
    """The state dir: explicit value, then $KIOSK_STATE_DIR, then /var/lib/kiosk."""
    return Path(value or os.environ.get("KIOSK_STATE_DIR") or DEFAULT_STATE_DIR)


def session_dir(state: Path) -> Path:
    return state / "session"


def keys_dir(state: Path) -> Path:
    return state / "keys"


def hub_state_dir() -> Path:
    """The funder's hub keeps its database here: $KIOSK_HUB_STATE_DIR, else <state dir>/hub."""
    explicit = os.environ.get("KIOSK_HUB_STATE_DIR")
    return Path(explicit) if explicit else state_dir() / "hub"
