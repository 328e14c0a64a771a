"""The real supervisor with short timers: sessions end, get wiped, and the next one starts clean."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import psutil
import pytest

from kiosk import control
from tests.supervisor.conftest import short_policy

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def test_mediator_end_wipes_the_session_and_shows_welcome_again(kiosk_factory):
    kiosk = kiosk_factory()
    kiosk.begin()
    first_launcher = kiosk.launcher_pids()
    session_renderers = kiosk.renderer_pids()
    assert session_renderers, "control: the session's pages have renderer processes"
    marker = kiosk.state / "session" / "downloads" / "attestation-caf.pdf"
    marker.write_bytes(b"%PDF-1.4 resident data")
    result = subprocess.run([sys.executable, "-m", "kiosk", "session", "end", "--state-dir",
                             str(kiosk.state)],
                            env=kiosk.env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    status = kiosk.wait_for(lambda s: s["state"] == "welcome"
                            and s["last_end_reason"] == "mediator")
    assert status["last_wipe"]["ok"] and status["last_wipe"]["verified"]
    assert not marker.exists()
    # The window is kept for the next resident; the session's profile and renderers are not.
    kiosk.wait_for(lambda s: s["ready"] and not session_renderers & kiosk.renderer_pids())
    assert kiosk.launcher_pids() == first_launcher


def test_a_window_that_does_not_clear_in_time_is_replaced(kiosk_factory):
    kiosk = kiosk_factory()
    kiosk.begin()
    first_launcher = kiosk.launcher_pids()
    (kiosk.state / "session" / "downloads" / "resident-cv.pdf").write_bytes(b"%PDF secret")
    for pid in first_launcher:
        os.kill(pid, signal.SIGSTOP)  # hung: it will never answer "clear"
    kiosk.post("/fin", b"confirm=1")
    status = kiosk.wait_for(lambda s: s["state"] == "welcome" and s["ready"]
                            and s["last_end_reason"] == "user", timeout=60)
    assert status["last_wipe"]["ok"] and status["last_wipe"]["verified"]
    assert not set(first_launcher) & set(kiosk.launcher_pids())
    assert not any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE
                   for p in first_launcher)
    assert list((kiosk.state / "session" / "downloads").iterdir()) == []


def still_serving_the_next_resident(kiosk, pid: int) -> None:
    """After a session ended on its own: the same `kiosk run` welcomes, and serves, the next one."""
    status = kiosk.wait_for(lambda s: s["state"] == "welcome" and s["ready"], timeout=30)
    assert status["last_wipe"]["ok"]
    time.sleep(1.5)  # a supervisor that died on its way out would be gone by now
    assert kiosk.process.poll() is None and kiosk.process.pid == pid
    kiosk.begin()
    assert kiosk.status()["state"] == "active"


def test_idle_session_shows_the_countdown_then_ends_as_idle(kiosk_factory):
    kiosk = kiosk_factory(short_policy(idle_minutes=0.05, warning_seconds=5))
    pid = kiosk.process.pid
    kiosk.begin()
    kiosk.wait_for(lambda s: s["state"] == "warning", timeout=20)
    status = kiosk.wait_for(lambda s: s["last_end_reason"] == "idle", timeout=20)
    assert status["last_wipe"]["ok"]
    still_serving_the_next_resident(kiosk, pid)


def test_real_input_during_the_idle_countdown_keeps_the_session(kiosk_factory):
    kiosk = kiosk_factory(short_policy(idle_minutes=0.05, warning_seconds=15))
    kiosk.begin()
    kiosk.wait_for(lambda s: s["state"] == "warning", timeout=20)
    env = {**os.environ, "DISPLAY": kiosk.env["DISPLAY"]}
    subprocess.run(["xdotool", "mousemove", "640", "400", "click", "1"], env=env, check=True)
    subprocess.run(["xdotool", "key", "shift"], env=env, check=True)
    status = kiosk.wait_for(lambda s: s["state"] == "active", timeout=10)
    assert status["last_end_reason"] is None


def test_time_limit_warns_then_ends_the_session(kiosk_factory):
    kiosk = kiosk_factory(short_policy(max_minutes=0.2))
    kiosk.begin()
    kiosk.wait_for(lambda s: s["state"] == "warning", timeout=15)
    status = kiosk.wait_for(lambda s: s["last_end_reason"] == "time_limit", timeout=20)
    assert status["last_wipe"]["ok"]
    still_serving_the_next_resident(kiosk, kiosk.process.pid)


def test_a_crashed_launcher_ends_the_session_and_the_next_one_is_clean(kiosk_factory):
    kiosk = kiosk_factory()
    kiosk.begin()
    (kiosk.state / "session" / "downloads" / "avis-impot.pdf").write_bytes(b"%PDF secret")
    for pid in kiosk.launcher_pids():
        os.kill(pid, signal.SIGKILL)
    status = kiosk.wait_for(lambda s: s["last_end_reason"] == "crash_recovery", timeout=30)
    assert status["last_wipe"]["ok"]
    kiosk.wait_for(lambda s: s["state"] == "welcome" and kiosk.launcher_pids())
    assert list((kiosk.state / "session" / "downloads").iterdir()) == []


def residue(state) -> list[str]:
    """Anything of a session that a restart must not find: journal, session files, wiping dirs."""
    found = [p.name for p in state.iterdir() if p.name.startswith("session.wiping")]
    session = state / "session"
    if session.exists():
        found += [str(p) for p in session.rglob("*") if p.is_file() and "resident" in p.name]
    return found


@pytest.mark.parametrize("seed", range(4))
def test_kill9_of_the_whole_kiosk_at_a_random_moment_leaves_no_residue(kiosk_factory, seed):
    rng = random.Random(seed)
    kiosk = kiosk_factory(subdir=f"k{seed}")
    kiosk.begin()
    (kiosk.state / "session" / "downloads" / "resident-file.pdf").write_bytes(b"x" * 4096)
    if rng.random() < 0.5:
        kiosk.post("/fin", b"confirm=1")  # sometimes die while the end and its wipe are under way
    time.sleep(rng.uniform(0, 0.6))
    kiosk.kill9()
    kiosk.log.close()
    kiosk.log = (kiosk.state.parent / "run2.log").open("wb")
    kiosk.start()
    status = kiosk.status()
    assert residue(kiosk.state) == []
    assert status["state"] == "welcome"
    assert status["last_end_reason"] == "crash_recovery"
    assert status["last_wipe"]["recovered"] and status["last_wipe"]["ok"]


def test_a_manual_wipe_refuses_to_touch_a_live_session(kiosk_factory):
    kiosk = kiosk_factory()
    kiosk.begin()
    result = subprocess.run([sys.executable, "-m", "kiosk", "wipe", "--state-dir",
                             str(kiosk.state)],
                            env=kiosk.env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "kiosk session end" in result.stderr
    assert kiosk.status()["state"] == "active"


def test_a_second_supervisor_on_the_same_state_dir_is_refused(kiosk_factory):
    kiosk = kiosk_factory()
    second = subprocess.run([sys.executable, "-m", "kiosk", "run", "--state-dir", str(kiosk.state)],
                            env=kiosk.env, capture_output=True, text=True, timeout=60)
    assert second.returncode != 0 and "already running" in second.stderr
    assert kiosk.status()["state"] == "welcome"


def test_a_policy_file_broken_by_hand_keeps_the_terminal_serving_the_policy_in_force(kiosk_factory):
    """The next launcher gets the policy in force, not the broken file (it would refuse to start,
    session after session)."""
    kiosk = kiosk_factory()
    (kiosk.state / "policy.toml").write_text("version = 1\n[[site]\nid = 'oops'\n")
    kiosk.begin()
    first = kiosk.launcher_pids()
    kiosk.post("/fin", b"confirm=1")
    status = kiosk.wait_for(lambda s: s["state"] == "welcome" and s["ready"]
                            and s["last_end_reason"] == "user", timeout=60)
    assert status["last_end_reason"] == "user"
    time.sleep(3)  # a launcher that refused its policy would have exited by now
    after = kiosk.status()
    assert after["state"] == "welcome" and after["last_end_reason"] == "user"
    assert kiosk.launcher_pids() == first
    copy = (kiosk.state / "session" / "tmp" / "policy.toml").read_text()
    assert "oops" not in copy and "caf" in copy


def test_after_an_arabic_session_the_window_says_session_erased_then_welcomes_in_french(
        kiosk_factory, display, tmp_path):
    from tests.supervisor.conftest import differing_pixels, settled_screenshot

    kiosk = kiosk_factory()
    welcome = settled_screenshot(display, tmp_path / "welcome-first.png")
    kiosk.post("/langue", b"lang=ar")
    kiosk.begin()
    kiosk.post("/fin", b"confirm=1")
    ended = time.monotonic()
    kiosk.wait_for(lambda s: s["last_end_reason"] == "user" and s["state"] == "welcome")
    notice = settled_screenshot(display, tmp_path / "notice.png", timeout=2)
    assert differing_pixels(notice, welcome) > 10_000  # "Session effacée", not the welcome
    status = kiosk.wait_for(lambda s: s["ready"], timeout=30)
    shown_for = time.monotonic() - ended
    assert status["state"] == "welcome"
    after = settled_screenshot(display, tmp_path / "welcome-next.png")
    assert differing_pixels(after, welcome) < 500  # the same French welcome as the first one
    assert shown_for >= 3  # the notice stayed the configured 4 s (minus polling)


def test_end_answers_reach_the_counters_each_alone_and_other_ends_count_no_answer(
        kiosk_factory):
    """Resident one answers "with help" on the portal's question page; resident two is ended by
    the mediator: the question counts one answer and one "no answer", both sessions "alone"."""
    import sqlite3

    kiosk = kiosk_factory()
    kiosk.begin()
    kiosk.post("/fin/questions/0", b"reponse=helped")
    kiosk.wait_for(lambda s: s["state"] == "welcome" and s["ready"]
                   and s["last_end_reason"] == "user", timeout=60)
    kiosk.begin()
    control.request(kiosk.state, {"cmd": "end"}, timeout=30)
    kiosk.wait_for(lambda s: s["state"] == "welcome" and s["last_end_reason"] == "mediator",
                   timeout=60)
    with sqlite3.connect(kiosk.state / "counters.sqlite3") as db:
        rows = db.execute("SELECT metric, key, SUM(count) FROM daily WHERE metric LIKE 'answer_%'"
                          " OR metric = 'autonomy' GROUP BY metric, key").fetchall()
    assert sorted(rows) == [("answer_outcome", "helped", 1), ("answer_outcome", "no_answer", 1),
                            ("autonomy", "alone", 2)]
