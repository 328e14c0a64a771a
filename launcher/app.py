"""Run one kiosk window: confine the process, wire the protocol, start pywebview."""

from __future__ import annotations

import logging
import os
import signal
import stat
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

import ada_url

from core.layout import SessionPaths
from policies import Policy

from .confine import apply_environment
from .live_policy import LivePolicy
from .navigation import NavigationGate
from .options import TITLE, window_options
from .protocol import EventWriter, read_commands

_DEBUG_VARIABLES = ("QTWEBENGINE_REMOTE_DEBUGGING", "QTWEBENGINE_INSPECTOR_SERVER")
EXIT_ROOT_WITH_SANDBOX = 78  # EX_CONFIG: this window can never start as configured
ROOT_WITH_SANDBOX = ("cannot start: running as root with the Chromium sandbox on, which Chromium "
                     "refuses. Run the kiosk as its unprivileged user (install.sh creates it); "
                     "`kiosk demo` turns the sandbox off for a demo only.")


def sandbox_refusal(euid: int, environ: Mapping[str, str]) -> str | None:
    """Why this window cannot start, said plainly, instead of a silent engine exit: Chromium
    will not run as root with its sandbox (the engine only says so with debug logging)."""
    if euid == 0 and environ.get("QTWEBENGINE_DISABLE_SANDBOX") != "1":
        return ROOT_WITH_SANDBOX
    return None


def home_origin(home: str) -> str:
    """scheme://host[:port] of the home page, which the allowlist treats as internal."""
    url = ada_url.URL(home)
    return f"{url.protocol}//{url.host}"


def engine_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The engine's environment, given the process's: no devtools server whatever it asks for,
    the engine's own texts in French, engine logs off stderr (they can name URLs) unless
    KIOSK_LAUNCHER_DEBUG, and software rendering unless KIOSK_LAUNCHER_GPU=1: without an OpenGL
    context to set up, the first page paints about 0.1 s sooner (see benchmarks/launcher.py).
    Software rendering also keeps Qt off OpenGL altogether, on X11 and on Wayland (cage, in
    production): it would otherwise open a GL context for the window's compositing that nothing
    draws with, and load Mesa (LLVM) for it, about 60 MB counted alone (see
    benchmarks/memory_breakdown.py). On Wayland an unknown buffer integration makes Qt use its
    documented fallback, shared memory (wl_shm) buffers, as for any software-drawn window."""
    env = {k: v for k, v in environ.items() if k not in _DEBUG_VARIABLES}
    flags = environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    kept = [f for f in flags if "remote-debugging" not in f and "inspect" not in f]
    if not environ.get("KIOSK_LAUNCHER_DEBUG"):
        kept.append("--log-level=3")
        env["QT_LOGGING_RULES"] = "js.*=false"
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join([*kept, "--lang=fr"])
    if environ.get("KIOSK_LAUNCHER_GPU") != "1":
        env["QT_QUICK_BACKEND"] = "software"
        env["QT_XCB_GL_INTEGRATION"] = "none"
        env["QT_WAYLAND_CLIENT_BUFFER_INTEGRATION"] = "none"
    return env


def _apply_engine_environment() -> None:
    env = engine_environment(os.environ)
    for name in set(os.environ) - set(env):
        del os.environ[name]
    os.environ.update(env)


def _screen() -> tuple[int, int, int, int]:
    from PyQt6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    geometry = app.primaryScreen().geometry()
    return geometry.x(), geometry.y(), geometry.width(), geometry.height()


def _stdin_is_pipe() -> bool:
    try:
        return stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def log_uncaught(kind: type[BaseException], _value: BaseException, tb) -> None:
    """A Qt callback (slot, signal handler) that raised: logged by exception type and where in
    our code, never its message (it could quote a URL or page text). Installed as
    sys.excepthook, it also keeps PyQt from aborting the window."""
    where = "?"
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__", "").startswith("launcher"):
            where = f"{tb.tb_frame.f_globals['__name__']}.{tb.tb_frame.f_code.co_name}"
        tb = tb.tb_next
    logging.getLogger("launcher").error("callback failed in %s: %s", where, kind.__name__)


def _setup_logging() -> None:
    """Our log lines go to stderr (the supervisor's journal); stdout carries only events."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    sys.excepthook = log_uncaught


def run(policy: Policy, home: str, session_dir: Path, windowed: bool = False,
        policy_path: Path | None = None, portal: str | None = None, kept: bool = False) -> int:
    """Show HOME in a locked-down window until it is closed, the session ends, or SIGTERM.

    kept: the window outlives sessions (the supervisor's choice, for a fast turnover): ending
    only reports `end_requested`, and the `clear` command starts the next session afresh."""
    paths = SessionPaths(Path(session_dir).resolve())
    apply_environment(paths)
    _apply_engine_environment()
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8")
    # Nothing but events may reach the parent's pipe: Python and native writes to stdout go to
    # stderr from now on.
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    _setup_logging()
    refusal = sandbox_refusal(os.geteuid(), os.environ)
    if refusal:
        logging.getLogger("launcher").error(refusal)
        return EXIT_ROOT_WITH_SANDBOX
    writer = EventWriter(out)
    live = LivePolicy(policy, [home_origin(home)], policy_path)
    gate = NavigationGate(live.allowlist())

    import webview

    from . import pywebview_hooks
    from . import window as kiosk_window

    options = window_options(_screen(), windowed)
    controller = kiosk_window.Controller(gate, writer, paths, home, options, live, portal, kept)
    webview.settings["OPEN_EXTERNAL_LINKS_IN_BROWSER"] = True  # our popup hook replaces it
    webview.settings["ALLOW_DOWNLOADS"] = False
    window = webview.create_window(TITLE, url=home, x=options.x, y=options.y, width=options.width,
                          height=options.height, frameless=options.frameless,
                          on_top=options.on_top, resizable=options.resizable,
                          fullscreen=options.fullscreen,
                          easy_drag=False, confirm_close=False, background_color="#FFFFFF")
    # Patched once pywebview imported its Qt backend, before it builds the window.
    window.events.initialized += lambda: pywebview_hooks.install(controller)
    signal.signal(signal.SIGTERM, lambda *_: controller.command_received.emit(_quit()))
    if _stdin_is_pipe():
        threading.Thread(target=read_commands, daemon=True, name="kiosk-stdin", args=(
            sys.stdin, controller.command_received.emit,
            lambda: controller.command_received.emit(_quit()))).start()
    # Off the record: a session's cookies, storage, cache and service workers live in memory only,
    # in a profile that `clear` destroys (no resident data on disk but downloads and prints).
    webview.start(gui="qt", debug=False, private_mode=True)
    out.flush()
    return 0


def _quit():
    from .protocol import Command

    return Command("quit")
