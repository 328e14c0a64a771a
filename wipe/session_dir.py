"""Step 2: the session directory, renamed out of the way at once, then deleted."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from wipe.fsops import DeleteStats, delete_tree, fsync_dir
from wipe.report import StepReport

SESSION = "session"
SUBDIRS = ("profile", "downloads", "tmp")
WIPING_PREFIX = "session.wiping-"


def session_path(state_dir: Path) -> Path:
    return Path(state_dir) / SESSION


def make_fresh(state_dir: Path, uid: int | None = None) -> None:
    """An empty session/ with its subdirs, private to the session user."""
    root = session_path(state_dir)
    root.mkdir(mode=0o700, exist_ok=True)
    for name in SUBDIRS:
        (root / name).mkdir(mode=0o700, exist_ok=True)
    if uid is not None and uid != os.getuid():
        for path in (root, *(root / n for n in SUBDIRS)):
            os.chown(path, uid, -1)


def _wiping_dirs(state_dir: Path) -> list[Path]:
    with os.scandir(state_dir) as it:
        return [Path(e.path) for e in it if e.name.startswith(WIPING_PREFIX)]


def _move_aside(state_dir: Path) -> None:
    root = session_path(state_dir)
    n = 0
    while True:
        try:
            os.rename(root, Path(state_dir) / f"{WIPING_PREFIX}{os.getpid()}-{n}")
            return
        except FileNotFoundError:
            return
        except (FileExistsError, IsADirectoryError, OSError) as exc:
            if getattr(exc, "errno", None) not in (17, 39) or n > 100:  # EEXIST, ENOTEMPTY
                raise
            n += 1


def wipe_session_dir(state_dir: Path, uid: int | None = None) -> StepReport:
    """Rename session/ aside, recreate it empty for the next resident, delete the old tree
    (and any left by an interrupted wipe)."""
    step = StepReport("session_dir")
    stats = DeleteStats()
    try:
        _move_aside(state_dir)
        make_fresh(state_dir, uid)
        fsync_dir(Path(state_dir))
    except OSError as exc:
        stats.error(exc)
    for old in _wiping_dirs(state_dir):
        delete_tree(old, stats)
    step.add("files", stats.files)
    step.add("dirs", stats.dirs)
    step.bytes, step.errors = stats.bytes, dict(stats.errors)
    if stats.errors:
        step.status, step.reason = "failed", "delete_error"
    return step


def residue(state_dir: Path) -> int:
    """Entries left from a session: anything in session/ besides its empty subdirs, plus any
    tree still waiting to be deleted."""
    count = len(_wiping_dirs(state_dir))
    root = session_path(state_dir)
    try:
        with os.scandir(root) as it:
            entries = list(it)
    except FileNotFoundError:
        return count + 1
    for entry in entries:
        if entry.name in SUBDIRS and entry.is_dir(follow_symlinks=False):
            with os.scandir(entry.path) as sub:
                count += sum(1 for _ in sub)
        else:
            count += 1
    return count


def make_writable(state_dir: Path) -> int:
    """Escalation: give the owner write access to every directory still waiting deletion
    (a session may have made some read-only). Returns how many were changed."""
    changed = 0
    for top in [*_wiping_dirs(state_dir), session_path(state_dir)]:
        changed += _chmod_owner(str(top))
        for path, dirs, _ in os.walk(top):
            changed += sum(_chmod_owner(os.path.join(path, d)) for d in dirs)
    return changed


def _chmod_owner(path: str) -> int:
    try:
        mode = stat.S_IMODE(os.lstat(path).st_mode)
        if mode & 0o700 != 0o700:
            os.chmod(path, mode | 0o700)
            return 1
    except OSError:
        pass
    return 0
