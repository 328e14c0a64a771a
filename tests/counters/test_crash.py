"""A committed event survives a kill -9 of the recording process right after."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from kiosk.counters import CounterStore

SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from datetime import datetime
    from kiosk.counters import CounterStore
    from core.events import Event
    store = CounterStore(sys.argv[1], policy=None)
    assert store.record(Event("tile_opened", site_id="caf"), when=datetime(2026, 3, 10, 10))
    os.kill(os.getpid(), signal.SIGKILL)
""")


def test_committed_event_survives_kill_9(state, policy):
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(state)], timeout=60)
    assert result.returncode == -9
    store = CounterStore(state, policy)
    assert store.month_totals("2026-03")[("tile_site", "caf")] == 1
    store.close()
