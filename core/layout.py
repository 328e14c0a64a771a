"""Where everything lives in a terminal's state directory, and inside a session directory: the
one place that knows the names (the supervisor, the wipe, the launcher and the CLI ask here).

    <state>/                    $KIOSK_STATE_DIR, else /var/lib/kiosk
        session/                the resident's session, wiped after each one
            downloads/          documents kept for the resident (shown, printed, copied)
            tmp/                TMPDIR of the session's processes; the policy copy
                incoming/       downloads land here until their content is checked
            cache/ config/ data/ state/   XDG homes of the browser (created by the launcher)
        session.trash/          old session trees waiting for deletion (root-only)
        keys/                   trusted catalogue keys, the terminal's report key
        hub/                    the funder's hub database ($KIOSK_HUB_STATE_DIR overrides)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_STATE_DIR = Path("/var/lib/kiosk")
SESSION = "session"
TRASH = "session.trash"  # root-only (0700): the next session cannot reach what waits here
# What a fresh session directory holds before anything runs in it (the wipe recreates exactly
# these, and anything else found in session/ is residue).
SESSION_SUBDIRS = ("downloads", "tmp")
# The browser's XDG homes inside the session directory (caches, settings, data it writes).
XDG_HOMES = {"XDG_CACHE_HOME": "cache", "XDG_CONFIG_HOME": "config",
             "XDG_DATA_HOME": "data", "XDG_STATE_HOME": "state"}
POLICY_COPY = "policy.toml"  # in tmp/: the policy the launcher enforces for this session


def state_dir(value: str | os.PathLike | None = None) -> Path:
    """The state dir: explicit value, then $KIOSK_STATE_DIR, then /var/lib/kiosk."""
    return Path(value or os.environ.get("KIOSK_STATE_DIR") or DEFAULT_STATE_DIR)


def session_dir(state: str | os.PathLike) -> Path:
    return Path(state) / SESSION


def trash_dir(state: str | os.PathLike) -> Path:
    return Path(state) / TRASH


def keys_dir(state: str | os.PathLike) -> Path:
    return Path(state) / "keys"


def hub_state_dir() -> Path:
    """The funder's hub keeps its database here: $KIOSK_HUB_STATE_DIR, else <state dir>/hub."""
    explicit = os.environ.get("KIOSK_HUB_STATE_DIR")
    return Path(explicit) if explicit else state_dir() / "hub"


@dataclass(frozen=True)
class SessionPaths:
    """Where each kind of state goes inside the session directory D."""

    root: Path

    @property
    def downloads(self) -> Path:
        return self.root / "downloads"

    @property
    def incoming(self) -> Path:
        """Downloads land here first, and move to downloads/ only once their content is checked."""
        return self.root / "tmp" / "incoming"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def policy_copy(self) -> Path:
        return self.tmp / POLICY_COPY

    def xdg_home(self, variable: str) -> Path:
        """The directory an XDG_*_HOME variable points at for this session."""
        return self.root / XDG_HOMES[variable]

    def create(self) -> None:
        """Every directory a browser window expects (again for each kept-window session)."""
        for path in (self.downloads, self.incoming, self.tmp,
                     *(self.xdg_home(name) for name in XDG_HOMES)):
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
