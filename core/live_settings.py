"""The settings residents' pages show, changed while the portal serves: a store of their own.

The portal serves pages from several threads (waitress) while a mediator saves the settings page
or the supervisor reloads `config.toml`: changing the Flask config under them could show a page
half old, half new. Here every change makes a new immutable `Shown`, swapped under a lock; a
request reads one `Shown` and renders from it alone.

The logo rule lives here too, once: a plain file name (no folder, not hidden) of a file in the
state directory.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Shown:
    """One consistent version of what the residents' pages show."""

    association: str = "Espace numérique"
    languages: tuple[str, ...] = ("fr", "en", "ar")
    printing: bool = True
    logo: Path | None = None     # an existing image file, or None
    version: int = 0             # bumped by every change (caches key on it)


def logo_path(state_dir: str | Path, name: str | None) -> Path | None:
    """The uploaded logo: `name` must be a plain file name (no '/', not hidden) of a file in
    the state directory; anything else is no logo."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = Path(state_dir) / name
    return path if path.is_file() else None


class LiveSettings:
    """Thread-safe holder of the current `Shown`; written by the mediator's settings page and by
    the supervisor when it reloads `config.toml`, read by every resident page."""

    def __init__(self, shown: Shown | None = None) -> None:
        self._lock = threading.Lock()
        self._shown = shown or Shown()

    def current(self) -> Shown:
        """The version in force now (immutable: keep it for the whole request)."""
        with self._lock:
            return self._shown

    def update(self, **changes: Any) -> Shown:
        """Apply some fields at once; readers see the old version or the new one, never a mix."""
        with self._lock:
            changes["version"] = self._shown.version + 1
            self._shown = replace(self._shown, **changes)
            return self._shown

    def update_from(self, values: Mapping[str, Any], state_dir: str | Path) -> Shown:
        """The fields taken from the terminal's settings (config.toml's names)."""
        return self.update(**shown_fields(values, state_dir))


def shown_fields(values: Mapping[str, Any], state_dir: str | Path) -> dict[str, Any]:
    """`Shown`'s fields from the terminal's settings (the table in kiosk's config.toml)."""
    return {"association": str(values["association_name"]),
            "languages": tuple(values["languages"]),
            "printing": bool(values["printing"]),
            "logo": logo_path(state_dir, values.get("logo"))}
