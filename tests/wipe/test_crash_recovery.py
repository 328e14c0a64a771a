"""kill -9 at random moments, during a wipe or during a session: the next start leaves no trace.

20 random points across this file (12 during a wipe, 8 during a session); the seeds are fixed
so a failure can be replayed; benchmarks/crash_trials.py runs 100 more.
"""

from __future__ import annotations

import random

import pytest
from crash_harness import kill_during_wipe, kill_supervisor


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
