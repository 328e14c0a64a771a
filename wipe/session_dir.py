"""Step 2: the session directory, renamed into a private trash at once, then deleted."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from pathlib import Path

from core import layout
from core.atomic import fsync_dir
from wipe.fsops import DeleteStats, delete_tree_parallel
from wipe.report import StepReport


def make_fresh(state_dir: Path, uid: int | None = None) -> None:
    """An empty session/ with its subdirs, private to the session user."""
    root = layout.session_dir(state_dir)
    root.mkdir(mode=0o700, exist_ok=True)
    for name in layout.SESSION_SUBDIRS:
        (root / name).mkdir(mode=0o700, exist_ok=True)
    if uid is not None and uid != os.getuid():
        for path in (root, *(root / n for n in layout.SESSION_SUBDIRS)):
            os.chown(path, uid, -1)


def _trash_entries(state_dir: Path) -> list[Path]:
    try:
        with os.scandir(layout.trash_dir(state_dir)) as it:
            return [Path(e.path) for e in it]
    except FileNotFoundError:
        return []


def _move_aside(state_dir: Path) -> None:
    trash = layout.trash_dir(state_dir)
    trash.mkdir(mode=0o700, exist_ok=True)
    os.chmod(trash, 0o700)
    n = 0
    while True:
        try:
            os.rename(layout.session_dir(state_dir), trash / f"{os.getpid()}-{n}")
            return
        except FileNotFoundError:
            return
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY) or n > 100:
                raise
            n += 1


def purge_trash(state_dir: Path) -> StepReport:
    """Delete every session tree waiting in the trash (run at once, in a background thread
    after a deferred wipe, or at the next start)."""
    t0 = time.perf_counter()
    step, stats = StepReport("purge"), DeleteStats()
    try:
        lock = os.open(layout.trash_dir(state_dir), os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        return step
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one purge at a time (a background one may run)
        for old in _trash_entries(state_dir):
            delete_tree_parallel(old, stats=stats)
    finally:
        os.close(lock)
    step.add("files", stats.files)
    step.add("dirs", stats.dirs)
    step.bytes, step.errors = stats.bytes, dict(stats.errors)
    if stats.errors:
        step.status, step.reason = "failed", "delete_error"
    step.duration_s = time.perf_counter() - t0
    return step


def wipe_session_dir(state_dir: Path, uid: int | None = None, defer: bool = False) -> StepReport:
    """Rename session/ into the trash and recreate it empty for the next resident at once; then
    delete the trash (unless `defer`: the caller runs purge_trash() when it suits it)."""
    step = StepReport("session_dir")
    try:
        _move_aside(state_dir)
        make_fresh(state_dir, uid)
        fsync_dir(Path(state_dir))
    except OSError as exc:
        step.error(errno.errorcode.get(exc.errno or 0, "EUNKNOWN"))
    if defer:
        step.add("deferred_trees", len(_trash_entries(state_dir)))
    else:
        purged = purge_trash(state_dir)
        step.counts.update(purged.counts)
        step.bytes = purged.bytes
        for code, n in purged.errors.items():
            step.errors[code] = step.errors.get(code, 0) + n
    if step.errors:
        step.status, step.reason = "failed", "delete_error"
    return step


def residue(state_dir: Path, include_trash: bool = True) -> int:
    """Entries left from a session: anything in session/ besides its empty subdirs, plus any
    tree still waiting in the trash (unless deletion was deliberately deferred)."""
    count = len(_trash_entries(state_dir)) if include_trash else 0
    root = layout.session_dir(state_dir)
    try:
        with os.scandir(root) as it:
            entries = list(it)
    except FileNotFoundError:
        return count + 1
    for entry in entries:
        if entry.name in layout.SESSION_SUBDIRS and entry.is_dir(follow_symlinks=False):
            with os.scandir(entry.path) as sub:
                count += sum(1 for _ in sub)
        else:
            count += 1
    return count


def make_writable(state_dir: Path) -> int:
    """Escalation: give the owner write access to every directory still waiting deletion
    (a session may have made some read-only). Returns how many were changed."""
    changed = 0
    for top in [*_trash_entries(state_dir), layout.session_dir(state_dir)]:
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
