"""kill -9 at random moments, during a wipe or during a session: the next start leaves no trace.

20 random points across this file (12 during a wipe, 8 during a session); the seeds are fixed
so a failure can be replayed; benchmarks/crash_trials.py runs 100 more.
"""

from __future__ import annotations

import random
import signal
import time

import pytest
from crash_harness import kill_during_wipe, kill_supervisor
from wipe_fixtures import FakeSession, find_residue

from wipe import prepare_session, wipe_session


@pytest.mark.parametrize("seed", range(12))
def test_kill_during_wipe_then_recovery_leaves_no_trace(layout, marker, seed):
    trial = kill_during_wipe(layout, marker, random.Random(seed))
    assert trial.recovered_ok, trial
    assert trial.residue == [], trial
    assert trial.survivors == [], trial


@pytest.mark.parametrize("seed", range(8))
def test_kill_of_supervisor_during_session_then_recovery_leaves_no_trace(layout, marker, seed):
    trial = kill_supervisor(layout, marker, random.Random(1000 + seed))
    assert trial.recovered_ok, trial
    assert trial.residue == [], trial
    assert trial.survivors == [], trial


@pytest.mark.parametrize("seed", range(2))
def test_launcher_killed_mid_session_leaves_orphans_that_the_wipe_still_finds(layout, marker,
                                                                              seed):
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    session = FakeSession(layout, marker, handle.env(), files=20)
    handle.add_process(session.proc.pid)
    session.wait_ready()
    time.sleep(random.Random(seed).uniform(0, 0.2))
    session.proc.send_signal(signal.SIGKILL)  # its children are now orphans
    session.reap()
    report = wipe_session(handle, grace=0.2)
    assert report.ok, report.summary_lines()
    assert session.alive() == []
    assert find_residue(layout, marker) == []
