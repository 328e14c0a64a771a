"""Production runs the window as an unprivileged account with Chromium's sandbox on: prove that
it starts that way and that pages then run confined (seccomp filter, own namespaces, no
capabilities), with a root run without the sandbox as the control that shows the checks bite."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from kiosk.launcher_process import renderer_pids
from tests.launcher.harness import Launcher, wait_until

pytestmark = [pytest.mark.gui, pytest.mark.skipif(os.geteuid() != 0,
                                                  reason="switching to another account needs root")]


def _status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def confinement(window_pid: int) -> dict[int, tuple[bool, int, bool]]:
    """For each page process (a leaf under Chromium's zygote): (own PID namespace, seccomp mode,
    no effective capability)."""
    window_ns = os.readlink(f"/proc/{window_pid}/ns/pid")
    found = {}
    for pid in renderer_pids(window_pid):
        try:
            if psutil.Process(pid).children():
                continue  # the zygote's own helpers; pages run in the leaves
            status = _status(pid)
            found[pid] = (os.readlink(f"/proc/{pid}/ns/pid") != window_ns,
                          int(status["Seccomp"].strip()), int(status["CapEff"], 16) == 0)
        except (OSError, psutil.Error):
            continue
    return found


def started_window(base: Path, display: str, fake_sites, user: str | None) -> Launcher:
    home = fake_sites.page("portal.localhost", "/sandbox", "<h1>Accueil</h1>")
    launcher = Launcher(base, home, display, user=user)
    try:
        launcher.wait_event("ready", timeout=30)
    except AssertionError:
        launcher.stop()
        raise
    time.sleep(0.5)  # the page's renderer settles in its sandbox
    return launcher


def test_an_unprivileged_window_runs_its_pages_in_the_sandbox(display, fake_sites):
    base = Path(tempfile.mkdtemp(prefix="kiosk-sandbox-"))  # not under root's 0700 pytest dir
    try:
        launcher = started_window(base, display, fake_sites, user="nobody")
    except AssertionError:
        shutil.rmtree(base, ignore_errors=True)
        raise
    try:
        assert psutil.Process(launcher.proc.pid).uids().effective == pwd.getpwnam("nobody").pw_uid
        pages = confinement(launcher.proc.pid)
        assert pages, "no page process found"
        assert set(pages.values()) == {(True, 2, True)}
    finally:
        launcher.stop()
        shutil.rmtree(base, ignore_errors=True)


def test_control_without_the_sandbox_the_same_checks_fail(display, fake_sites, tmp_path):
    launcher = started_window(tmp_path, display, fake_sites, user=None)
    try:
        pages = confinement(launcher.proc.pid)
        assert pages and all(values != (True, 2, True) for values in pages.values())
    finally:
        launcher.stop()


def test_a_sandboxed_kept_window_serves_the_next_resident_once_the_old_pages_are_killed(
        display, fake_sites):
    """What the supervisor does at a session's end, with the sandbox on as in production:
    `clear`, then the wipe kills the old session's renderers (`renderer_pids`) and spares the
    engine. Under the sandbox the zygote sits one level deeper; it used to be counted as a
    renderer and killed, and the next resident got a white window."""
    base = Path(tempfile.mkdtemp(prefix="kiosk-sandbox-"))
    home = fake_sites.page("portal.localhost", "/sandbox", "<h1>Accueil</h1>")
    launcher = Launcher(base, home, display, user="nobody", extra_args=["--kept"])
    try:
        launcher.wait_event("ready", timeout=30)
        time.sleep(0.5)
        window = launcher.proc.pid
        old = renderer_pids(window)
        assert old, "no page process found"
        assert all(not psutil.Process(pid).children() for pid in old), "a zygote was counted"
        mark = launcher.mark()
        launcher.send(op="clear")
        launcher.wait_event("ready", since=mark, timeout=30)
        for pid in old:  # the wipe's part
            with contextlib.suppress(psutil.Error):
                psutil.Process(pid).kill()
        mark = launcher.mark()
        launcher.send(op="clear")  # the next resident's welcome page needs a new renderer
        launcher.wait_event("ready", since=mark, timeout=30)
        wait_until(lambda: renderer_pids(window) - old, what="a renderer for the next page")
    finally:
        launcher.stop()
        shutil.rmtree(base, ignore_errors=True)
