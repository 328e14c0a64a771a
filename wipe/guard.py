"""Refuse wipe targets that could destroy system files, removable media or the state dir."""

from __future__ import annotations

import os
from pathlib import Path

REMOVABLE = ("/media", "/mnt", "/run/media")
PROTECTED = {"/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt", "/proc",
             "/root", "/run", "/sbin", "/srv", "/sys", "/usr", "/var", "/var/lib", "/var/log",
             *REMOVABLE}


class UnsafeTarget(ValueError):
    """A configured path that a wipe must never touch."""


def _under(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def check_target(path: Path, state_dir: Path, kind: str) -> Path:
    """The absolute real path of a HOME target or tmp root, or UnsafeTarget."""
    real = os.path.realpath(path)
    if real in PROTECTED or any(_under(real, m) for m in REMOVABLE):
        raise UnsafeTarget(f"{kind} {path} is a system or removable-media path")
    state = os.path.realpath(state_dir)
    if kind == "home" and _under(state, real):
        raise UnsafeTarget(f"{kind} {path} contains the state directory {state_dir}")
    if _under(real, state):
        raise UnsafeTarget(f"{kind} {path} is inside the state directory {state_dir}")
    return Path(real)


def check_template(template: Path, target: Path) -> Path:
    """A template must exist and live outside the directory it restores."""
    real = os.path.realpath(template)
    if not os.path.isdir(real):
        raise UnsafeTarget(f"template {template} is not a directory")
    if _under(real, str(target)):
        raise UnsafeTarget(f"template {template} is inside its target {target}")
    return Path(real)
