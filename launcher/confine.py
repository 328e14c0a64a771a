"""Keep every byte the browser writes inside the session directory (its layout: core.layout)."""

from __future__ import annotations

import os

from core.layout import XDG_HOMES, SessionPaths


def confined_environment(paths: SessionPaths) -> dict[str, str]:
    """Variables that send Qt, Mesa, fontconfig and temp files into the session directory."""
    cache = paths.xdg_home("XDG_CACHE_HOME")
    return {
        **{name: str(paths.xdg_home(name)) for name in XDG_HOMES},
        "MESA_SHADER_CACHE_DIR": str(cache / "mesa"),
        "MESA_GLSL_CACHE_DIR": str(cache / "mesa"),
        "__GL_SHADER_DISK_CACHE_PATH": str(cache / "nv"),
        "TMPDIR": str(paths.tmp),
        "QTWEBENGINE_DICTIONARIES_PATH": str(paths.xdg_home("XDG_DATA_HOME") / "dictionaries"),
        # Compiled shaders (WebGL ones included) would outlive a session in a kept window's
        # cache, and a write there during a wipe would fail its verification: no disk cache.
        "MESA_SHADER_CACHE_DISABLE": "true",
        "QT_DISABLE_SHADER_DISK_CACHE": "1",
    }


def apply_environment(paths: SessionPaths) -> None:
    """Create the session layout and point this process's environment at it."""
    paths.create()
    os.environ.update(confined_environment(paths))
