"""A wipe that cannot finish says so, keeps its journal, and is finished later."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from wipe_fixtures import needs_root

from kiosk.cli import cli
from wipe import pending, prepare_session, recover, wipe_session
from wipe.journal import journal_path


def _mounts_under(path: Path) -> list[str]:
    with open("/proc/self/mounts") as f:
        points = [line.split()[1] for line in f]
    return [p for p in points if p.startswith(str(path) + "/")]


@pytest.fixture
def stuck_session(layout, marker):
    """A session whose downloads hold a read-only filesystem: nothing in it can be deleted."""
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    mnt = layout.state / "session" / "downloads" / "ro"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], check=True)
    (mnt / f"{marker}.pdf").write_text(marker)
    subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
    yield handle
    for point in _mounts_under(layout.state):
        subprocess.run(["umount", point], check=False)


@needs_root
def test_undeletable_session_reports_failure_and_keeps_the_journal(layout, stuck_session, marker):
    report = wipe_session(stuck_session, grace=0.1)
    assert not report.ok and not report.verified
    assert report.reason == "residue" and report.attempts == 3
    assert report.step("session_dir").status == "failed"
    assert report.step("session_dir").errors  # errno names only
    assert report.residue["session_entries"] > 0
    assert journal_path(layout.state).exists() and pending(layout.state)
    kept = (layout.state / "wipe.last.json").read_text()
    assert json.loads(kept)["ok"] is False
    assert marker not in kept and marker not in report.to_json()


@needs_root
def test_kiosk_wipe_says_out_of_service_then_finishes_once_unblocked(layout, stuck_session):
    stuck_session.watch.stop()
    result = CliRunner().invoke(cli, ["wipe", "--state-dir", str(layout.state), "--grace", "0"])
    assert result.exit_code == 1
    assert "hors service" in result.output and "FAILED" in result.output
    for point in _mounts_under(layout.state):
        subprocess.run(["umount", point], check=True)
    result = CliRunner().invoke(cli, ["wipe", "--state-dir", str(layout.state), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] and report["recovered"] and report["residue"]["session_entries"] == 0
    assert report["interrupted"] == "wiping"
    assert not pending(layout.state)


def test_unreadable_journal_keeps_the_terminal_out_of_service(layout, marker):
    prepare_session(layout.state, **layout.prepare_kwargs()).watch.stop()
    leftover = layout.state / "session" / "downloads" / f"{marker}.pdf"
    leftover.write_text(marker)
    journal_path(layout.state).write_text("{torn")
    report = recover(layout.state, grace=0.1)
    assert not report.ok and report.reason == "journal_unreadable"
    assert not leftover.exists()  # what can be wiped still is
    assert pending(layout.state)


def test_kiosk_wipe_without_pending_journal_wipes_the_session_dir_now(layout, marker):
    (layout.state / "session" / "downloads").mkdir(parents=True)
    (layout.state / "session" / "downloads" / f"{marker}.pdf").write_text(marker)
    result = CliRunner().invoke(cli, ["wipe", "--state-dir", str(layout.state)])
    assert result.exit_code == 0, result.output
    assert "OK, verified clean" in result.output and marker not in result.output
    assert not (layout.state / "session" / "downloads" / f"{marker}.pdf").exists()


HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from kiosk.runlock import RunLock
RunLock(Path(sys.argv[1])).acquire()
print("held", flush=True)
time.sleep(120)
"""


def test_a_stale_run_lock_holder_is_named_and_ended_when_the_unit_starts(layout):
    """An orphaned `kiosk run` (its compositor gone, out of the unit) kept the lock, and every
    restart failed with "a kiosk is running". Asked by hand, `kiosk wipe` names it and refuses;
    as the unit's start step (--end-stale) it ends it, then wipes."""
    project = str(Path(__file__).resolve().parents[2])
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(layout.state), project],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        refused = CliRunner().invoke(cli, ["wipe", "--state-dir", str(layout.state)])
        assert refused.exit_code == 1
        assert f"pid {holder.pid}" in refused.output
        assert holder.poll() is None, "asked by hand, a running kiosk is never killed"
        result = CliRunner().invoke(cli, ["wipe", "--end-stale", "--state-dir",
                                          str(layout.state)])
        assert result.exit_code == 0, result.output
        assert f"(pid {holder.pid}) holds the run lock: ending it" in result.output
        assert "OK, verified clean" in result.output
        assert holder.wait(10) is not None
    finally:
        holder.kill()
        holder.wait(10)
        holder.stdout.close()
