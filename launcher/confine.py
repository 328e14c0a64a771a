"""Keep every byte the browser writes inside the session directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


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

    def create(self) -> None:
        for path in (self.downloads, self.incoming, self.tmp):
            path.mkdir(parents=True, exist_ok=True, mode=0o700)


def confined_environment(paths: SessionPaths) -> dict[str, str]:
    """Variables that send Qt, Mesa, fontconfig and temp files into the session directory."""
    root = paths.root
    return {
        "XDG_CACHE_HOME": str(root / "cache"),
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_DATA_HOME": str(root / "data"),
        "XDG_STATE_HOME": str(root / "state"),
        "MESA_SHADER_CACHE_DIR": str(root / "cache" / "mesa"),
        "MESA_GLSL_CACHE_DIR": str(root / "cache" / "mesa"),
        "__GL_SHADER_DISK_CACHE_PATH": str(root / "cache" / "nv"),
        "TMPDIR": str(paths.tmp),
        "QTWEBENGINE_DICTIONARIES_PATH": str(root / "data" / "dictionaries"),
        # Compiled shaders (WebGL ones included) would outlive a session in a kept window's
        # cache, and a write there during a wipe would fail its verification: no disk cache.
        "MESA_SHADER_CACHE_DISABLE": "true",
        "QT_DISABLE_SHADER_DISK_CACHE": "1",
    }


def create_layout(paths: SessionPaths) -> None:
    """The directories a window expects in its session dir (again for each kept-window session)."""
    paths.create()
    for key, value in confined_environment(paths).items():
        if key.startswith("XDG_"):
            Path(value).mkdir(parents=True, exist_ok=True, mode=0o700)


def apply_environment(paths: SessionPaths) -> None:
    """Create the session layout and point this process's environment at it."""
    create_layout(paths)
    os.environ.update(confined_environment(paths))
