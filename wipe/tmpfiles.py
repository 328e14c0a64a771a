"""Step 3b: files the session left in /tmp, /var/tmp and /dev/shm (roots are parameters).

Two sources agree on what is the session's: a watchdog observer started before the session
records every path created under the roots (kept in memory only: names never reach the disk),
and a scan keeps anything whose inode changed after the session started (ctime cannot be set
back by a program), which also works after a crash lost the observer.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import stat
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from wipe.fsops import DeleteStats, delete_entry, scan

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# Left alone at the top of a tmp root: X11/ICE sockets, server locks, systemd private dirs.
SYSTEM_NAMES = (".X11-unix", ".ICE-unix", ".XIM-unix", ".font-unix", ".Test-unix", ".X*-lock",
                "systemd-private-*")


# watchdog warns with full paths (a resident's file names) from its thread when a new directory
# races its recursive watch; those must not reach a log. The scan covers that case anyway.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"watchdog\.")
logging.getLogger("watchdog").setLevel(logging.CRITICAL)  # its messages can carry paths too


class _Recorder(FileSystemEventHandler):
    def __init__(self) -> None:
        self.paths: set[str] = set()
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory and event.event_type not in ("created", "moved"):
            return  # a pre-existing directory only changed: its new entries are recorded
        if event.event_type in ("created", "moved", "modified", "closed"):
            path = event.dest_path if event.event_type == "moved" else event.src_path
            with self.lock:
                self.paths.add(os.fsdecode(path))


class TmpWatch:
    """Records paths created under the tmp roots while a session runs.

    Setting up recursive inotify watches costs about 0.2 ms per directory, so it happens in a
    background thread: prepare_session() does not wait, and whatever is created before the
    watches are in place is still found by the ctime scan."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self.recorder = _Recorder()
        self.observer = Observer()
        self.observer.daemon = True
        self.roots = list(roots)
        self._starter = threading.Thread(target=self._start, daemon=True)
        self._starter.start()

    def _start(self) -> None:
        for root in self.roots:
            try:
                self.observer.schedule(self.recorder, str(root), recursive=True)
            except OSError:
                continue  # the scan still covers this root
        try:
            self.observer.start()
        except OSError:
            pass  # e.g. the inotify watch limit: the scan still covers everything

    def stop(self) -> set[str]:
        """Stop watching; the paths seen so far."""
        self._starter.join()
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join(timeout=2)
        with self.recorder.lock:
            return set(self.recorder.paths)


@dataclass
class Scope:
    """What counts as the session's in the tmp roots."""

    start_ns: int
    dirs_before: set[tuple[int, int]] = field(default_factory=set)
    skip: set[tuple[int, int]] = field(default_factory=set)  # state dir, HOME targets
    uid: int | None = None
    recorded: set[str] = field(default_factory=set)


def _system(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pat) for pat in SYSTEM_NAMES)


def snapshot_dirs(roots: Iterable[Path]) -> set[tuple[int, int]]:
    """(device, inode) of every directory under the roots before the session starts."""
    seen: set[tuple[int, int]] = set()
    for root in roots:
        try:
            st = os.lstat(root)
        except OSError:
            continue
        seen.add((st.st_dev, st.st_ino))
        stack = [str(root)]
        while stack:
            try:
                with os.scandir(stack.pop()) as it:
                    for entry in it:
                        if entry.is_dir(follow_symlinks=False):
                            sub = entry.stat(follow_symlinks=False)
                            if sub.st_dev == st.st_dev:  # other mounts are never entered
                                seen.add((sub.st_dev, sub.st_ino))
                                stack.append(entry.path)
            except OSError:
                continue
    return seen


def _is_session(path: str, st: os.stat_result, scope: Scope) -> bool:
    if scope.uid is not None and st.st_uid != scope.uid:
        return False
    if path in scope.recorded:
        return True
    if st.st_ctime_ns < scope.start_ns:
        return False
    return not stat.S_ISDIR(st.st_mode) or (st.st_dev, st.st_ino) not in scope.dirs_before


def _walk(fd: int, path: str, dev: int, top: bool, scope: Scope, stats: DeleteStats,
          delete: bool) -> None:
    for entry in scan(fd, stats):
        if top and _system(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        is_dir = stat.S_ISDIR(st.st_mode)
        if (st.st_dev, st.st_ino) in scope.skip or (is_dir and st.st_dev != dev):
            continue  # the state dir, HOME targets, other mounts (removable media): never
        child = os.path.join(path, entry.name)
        if _is_session(child, st, scope):
            _found(fd, entry.name, st, stats, delete)
        elif is_dir:
            _descend(fd, entry.name, child, dev, scope, stats, delete)


def _found(fd: int, name: str, st: os.stat_result, stats: DeleteStats, delete: bool) -> None:
    if delete:
        delete_entry(fd, name, st, stats)
    elif stat.S_ISDIR(st.st_mode):
        stats.dirs += 1
    else:
        stats.files += 1


def _descend(fd: int, name: str, path: str, dev: int, scope: Scope, stats: DeleteStats,
             delete: bool) -> None:
    try:
        sub = os.open(name, _DIR_FLAGS, dir_fd=fd)
    except OSError:
        return
    try:
        _walk(sub, path, dev, False, scope, stats, delete)
    finally:
        os.close(sub)


def sweep(roots: Iterable[Path], scope: Scope, delete: bool = True) -> DeleteStats:
    """Delete (or, with delete=False, count) the session's entries under the tmp roots."""
    stats = DeleteStats()
    for root in roots:
        try:
            fd = os.open(root, _DIR_FLAGS)
        except FileNotFoundError:
            continue
        except OSError as exc:
            stats.error(exc)
            continue
        try:
            _walk(fd, str(root), os.fstat(fd).st_dev, True, scope, stats, delete)
        finally:
            os.close(fd)
    return stats
