"""What a wipe must never touch, and targets it refuses outright."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from wipe_fixtures import CHILD_ENV, make_layout, needs_root

from wipe import UnsafeTarget, WipePending, prepare_session, recover, wipe_session


def test_files_from_before_the_session_survive_in_tmp_roots(layout):
    root = layout.roots[0]
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    (root / "preexisting" / "new").write_text("session")
    (root / "fresh").mkdir()
    report = wipe_session(handle, grace=0.1)
    assert report.ok
    assert (root / "preexisting" / "old").exists()
    assert not (root / "preexisting" / "new").exists() and not (root / "fresh").exists()


def test_symlinks_are_deleted_never_followed(layout):
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    outside = layout.roots[0].parent / "outside"
    os.symlink(outside, layout.roots[0] / "link")
    os.symlink(outside, layout.state / "session" / "downloads" / "link")
    os.symlink(outside / "precious", layout.home / "link")
    report = wipe_session(handle, grace=0.1)
    assert report.ok
    assert (outside / "precious").read_text() == "never deleted\n"
    assert not os.path.lexists(layout.roots[0] / "link")
    assert not os.path.lexists(layout.home / "link")


def test_state_dir_inside_a_tmp_root_keeps_everything_but_the_session(tmp_path, marker):
    # kiosk demo keeps its throwaway state dir under /tmp
    layout = make_layout(tmp_path, tmp_path / "shm")
    state = layout.roots[0] / "kiosk-demo"
    handle = prepare_session(state, **layout.prepare_kwargs())
    (state / "counters.sqlite3").write_text("written during the session")
    (state / "session" / "downloads" / f"{marker}.pdf").write_text(marker)
    report = wipe_session(handle, grace=0.1)
    assert report.ok
    assert (state / "counters.sqlite3").read_text() == "written during the session"
    assert not (state / "session" / "downloads" / f"{marker}.pdf").exists()


@needs_root
def test_other_mounts_under_a_tmp_root_are_never_entered(layout):
    mnt = layout.roots[0] / "usb"
    mnt.mkdir()
    assert os.system(f"mount -t tmpfs -o size=1m tmpfs {mnt}") == 0
    try:
        handle = prepare_session(layout.state, **layout.prepare_kwargs())
        (mnt / "photo.jpg").write_text("a resident's USB key")
        report = wipe_session(handle, grace=0.1)
        assert report.ok
        assert (mnt / "photo.jpg").exists()
    finally:
        os.system(f"umount {mnt}")


@pytest.mark.parametrize("bad", ["/", "/media/usb", "/mnt", "/run/media/kiosk/KEY", "/etc"])
def test_system_and_removable_media_targets_are_refused(layout, bad):
    with pytest.raises(UnsafeTarget):
        prepare_session(layout.state, tmp_roots=[bad])
    with pytest.raises(UnsafeTarget):
        prepare_session(layout.state, homes=[(bad, layout.template)], tmp_roots=[])
    assert not (layout.state / "wipe.journal").exists()


def test_home_target_holding_the_state_dir_is_refused(layout):
    with pytest.raises(UnsafeTarget):
        prepare_session(layout.state, homes=[(layout.state.parent, layout.template)],
                        tmp_roots=[])


def test_new_session_refused_until_the_previous_one_is_wiped(layout):
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    handle.watch.stop()
    with pytest.raises(WipePending):
        prepare_session(layout.state, **layout.prepare_kwargs())
    report = recover(layout.state)
    assert report.ok and report.recovered and report.interrupted == "session"
    assert recover(layout.state) is None
    prepare_session(layout.state, **layout.prepare_kwargs()).watch.stop()


def test_leftovers_in_session_dir_are_wiped_before_a_session_starts(layout, marker):
    stale = layout.state / "session" / "downloads" / f"{marker}.pdf"
    stale.parent.mkdir(parents=True)
    stale.write_text(marker)
    prepare_session(layout.state, **layout.prepare_kwargs()).watch.stop()
    assert not stale.exists()


def test_reused_pid_of_a_dead_root_is_not_killed(layout):
    bystander = subprocess.Popen(["sleep", "30"], env=CHILD_ENV)
    try:
        handle = prepare_session(layout.state, **layout.prepare_kwargs())
        # same PID as a recorded root, but started at another time: another process
        handle.journal.pids.append([bystander.pid, time.time() - 1e6])
        report = wipe_session(handle, grace=0.1)
        assert report.ok and report.step("processes").counts["found"] == 0
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()


def test_processes_tied_to_the_session_dir_are_stopped_whatever_their_token(layout):
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    tmpdir = str(handle.session_dir / "tmp")
    working_inside = subprocess.Popen(["sleep", "30"], cwd=handle.session_dir / "downloads",
                                      env=CHILD_ENV)
    pointing_inside = subprocess.Popen(["sleep", "30"], cwd=layout.home,
                                       env={**CHILD_ENV, "TMPDIR": tmpdir})
    # e.g. started by a kept window, which carries the token of an earlier session
    earlier_token = subprocess.Popen(["sleep", "30"], cwd=layout.home,
                                     env={**CHILD_ENV, "TMPDIR": tmpdir,
                                          "KIOSK_SESSION_ID": "an-earlier-session"})
    try:
        report = wipe_session(handle, grace=0.1)
        assert report.ok and report.step("processes").counts["found"] == 3
        for proc in (working_inside, pointing_inside, earlier_token):
            assert proc.wait(timeout=2) is not None
    finally:
        for proc in (working_inside, pointing_inside, earlier_token):
            proc.kill()
            proc.wait()


def test_a_spared_process_keeps_running_and_does_not_fail_the_verification(layout):
    """The kept window (already cleared of the session) is spared; its other children are not."""
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    window = subprocess.Popen(["sleep", "30"], env={**CHILD_ENV, **handle.env()})
    other = subprocess.Popen(["sleep", "30"], env={**CHILD_ENV, **handle.env()})
    handle.add_process(window.pid)
    try:
        report = wipe_session(handle, grace=0.1, spare=lambda proc: proc.pid == window.pid)
        assert report.ok and report.verified
        assert report.step("processes").counts["found"] == 1
        assert other.wait(timeout=2) is not None
        assert window.poll() is None
    finally:
        for proc in (window, other):
            proc.kill()
            proc.wait()
