"""Small filesystem primitives: a durable unlink and a fast, symlink-safe tree delete (durable
writes are `core.atomic`)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.atomic import fsync_dir

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def remove_durable(path: Path) -> None:
    """Unlink `path` (if present) and make that durable."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return
    fsync_dir(path.parent)


def errno_name(exc: OSError) -> str:
    """An error as an enumerated word (EACCES...), never its message, which holds a path."""
    return errno.errorcode.get(exc.errno or 0, "EUNKNOWN")


@dataclass
class DeleteStats:
    files: int = 0
    dirs: int = 0
    bytes: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, exc: OSError) -> None:
        code = errno_name(exc)
        self.errors[code] = self.errors.get(code, 0) + 1

    def merge(self, other: DeleteStats) -> None:
        self.files += other.files
        self.dirs += other.dirs
        self.bytes += other.bytes
        for code, n in other.errors.items():
            self.errors[code] = self.errors.get(code, 0) + n


def delete_tree(path: Path, stats: DeleteStats | None = None) -> DeleteStats:
    """Delete `path` and everything under it without following symlinks or crossing mounts."""
    stats = stats or DeleteStats()
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return stats
    except OSError as exc:
        stats.error(exc)
        return stats
    if not stat.S_ISDIR(st.st_mode):
        _unlink(None, str(path), st, stats)
        return stats
    try:
        fd = os.open(path, _DIR_FLAGS)
    except OSError as exc:
        stats.error(exc)
        return stats
    try:
        _clear_fd(fd, st.st_dev, stats)
    finally:
        os.close(fd)
    _rmdir(None, str(path), stats)
    return stats


def delete_entry(dir_fd: int, name: str, st: os.stat_result, stats: DeleteStats) -> None:
    """Delete one entry of an open directory (a whole subtree if it is a directory)."""
    if not stat.S_ISDIR(st.st_mode):
        _unlink(dir_fd, name, st, stats)
        return
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except FileNotFoundError:
        return
    except OSError as exc:
        stats.error(exc)
        return
    try:
        _clear_fd(fd, st.st_dev, stats)
    finally:
        os.close(fd)
    _rmdir(dir_fd, name, stats)


def scan(fd: int, stats: DeleteStats) -> list[os.DirEntry]:
    """The entries of an open directory; an error is counted in `stats`, not raised."""
    try:
        return list(os.scandir(fd))
    except OSError as exc:
        stats.error(exc)
        return []


def _clear_fd(fd: int, dev: int, stats: DeleteStats) -> None:
    for entry in scan(fd, stats):
        try:
            st = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        except OSError as exc:
            stats.error(exc)
            continue
        if stat.S_ISDIR(st.st_mode) and st.st_dev != dev:
            stats.error(OSError(errno.EXDEV, "mount point"))  # never delete into another mount
            continue
        delete_entry(fd, entry.name, st, stats)


def _removed(remove: Callable, dir_fd: int | None, name: str, stats: DeleteStats) -> bool:
    """True when `remove` (os.unlink or os.rmdir) removed it; already gone is not an error."""
    try:
        remove(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return False
    except OSError as exc:
        stats.error(exc)
        return False
    return True


def _unlink(dir_fd: int | None, name: str, st: os.stat_result, stats: DeleteStats) -> None:
    if _removed(os.unlink, dir_fd, name, stats):
        stats.files += 1
        stats.bytes += st.st_size


def _rmdir(dir_fd: int | None, name: str, stats: DeleteStats) -> None:
    if _removed(os.rmdir, dir_fd, name, stats):
        stats.dirs += 1


def _walk_for_delete(path: str, stats: DeleteStats) -> tuple[list[str], list[str]]:
    """Files and directories (parents first) under `path`, same filesystem, links not followed."""
    files, dirs = [], [path]
    dev = os.lstat(path).st_dev
    i = 0
    while i < len(dirs):
        try:
            with os.scandir(dirs[i]) as it:
                for entry in it:
                    if not entry.is_dir(follow_symlinks=False):
                        files.append(entry.path)
                    elif entry.stat(follow_symlinks=False).st_dev == dev:
                        dirs.append(entry.path)
                    else:
                        stats.error(OSError(errno.EXDEV, "mount point"))
        except FileNotFoundError:
            pass
        except OSError as exc:
            stats.error(exc)
        i += 1
    return files, dirs


def _unlink_chunk(paths: list[str]) -> DeleteStats:
    stats = DeleteStats()
    for path in paths:
        try:
            size = os.lstat(path).st_size
            os.unlink(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            stats.error(exc)
            continue
        stats.files += 1
        stats.bytes += size
    return stats


def delete_tree_parallel(path: Path, workers: int = 4, stats: DeleteStats | None = None,
                         chunk: int = 128) -> DeleteStats:
    """delete_tree for big trees: unlinks run in threads (the kernel work releases the GIL and
    overlaps, about 2x faster than one thread here). Only for trees no live process can change
    (the renamed session dir once its processes are dead): it deletes by path."""
    from concurrent.futures import ThreadPoolExecutor

    stats = stats or DeleteStats()
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return stats
    if not stat.S_ISDIR(st.st_mode):
        return delete_tree(path, stats)
    files, dirs = _walk_for_delete(str(path), stats)
    chunks = [files[i:i + chunk] for i in range(0, len(files), chunk)]
    if len(chunks) > 1:
        with ThreadPoolExecutor(workers) as pool:
            for part in pool.map(_unlink_chunk, chunks):
                stats.merge(part)
    elif chunks:
        stats.merge(_unlink_chunk(chunks[0]))
    for d in reversed(dirs):
        _rmdir(None, d, stats)
    return stats
