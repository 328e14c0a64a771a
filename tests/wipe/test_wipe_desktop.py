"""Clipboard and print queue: what a resident copied or printed does not wait for the next."""

from __future__ import annotations

import os
import pwd
import subprocess
from pathlib import Path

import psutil
import pytest

from wipe import prepare_session, wipe_session


@pytest.fixture(scope="module")
def display():
    """A private Xvfb server (its own display number, stopped after the module)."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-nolisten", "tcp",
                               "-screen", "0", "640x480x24"], pass_fds=[write],
                              stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    yield f":{number}"
    server.terminate()
    server.wait()


def _xclip(display: str, selection: str, *args: str, **kw) -> subprocess.CompletedProcess:
    # `xclip -i` leaves a child serving the selection: it must not inherit our pipes
    out = subprocess.PIPE if "-o" in args else subprocess.DEVNULL
    return subprocess.run(["xclip", "-selection", selection, *args], stdout=out,
                          stderr=subprocess.DEVNULL, env={**os.environ, "DISPLAY": display},
                          timeout=5, **kw)


def test_clipboard_and_primary_are_empty_after_the_wipe(layout, marker, display):
    kwargs = {**layout.prepare_kwargs(), "display": display}
    handle = prepare_session(layout.state, **kwargs)
    for selection in ("clipboard", "primary"):
        _xclip(display, selection, "-i", input=marker.encode())
        assert _xclip(display, selection, "-o").stdout == marker.encode()
    report = wipe_session(handle, grace=0.1)
    assert report.ok, report.summary_lines()
    assert report.step("clipboard").counts["selections_cleared"] == 2
    for selection in ("clipboard", "primary"):
        assert marker.encode() not in _xclip(display, selection, "-o").stdout
    assert _xclip_servers(display) == [], "xclip kept serving the old selection"


def _xclip_servers(display: str) -> list[int]:
    found = []
    for proc in psutil.process_iter(["name"]):
        try:
            if proc.info["name"] == "xclip" and proc.status() != psutil.STATUS_ZOMBIE \
                    and proc.environ().get("DISPLAY") == display:
                found.append(proc.pid)
        except psutil.Error:
            continue
    return found


def test_clipboard_step_says_when_there_is_no_display(layout):
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    report = wipe_session(handle, grace=0.1)
    assert report.step("clipboard").status == "skipped"
    assert report.step("clipboard").reason == "no_display"


def _fake_cups(bin_dir: Path, spool: Path, cancel_exit: int | None = None) -> None:
    """The only mock here: a printer queue under CUPS' stock policy. lpstat lists the spool
    ("queue-ID owner size date"); `cancel ID` removes a job its caller owns; `cancel -a`
    (Cancel-Jobs, reserved to @SYSTEM) answers Forbidden as cupsd does to an unprivileged
    account; cancel_exit forces another failure."""
    bin_dir.mkdir()
    (bin_dir / "lpstat").write_text(f'#!/bin/sh\ncat "{spool}"\n')
    forced = f"exit {cancel_exit}\n" if cancel_exit else ""
    (bin_dir / "cancel").write_text(f"""#!/bin/sh
echo "$@" >> "{spool}.args"
{forced}me=$(id -un)
for job in "$@"; do
  case "$job" in
    -a) echo "cancel: cancel-job failed: Forbidden" >&2; exit 1 ;;
    -*) continue ;;
  esac
  grep -q "^$job $me " "{spool}" || {{ echo "cancel: cancel-job failed: Forbidden" >&2; exit 1; }}
  grep -v "^$job " "{spool}" > "{spool}.new"; mv "{spool}.new" "{spool}"
done
""")
    for tool in ("lpstat", "cancel"):
        (bin_dir / tool).chmod(0o755)


def _wipe_with_fake_cups(layout, bin_dir: Path, monkeypatch):
    """Wipe a new session with the fake CUPS tools of `bin_dir` first on PATH."""
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    handle = prepare_session(layout.state, **layout.prepare_kwargs())
    return wipe_session(handle, grace=0.1, retries=0)


@pytest.mark.parametrize("cancel_exit", [0, 1])
def test_own_print_jobs_are_cancelled_under_the_stock_policy_or_the_wipe_fails(
        layout, tmp_path, monkeypatch, cancel_exit):
    me = pwd.getpwuid(os.geteuid()).pw_name
    spool = tmp_path / "spool"
    spool.write_text(f"office-12 {me} 1024 lun. 24 nov.\noffice-13 {me} 2048 lun. 24 nov.\n"
                     "office-14 mediatrice 512 lun. 24 nov.\n")
    _fake_cups(tmp_path / "bin", spool, cancel_exit)
    report = _wipe_with_fake_cups(layout, tmp_path / "bin", monkeypatch)
    step = report.step("print_jobs")
    if cancel_exit:
        assert not report.ok and step.reason == "cancel_failed"
        assert report.residue["print_jobs"] == 2
    else:
        assert report.ok, report.summary_lines()
        assert step.counts["jobs_cancelled"] == 2
        assert report.residue["print_jobs"] == 0
        assert "-a" not in (tmp_path / "spool.args").read_text().split()
        assert spool.read_text().split()[:2] == ["office-14", "mediatrice"], \
            "another account's job is not the resident's: it stays"


def test_a_failing_cancel_with_nothing_to_cancel_keeps_the_terminal_in_service(
        layout, tmp_path, monkeypatch):
    spool = tmp_path / "spool"
    spool.write_text("")
    _fake_cups(tmp_path / "bin", spool, cancel_exit=1)
    report = _wipe_with_fake_cups(layout, tmp_path / "bin", monkeypatch)
    assert report.ok, report.summary_lines()
    assert report.step("print_jobs").counts["jobs_cancelled"] == 0


def _stopped_cups(bin_dir: Path) -> None:
    """Client tools with no scheduler to talk to, as on a terminal without a print server."""
    bin_dir.mkdir()
    (bin_dir / "lpstat").write_text('#!/bin/sh\n[ "$1" = -r ] && { echo "scheduler is not running";'
                                    ' exit 0; }\necho "lpstat: Unable to connect" >&2\nexit 1\n')
    (bin_dir / "cancel").write_text('#!/bin/sh\necho "cancel: Unable to contact server." >&2\n'
                                    'exit 1\n')
    for tool in ("lpstat", "cancel"):
        (bin_dir / tool).chmod(0o755)


@pytest.mark.parametrize("server_installed", [False, True])
def test_a_stopped_scheduler_fails_the_wipe_only_if_a_local_server_could_hold_jobs(
        layout, tmp_path, monkeypatch, server_installed):
    from wipe import desktop

    _stopped_cups(tmp_path / "bin")
    cupsd = tmp_path / "cupsd"
    if server_installed:
        cupsd.write_text("")
    monkeypatch.setattr(desktop, "CUPSD", cupsd)
    report = _wipe_with_fake_cups(layout, tmp_path / "bin", monkeypatch)
    step = report.step("print_jobs")
    if server_installed:
        assert not report.ok and step.reason == "cancel_failed"
    else:
        assert report.ok and (step.status, step.reason) == ("skipped", "no_scheduler")
