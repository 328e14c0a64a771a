"""Kill -9 a wiping process or a supervisor at a random moment, then recover (tests and
benchmarks/crash_trials.py share this)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from wipe_fixtures import CHILD_ENV, FakeSession, Layout, find_residue, tokened_pids

from wipe import prepare_session, recover
from wipe.journal import read_journal

HERE = Path(__file__).parent


@dataclass
class Trial:
    killed_in: str        # last step the victim announced before the kill
    residue: list[str]    # what an independent search still finds (must be empty)
    survivors: list[int]  # session processes still running (must be empty)
    recovery_s: float
    recovered_ok: bool


def _last_line(proc: subprocess.Popen, default: str = "startup") -> str:
    lines = proc.stdout.read().decode().split()
    for pipe in (proc.stdin, proc.stdout):
        if pipe:
            pipe.close()
    return lines[-1] if lines else default


STEPS = ("processes", "session_dir", "home", "tmp", "clipboard", "print_jobs", "verify")


def kill_during_wipe(layout: Layout, marker: str, rng: random.Random, files: int = 200,
                     window: float = 0.12) -> Trial:
    """A session runs; a separate process wipes it and is killed at a random point: half the
    time a random delay after "go", half the time just after a randomly chosen step starts
    (so the short steps are hit too)."""
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    handle.watch.stop()  # the observer lives in this process; the wiper is another one
    session = FakeSession(layout, marker, handle.env(), files=files)
    handle.add_process(session.proc.pid)
    session.wait_ready()
    wiper = subprocess.Popen([sys.executable, str(HERE / "wipe_child.py"), str(layout.state),
                              "0.05"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             env=CHILD_ENV)
    assert wiper.stdout.readline().strip() == b"ready"
    target = rng.choice(STEPS) if rng.random() < 0.5 else None
    wiper.stdin.write(b"go\n")
    wiper.stdin.flush()
    seen = "startup"
    if target:
        while seen not in (target, "done", ""):
            seen = wiper.stdout.readline().strip().decode()
        time.sleep(rng.uniform(0, 0.003))
    else:
        time.sleep(rng.uniform(0, window))
    wiper.send_signal(signal.SIGKILL)
    wiper.wait()
    killed_in = _last_line(wiper, seen or "startup")
    return _recover_and_check(layout, marker, session.token, killed_in, session)


def kill_supervisor(layout: Layout, marker: str, rng: random.Random, files: int = 50,
                    window: float = 1.5) -> Trial:
    """A supervisor prepares and starts a session and is killed at a random point."""
    sup = subprocess.Popen([sys.executable, str(HERE / "supervisor_child.py"),
                            layout.to_json(), marker, str(files)], stdout=subprocess.PIPE,
                           env=CHILD_ENV)
    time.sleep(rng.uniform(0.1, window))
    sup.send_signal(signal.SIGKILL)
    sup.wait()
    killed_in = _last_line(sup)
    journal = read_journal(layout.state)
    token = journal.token if journal else ""
    return _recover_and_check(layout, marker, token, killed_in, None)


def _recover_and_check(layout: Layout, marker: str, token: str, killed_in: str,
                       session: FakeSession | None) -> Trial:
    t0 = time.perf_counter()
    report = recover(layout.state, grace=0.2)
    elapsed = time.perf_counter() - t0
    if session is not None:
        session.reap()
        survivors = session.alive()
    else:
        survivors = tokened_pids(token) if token else []
        survivors = [p for p in survivors if _running(p)]
    residue = find_residue(layout, marker)
    if token and not (layout.state / "session").is_dir():
        residue.append("session dir not recreated by the recovery")
    return Trial(killed_in, residue, survivors, elapsed, report is None or report.ok)


def _running(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
