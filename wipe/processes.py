"""Step 1: stop every process of the session (grace period, then SIGKILL)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import psutil

from wipe.report import StepReport

TOKEN_VAR = "KIOSK_SESSION_ID"
Spare = Callable[[psutil.Process], bool]  # True for a process the wipe must leave running


def _protected_pids() -> set[int]:
    """Ourselves and our ancestors: a wipe never kills the process running it."""
    pids = {os.getpid()}
    try:
        pids.update(p.pid for p in psutil.Process().parents())
    except psutil.Error:
        pass
    return pids


def _alive_roots(pids: Iterable[Iterable[float]]) -> list[psutil.Process]:
    """Recorded roots that still run as the same process (a reused PID is not ours)."""
    roots = []
    for pid, created in pids:
        try:
            proc = psutil.Process(int(pid))
            if abs(proc.create_time() - created) < 0.05:
                roots.append(proc)
        except psutil.Error:
            continue
    return roots


def _inside(path: str | None, dirs: tuple[str, ...]) -> bool:
    return bool(path) and any(path == d or path.startswith(d + os.sep) for d in dirs)


def _belongs(proc: psutil.Process, token: str, dirs: tuple[str, ...], uid: int | None) -> bool:
    """A process outside the recorded tree still belongs to the session if it carries its
    token, works inside its directory, or (production) runs as the session's own user."""
    try:
        if uid is not None and uid != os.getuid() and proc.uids().real == uid:
            return True
        if _inside(proc.cwd(), dirs):
            return True
        env = proc.environ()
    except psutil.Error:
        return False
    if env.get(TOKEN_VAR) == token:
        return True
    # A kept window carries the token of the session it started in; what it spawns later still
    # works in session/ (TMPDIR), so it is found here whatever its token.
    blob = "\0".join(env.values())
    if not any(d in blob for d in dirs):  # cheap pre-filter: most processes never match
        return False
    return any(_inside(v, dirs) for v in env.values())


def session_processes(pids: Iterable[Iterable[float]], token: str, dirs: Iterable[Path],
                      uid: int | None = None, spare: Spare | None = None) -> list[psutil.Process]:
    """Every live (non-zombie) process of the session: recorded roots, their descendants and
    any process tied to the session by token, working directory or environment; minus those
    `spare` keeps (a window kept between sessions, whose session state was already dropped)."""
    dirs_t = tuple(str(d) for d in dirs)
    found: dict[int, psutil.Process] = {}
    for root in _alive_roots(pids):
        found[root.pid] = root
        try:
            found.update((c.pid, c) for c in root.children(recursive=True))
        except psutil.Error:
            pass
    for proc in psutil.process_iter():
        if proc.pid not in found and _belongs(proc, token, dirs_t, uid):
            found[proc.pid] = proc
            try:
                found.update((c.pid, c) for c in proc.children(recursive=True))
            except psutil.Error:
                pass
    protected = _protected_pids()
    return [p for pid, p in found.items()
            if pid not in protected and _running(p) and not _spared(spare, p)]


def _spared(spare: Spare | None, proc: psutil.Process) -> bool:
    if spare is None:
        return False
    try:
        return bool(spare(proc))
    except psutil.Error:
        return False


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _signal_all(procs: list[psutil.Process], sig: int) -> None:
    for proc in procs:
        try:
            proc.send_signal(sig)
        except psutil.Error:
            pass


def _wait_gone(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Processes still running (zombies count as gone) after at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    alive = [p for p in procs if _running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.002)
        alive = [p for p in alive if _running(p)]
    return alive


def stop_processes(pids: Iterable[Iterable[float]], token: str, dirs: Iterable[Path],
                   uid: int | None = None, grace: float = 1.0, rounds: int = 5,
                   spare: Spare | None = None) -> StepReport:
    """SIGTERM the session's processes, SIGKILL whatever is left after `grace` seconds, and
    repeat while new ones appear (a process may fork while dying)."""
    step = StepReport("processes")
    pids, dirs = list(pids), list(dirs)
    procs = session_processes(pids, token, dirs, uid, spare)
    step.add("found", len(procs))
    if procs:
        _signal_all(procs, signal.SIGTERM)
        alive = _wait_gone(procs, grace)
        step.add("terminated", len(procs) - len(alive))
    for _ in range(rounds):
        alive = session_processes(pids, token, dirs, uid, spare)
        if not alive:
            break
        _signal_all(alive, signal.SIGSTOP)  # freeze first so none can fork a replacement
        _signal_all(alive, signal.SIGKILL)
        left = _wait_gone(alive, 1.0)
        step.add("killed", len(alive) - len(left))
    remaining = len(session_processes(pids, token, dirs, uid, spare))
    if remaining:
        step.status, step.reason = "failed", "processes_survive"
        step.add("surviving", remaining)
    return step
