"""A whole fake session (real processes, real files) is wiped without a trace."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from wipe_fixtures import FakeSession, find_residue

from wipe import pending, prepare_session, purge, recover, wipe_session
from wipe.journal import journal_path


def test_wipe_leaves_no_trace_and_no_process(layout, marker):
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    session = FakeSession(layout, marker, handle.env(), files=50)
    handle.add_process(session.proc.pid)
    session.wait_ready()
    (layout.home / ".config").chmod(0o777)
    assert find_residue(layout, marker), "the fake session left no trace to wipe"
    assert len(session.pids) >= 5
    report = wipe_session(handle, grace=0.3)
    session.reap()
    assert report.ok and report.verified, report.summary_lines()
    assert session.alive() == []
    assert find_residue(layout, marker) == []
    assert (layout.home / ".config").stat().st_mode & 0o777 == 0o755
    assert not journal_path(layout.state).exists() and not pending(layout.state)


def test_report_counts_every_step_and_names_no_file(layout, marker):
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    session = FakeSession(layout, marker, handle.env())
    handle.add_process(session.proc.pid)
    session.wait_ready()
    report = wipe_session(handle, grace=0.3)
    session.reap()
    kept = (layout.state / "wipe.last.json").read_text()
    for text in (report.to_json(), kept, "\n".join(report.summary_lines())):
        assert marker not in text
        assert str(layout.state) not in text and str(layout.home) not in text
    names = [s.name for s in report.steps]
    assert names == ["processes", "session_dir", "home", "tmp", "clipboard", "print_jobs",
                     "verify"]
    processes = report.step("processes").counts
    assert processes["found"] >= 5 and processes.get("killed", 0) >= 1  # holder ignores TERM
    assert report.step("session_dir").counts["files"] >= 3
    assert report.step("session_dir").bytes >= 20000
    assert report.step("tmp").counts["files"] >= 6
    assert report.step("home").counts["files_restored"] == 2  # .bashrc, app.conf
    assert json.loads(kept)["ok"] is True


def test_journal_is_durable_before_the_session_and_gone_after(layout):
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    journal = json.loads(journal_path(layout.state).read_text())
    assert journal["phase"] == "session" and journal["token"] == handle.journal.token
    assert sorted(p.name for p in (layout.state / "session").iterdir()) == [
        "downloads", "tmp"]
    handle.watch.stop()
    report = wipe_session(layout.state, grace=0.1)
    assert report.ok and not journal_path(layout.state).exists()


def test_deferred_wipe_frees_the_session_dir_at_once_and_purge_finishes_it(layout, marker):
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    session = FakeSession(layout, marker, handle.env(), files=50)
    handle.add_process(session.proc.pid)
    session.wait_ready()
    report = wipe_session(handle, grace=0.3, defer_delete=True)
    session.reap()
    assert report.ok and report.deferred and not pending(layout.state)
    trash = layout.state / "session.trash"
    assert trash.stat().st_mode & 0o777 == 0o700  # the next session's user cannot enter
    assert find_residue(layout, marker) != []  # the old tree waits there, out of reach
    assert purge(layout.state).counts["files"] >= 50
    assert find_residue(layout, marker) == []


def test_power_cut_before_a_deferred_purge_is_finished_at_next_start(layout, marker):
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    (layout.state / "session" / "downloads" / f"{marker}.pdf").write_text(marker)
    assert wipe_session(handle, grace=0.1, defer_delete=True).ok
    assert recover(layout.state) is None  # no journal pending, but the trash is purged
    assert find_residue(layout, marker) == []


def test_next_session_starts_while_the_previous_tree_is_still_being_purged(layout, marker):
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    for i in range(300):
        (layout.state / "session" / "tmp" / f"{marker}-{i}").write_text(marker)
    assert wipe_session(handle, grace=0.1, defer_delete=True).ok
    with ThreadPoolExecutor(1) as pool:
        background = pool.submit(purge, layout.state)
        nxt = prepare_session(layout.state, **layout.prepare_kwargs())
        (nxt.session_dir / "downloads" / "next.pdf").write_text("next resident")
        report = wipe_session(nxt, grace=0.1)  # purges too: waits its turn on the trash lock
        assert background.result().errors == {}
    assert report.ok and report.step("session_dir").errors == {}
    assert find_residue(layout, marker) == []
