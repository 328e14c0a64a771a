"""Step 4: clear the clipboard and primary selection; cancel pending print jobs."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import pwd
import shutil
import subprocess
from pathlib import Path

from wipe.report import StepReport

SELECTIONS = (b"CLIPBOARD", b"PRIMARY")


def _xlib():
    """libX11 through ctypes: clearing ownership leaves no helper process behind (xclip
    would have to stay alive to serve an empty selection)."""
    name = ctypes.util.find_library("X11") or "libX11.so.6"
    try:
        x = ctypes.cdll.LoadLibrary(name)
    except OSError:
        return None
    x.XOpenDisplay.restype, x.XOpenDisplay.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XSetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong,
                                     ctypes.c_ulong]
    x.XGetSelectionOwner.restype = ctypes.c_ulong
    x.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x.XCloseDisplay.argtypes = [ctypes.c_void_p]
    return x


def _x11_owners(display: str, clear: bool) -> int | None:
    """Number of selections still owned after (optionally) clearing; None: no display."""
    x = _xlib()
    if x is None:
        return None
    dpy = x.XOpenDisplay(display.encode())
    if not dpy:
        return None
    try:
        owned = 0
        for name in SELECTIONS:
            atom = x.XInternAtom(dpy, name, 0)
            if clear:
                x.XSetSelectionOwner(dpy, atom, 0, 0)  # None owner, CurrentTime
                x.XSync(dpy, 0)
            if x.XGetSelectionOwner(dpy, atom) and not _xclip_empty(display, name):
                owned += 1
        return owned
    finally:
        x.XCloseDisplay(dpy)


def _xclip_empty(display: str, selection: bytes) -> bool:
    """A selection owned by a clipboard manager is still clean if it holds nothing."""
    if not shutil.which("xclip"):
        return False
    try:
        out = subprocess.run(["xclip", "-selection", selection.decode().lower(), "-o"],
                             capture_output=True, timeout=2, env={**os.environ,
                                                                 "DISPLAY": display})
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.stdout == b""


def _wayland_clear(wayland: str) -> bool:
    tool = shutil.which("wl-copy")
    if not tool:
        return False
    env = {**os.environ, "WAYLAND_DISPLAY": wayland}
    for extra in ([], ["--primary"]):
        subprocess.run([tool, *extra, "--clear"], env=env, timeout=3, capture_output=True)
    return True


def clear_clipboard(display: str | None, wayland: str | None) -> StepReport:
    """Empty CLIPBOARD and PRIMARY on the session's display; say so when there is none."""
    step = StepReport("clipboard")
    done = False
    if wayland:
        done = _wayland_clear(wayland)
        step.add("wayland_cleared", int(done))
    if display:
        left = _x11_owners(display, clear=True)
        if left is not None:
            done = True
            step.add("selections_cleared", len(SELECTIONS) - left)
            if left:
                step.status, step.reason = "failed", "selection_kept"
    if not done:
        step.status, step.reason = "skipped", "no_display"
    return step


def clipboard_residue(display: str | None) -> int:
    """Selections that still hold something (0 when there is no X display to ask)."""
    return (_x11_owners(display, clear=False) or 0) if display else 0


def _run(cmd: list[str]) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None


def session_user() -> str:
    """The account whose print jobs are the resident's: the one this wipe runs as."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


def own_jobs() -> list[str] | None:
    """IDs of this account's not-yet-printed jobs; None when CUPS tools are absent or
    unreachable. `lpstat -o` lines read "queue-ID owner size date"."""
    if not shutil.which("lpstat"):
        return None
    out = _run(["lpstat", "-o"])
    if out is None or out.returncode != 0:
        return None
    user = session_user()
    return [fields[0] for fields in (line.split() for line in out.stdout.decode(errors="replace")
                                     .splitlines()) if len(fields) >= 2 and fields[1] == user]


def pending_jobs() -> int | None:
    """The session account's pending print jobs on this terminal; None when CUPS tools are
    absent or unreachable (other accounts' jobs, a mediator's, are not the resident's)."""
    jobs = own_jobs()
    return None if jobs is None else len(jobs)


CUPSD = Path("/usr/sbin/cupsd")


def scheduler_down_without_local_server() -> bool:
    """True when no print scheduler runs and none is installed here (only the client tools):
    no job can be waiting to print, so there is nothing to cancel."""
    out = _run(["lpstat", "-r"]) if shutil.which("lpstat") else None
    down = out is not None and b"not running" in out.stdout + out.stderr
    return down and not CUPSD.exists()


def cancel_print_jobs() -> StepReport:
    """Cancel the session account's pending jobs, one by one: under CUPS' stock policy an
    owner may cancel their own job, while cancelling all jobs (`cancel -a`) is kept for
    @SYSTEM and answers Forbidden to the unprivileged session."""
    step = StepReport("print_jobs")
    if scheduler_down_without_local_server():
        step.status, step.reason = "skipped", "no_scheduler"
        return step
    jobs = own_jobs()
    if jobs == []:
        step.add("jobs_cancelled", 0)  # nothing waits: nothing to cancel, nothing to fail
        return step
    if shutil.which("cancel"):
        # Unknown queue (lpstat unreachable): ask for this account's jobs, all queues.
        out = _run(["cancel", *jobs] if jobs else ["cancel", "-u", session_user()])
    elif shutil.which("lprm"):
        out = _run(["lprm", "-"])
    else:
        step.status, step.reason = "skipped", "no_cups"
        return step
    if out is None or out.returncode != 0:
        # Fail closed: a job that survives would print the resident's document later.
        step.status, step.reason = "failed", "cancel_failed"
        return step
    step.add("jobs_cancelled", len(jobs or []))
    return step
