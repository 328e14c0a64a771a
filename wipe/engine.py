"""The wipe engine: prepare a session, wipe it, and finish a wipe a crash interrupted."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core import layout
from core.atomic import atomic_write
from core.layout import SessionPaths
from wipe import desktop, homes, processes, session_dir, tmpfiles
from wipe.guard import check_target, check_template
from wipe.journal import Journal, JournalError, read_journal, remove_journal, write_journal
from wipe.report import StepReport, WipeReport

DEFAULT_TMP_ROOTS = (Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"))
# File timestamps come from the kernel's coarse clock, up to one tick behind time.time_ns().
CLOCK_MARGIN_NS = 20_000_000
REPORT_NAME = "wipe.last.json"
StepHook = Callable[[str], None]


class WipePending(RuntimeError):
    """A previous session is not wiped yet: call recover() first."""


@dataclass
class SessionHandle:
    """A prepared session: give `env()` to the launcher, `add_process()` its PID."""

    journal: Journal
    watch: tmpfiles.TmpWatch | None = None
    extra: dict = field(default_factory=dict)

    @property
    def state_dir(self) -> Path:
        return Path(self.journal.state_dir)

    @property
    def session_dir(self) -> Path:
        return layout.session_dir(self.state_dir)

    def env(self) -> dict[str, str]:
        """Environment for the session's processes: the token that marks them as ours and a
        TMPDIR inside the session directory."""
        return {processes.TOKEN_VAR: self.journal.token,
                "TMPDIR": str(SessionPaths(self.session_dir).tmp)}

    def add_process(self, pid: int) -> None:
        """Record a root process of the session (durably, before it can do anything lasting)."""
        import psutil

        try:
            created = psutil.Process(pid).create_time()
        except psutil.NoSuchProcess:
            return  # already gone; its children are still found by token and directory
        self.journal.pids.append([pid, created])
        write_journal(self.journal)


def prepare_session(state_dir: str | os.PathLike, *, homes: Iterable[tuple] = (),
                    tmp_roots: Iterable[str | os.PathLike] = DEFAULT_TMP_ROOTS,
                    session_uid: int | None = None, display: str | None = None,
                    wayland_display: str | None = None, watch: bool = True) -> SessionHandle:
    """Write the journal (fsynced) and a fresh session/ BEFORE a resident starts.

    homes: (target, clean template) pairs; tmp_roots: where the session's temp files may land;
    session_uid: the resident session's user (limits the tmp sweep to its files, and lets the
    wipe kill any of its processes). display defaults to $DISPLAY / $WAYLAND_DISPLAY."""
    state = Path(state_dir).absolute()
    state.mkdir(parents=True, exist_ok=True)
    if read_journal(state) is not None:
        raise WipePending("a previous session has not been wiped yet")
    pairs = []
    for target, template in homes:
        real = check_target(Path(target), state, "home")
        pairs.append([str(real), str(check_template(Path(template), real))])
    roots = [check_target(Path(r), state, "tmp root") for r in tmp_roots]
    roots = [r for r in roots if r.is_dir()]
    watcher = tmpfiles.TmpWatch(roots) if watch and roots else None
    try:
        journal = Journal(state_dir=str(state), token=secrets.token_hex(12),
                          start_ns=time.time_ns() - CLOCK_MARGIN_NS, homes=pairs,
                          tmp_roots=[str(r) for r in roots],
                          tmp_dirs_before=[list(k) for k in tmpfiles.snapshot_dirs(roots)],
                          session_uid=session_uid,
                          display=os.environ.get("DISPLAY") if display is None else display,
                          wayland_display=os.environ.get("WAYLAND_DISPLAY")
                          if wayland_display is None else wayland_display)
        write_journal(journal)
        if session_dir.residue(state, include_trash=False):  # never hand over leftovers
            session_dir.wipe_session_dir(state, session_uid, defer=True)
        session_dir.make_fresh(state, session_uid)
    except BaseException:
        if watcher:
            watcher.stop()
        raise
    return SessionHandle(journal, watcher)


def _tmp_scope(journal: Journal, recorded: set[str]) -> tmpfiles.Scope:
    skip = set()
    for path in [journal.state_dir, *(p for pair in journal.homes for p in pair)]:
        try:
            st = os.lstat(path)
            skip.add((st.st_dev, st.st_ino))
        except OSError:
            continue
    return tmpfiles.Scope(start_ns=journal.start_ns,
                          dirs_before={tuple(k) for k in journal.tmp_dirs_before}, skip=skip,
                          uid=journal.session_uid, recorded=recorded)


def _sweep_tmp(journal: Journal, scope: tmpfiles.Scope) -> StepReport:
    step = StepReport("tmp")
    if not journal.tmp_roots:
        step.status, step.reason = "skipped", "not_configured"
        return step
    stats = tmpfiles.sweep([Path(r) for r in journal.tmp_roots], scope)
    step.add("files", stats.files)
    step.add("dirs", stats.dirs)
    step.add("observed", len(scope.recorded))
    step.bytes, step.errors = stats.bytes, dict(stats.errors)
    if stats.errors:
        step.status, step.reason = "failed", "delete_error"
    return step


def _count(stats) -> int:
    return stats.files + stats.dirs


def _residue(journal: Journal, scope: tmpfiles.Scope, state: Path,
             defer: bool, spare: processes.Spare | None = None) -> dict[str, int]:
    """Step 5: look again, from scratch, for anything of the session."""
    return {
        "processes": len(processes.session_processes(
            journal.pids, journal.token, [layout.session_dir(state)],
            journal.session_uid, spare)),
        "session_entries": session_dir.residue(state, include_trash=not defer),
        "home_differences": sum(homes.differences(Path(t), Path(p)) for t, p in journal.homes),
        "tmp_entries": _count(tmpfiles.sweep([Path(r) for r in journal.tmp_roots], scope,
                                             delete=False)),
        "clipboard": desktop.clipboard_residue(journal.display),
        "print_jobs": desktop.pending_jobs() or 0,
    }


def _timed(hook: StepHook | None, name: str, fn, *args) -> StepReport:
    if hook:
        hook(name)
    t0 = time.perf_counter()
    step = fn(*args)
    step.duration_s = time.perf_counter() - t0
    return step


def _attempt(journal: Journal, scope: tmpfiles.Scope, grace: float,
             hook: StepHook | None, defer: bool = False,
             spare: processes.Spare | None = None) -> list[StepReport]:
    state = Path(journal.state_dir)
    dirs = [layout.session_dir(state)]
    return [
        _timed(hook, "processes", processes.stop_processes, journal.pids, journal.token, dirs,
               journal.session_uid, grace, 5, spare),
        _timed(hook, "session_dir", session_dir.wipe_session_dir, state, journal.session_uid,
               defer),
        _timed(hook, "home", homes.restore_homes, journal.homes),
        _timed(hook, "tmp", _sweep_tmp, journal, scope),
        _timed(hook, "clipboard", desktop.clear_clipboard, journal.display,
               journal.wayland_display),
        _timed(hook, "print_jobs", desktop.cancel_print_jobs),
    ]


def _verify(journal: Journal, scope: tmpfiles.Scope, report: WipeReport,
            hook: StepHook | None, defer: bool, spare: processes.Spare | None = None) -> None:
    if hook:
        hook("verify")
    t0 = time.perf_counter()
    report.residue = _residue(journal, scope, Path(journal.state_dir), defer, spare)
    failed = [s for s in report.steps if s.status == "failed"]
    report.verified = not any(report.residue.values())
    step = StepReport("verify", counts=dict(report.residue))
    step.duration_s = time.perf_counter() - t0
    if not report.verified:
        step.status, step.reason = "failed", "residue"
    report.steps.append(step)
    report.ok = report.verified and not failed
    if not report.ok:
        report.reason = "residue" if not report.verified else failed[0].reason


def _run(journal: Journal, recorded: set[str], *, recovered: bool, grace: float, retries: int,
         hook: StepHook | None, defer: bool = False,
         spare: processes.Spare | None = None) -> WipeReport:
    t0 = time.perf_counter()
    state = Path(journal.state_dir)
    scope = _tmp_scope(journal, recorded)
    report = WipeReport(recovered=recovered, deferred=defer)
    for attempt in range(1 + retries):
        journal.phase, journal.attempts = "wiping", journal.attempts + 1
        write_journal(journal)
        report.attempts = attempt + 1
        report.steps = _attempt(journal, scope, grace if attempt == 0 else 0.0, hook, defer,
                                spare)
        _verify(journal, scope, report, hook, defer, spare)
        if report.ok:
            break
        session_dir.make_writable(state)  # escalate: undo read-only dirs, no grace, again
    report.duration_s = time.perf_counter() - t0
    if report.ok:
        remove_journal(state)
    atomic_write(state / REPORT_NAME, report.to_json().encode(), mode=0o600)
    return report


def wipe_session(target: SessionHandle | str | os.PathLike, *, grace: float = 1.0,
                 retries: int = 2, on_step: StepHook | None = None,
                 defer_delete: bool = False, spare: processes.Spare | None = None) -> WipeReport:
    """Wipe the session now (a handle, or a state dir whose journal says what to wipe).

    Returns a report; `ok` is False (and the journal stays) when the wipe could not be verified:
    the terminal must then stay out of service. With defer_delete, the old session tree is only
    moved into the root-only trash (milliseconds) and the caller runs purge(state_dir), e.g. in
    a thread while the next resident starts; a crash before that is purged at the next start.
    `spare` names processes to leave running: a window kept for the next resident, once it has
    dropped this session's profile (a crash recovery never spares anything)."""
    if isinstance(target, SessionHandle):
        recorded = target.watch.stop() if target.watch else set()
        return _run(target.journal, recorded, recovered=False, grace=grace, retries=retries,
                    hook=on_step, defer=defer_delete, spare=spare)
    state = Path(target).absolute()
    try:
        journal = read_journal(state)
    except JournalError:
        return _unreadable(state, grace, on_step)
    if journal is None:  # nothing pending: wipe the session dir and the display now
        journal = Journal(state_dir=str(state), token=secrets.token_hex(12), start_ns=0,
                          display=os.environ.get("DISPLAY"))
    return _run(journal, set(), recovered=False, grace=grace, retries=retries, hook=on_step,
                defer=defer_delete)


def recover(state_dir: str | os.PathLike, *, grace: float = 1.0, retries: int = 2,
            on_step: StepHook | None = None) -> WipeReport | None:
    """Finish a wipe left pending by a crash or power cut; None when there is nothing to do.
    `kiosk run` and `kiosk wipe` call this before anything else."""
    state = Path(state_dir).absolute()
    try:
        journal = read_journal(state)
    except JournalError:
        return _unreadable(state, grace, on_step)
    if journal is None:
        purge(state)  # trees a deferred wipe left behind (power cut before its purge)
        return None
    interrupted = journal.phase
    report = _run(journal, set(), recovered=True, grace=grace, retries=retries, hook=on_step)
    report.interrupted = interrupted
    return report


def purge(state_dir: str | os.PathLike) -> StepReport:
    """Delete the session trees a deferred wipe left in the trash; safe to run in a thread."""
    return session_dir.purge_trash(Path(state_dir))


def pending(state_dir: str | os.PathLike) -> bool:
    """True while a journal says a wipe is owed (the terminal must not serve anyone)."""
    try:
        return read_journal(Path(state_dir)) is not None
    except JournalError:
        return True


def _unreadable(state: Path, grace: float, hook: StepHook | None) -> WipeReport:
    """Wipe what the state dir alone tells us, but stay out of service: the journal's record of
    HOME and tmp locations is lost, so a clean result cannot be proven."""
    journal = Journal(state_dir=str(state), token=secrets.token_hex(12), start_ns=0)
    t0 = time.perf_counter()
    report = WipeReport(recovered=True, steps=_attempt(journal, _tmp_scope(journal, set()),
                                                       grace, hook))
    report.reason, report.duration_s = "journal_unreadable", time.perf_counter() - t0
    return report
