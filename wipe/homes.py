"""Step 3a: put the kiosk user's HOME and XDG dirs back exactly as their clean template."""

from __future__ import annotations

import filecmp
import os
import shutil
import stat
from pathlib import Path

from wipe.fsops import DeleteStats, delete_tree
from wipe.report import StepReport


def _entries(path: Path) -> dict[str, os.DirEntry]:
    try:
        with os.scandir(path) as it:
            return {e.name: e for e in it}
    except FileNotFoundError:
        return {}


def _kind(entry: os.DirEntry) -> str:
    if entry.is_symlink():
        return "link"
    if entry.is_dir(follow_symlinks=False):
        return "dir"
    if entry.is_file(follow_symlinks=False):
        return "file"
    return "other"


def _same_file(a: os.DirEntry, b: os.DirEntry) -> bool:
    sa, sb = a.stat(follow_symlinks=False), b.stat(follow_symlinks=False)
    if sa.st_size != sb.st_size or stat.S_IMODE(sa.st_mode) != stat.S_IMODE(sb.st_mode):
        return False
    return filecmp.cmp(a.path, b.path, shallow=False)


def _same(a: os.DirEntry, b: os.DirEntry) -> bool:
    kind = _kind(a)
    if kind != _kind(b):
        return False
    if kind == "link":
        return os.readlink(a.path) == os.readlink(b.path)
    if kind == "file":
        return _same_file(a, b)
    return kind == "dir"


def _copy(src: os.DirEntry, dst: Path, owner: tuple[int, int] | None, step: StepReport) -> None:
    if _kind(src) == "dir":
        shutil.copytree(src.path, dst, symlinks=True)
        step.add("dirs_restored")
    else:
        shutil.copy2(src.path, dst, follow_symlinks=False)
        step.add("files_restored")
    if owner is not None:
        for root, dirs, files in os.walk(dst) if dst.is_dir() and not dst.is_symlink() else []:
            for name in dirs + files:
                os.chown(os.path.join(root, name), *owner, follow_symlinks=False)
        os.chown(dst, *owner, follow_symlinks=False)


def _sync(target: Path, template: Path, owner, step: StepReport, stats: DeleteStats) -> None:
    """Make `target` equal to `template`: delete extra or changed entries, copy missing ones."""
    have, want = _entries(target), _entries(template)
    for name, entry in have.items():
        ref = want.get(name)
        if ref is not None and _kind(entry) == "dir" and _kind(ref) == "dir":
            _sync(Path(entry.path), Path(ref.path), owner, step, stats)
            continue
        if ref is not None and _same(entry, ref):
            continue
        before = stats.files + stats.dirs
        delete_tree(Path(entry.path), stats)
        step.add("removed", stats.files + stats.dirs - before)
    for name, ref in want.items():
        if not os.path.lexists(target / name):
            _copy(ref, target / name, owner, step)


def differences(target: Path, template: Path) -> int:
    """How many entries differ between `target` and its template (0 = restored)."""
    have, want = _entries(target), _entries(template)
    diff = len(set(have) ^ set(want))
    for name in set(have) & set(want):
        a, b = have[name], want[name]
        if _kind(a) == "dir" and _kind(b) == "dir":
            diff += differences(Path(a.path), Path(b.path))
        elif not _same(a, b):
            diff += 1
    return diff


def restore_homes(pairs: list[list[str]]) -> StepReport:
    """Restore every (target, template) pair; the target directory itself keeps its owner."""
    step = StepReport("home")
    if not pairs:
        step.status, step.reason = "skipped", "not_configured"
        return step
    stats = DeleteStats()
    for target_s, template_s in pairs:
        target, template = Path(target_s), Path(template_s)
        target.mkdir(parents=True, exist_ok=True)
        st = os.stat(target)
        owner = (st.st_uid, st.st_gid) if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()) \
            else None
        try:
            _sync(target, template, owner, step, stats)
        except OSError as exc:
            stats.error(exc)
    step.bytes, step.errors = stats.bytes, dict(stats.errors)
    if stats.errors:
        step.status, step.reason = "failed", "delete_error"
    return step
