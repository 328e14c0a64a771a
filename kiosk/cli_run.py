"""`kiosk run`, `kiosk demo` and `kiosk session status|end`."""

from __future__ import annotations

import logging
import os
import signal
import tempfile
import threading
from pathlib import Path

import click

from core.layout import state_dir as resolve_state_dir
from kiosk import control

_STATE = click.option("--state-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                      help="State directory (default /var/lib/kiosk or $KIOSK_STATE_DIR).")


DEMO_AS_ROOT = ("WARNING: kiosk demo is running as root, so the browser's sandbox is OFF for "
                "this demo (Chromium cannot run as root with it).\n"
                "  Fine to try kiosk; never for residents: a real terminal runs as the "
                "unprivileged kiosk user with the sandbox on (sudo ./install.sh).")


def serve(state: Path, windowed: bool, demo: bool = False) -> None:
    """Run the supervisor, its portal and its control socket until SIGTERM/SIGINT."""
    from kiosk.runlock import AlreadyRunning
    from kiosk.runtime import build_runtime
    from kiosk.supervisor import production_options

    options = production_options(windowed)
    if demo and os.geteuid() == 0:
        click.echo(DEMO_AS_ROOT, err=True)
        options.launcher_env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    try:
        runtime = build_runtime(state, windowed=windowed, options=options)
    except AlreadyRunning as exc:
        raise click.ClickException(str(exc)) from exc
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: (runtime.supervisor.stop(), stop.set()))
    try:
        runtime.run()
    finally:
        runtime.close()


@click.command()
@_STATE
@click.option("--windowed", is_flag=True,
              help="A normal window instead of full screen (debugging).")
def run(state_dir: Path | None, windowed: bool) -> None:
    """Production: supervisor, portal and launcher, sessions forever."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    serve(resolve_state_dir(state_dir), windowed)


@click.command()
@click.option("--state-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Throwaway state directory to use (default: a new temporary one).")
@click.option("--fullscreen", is_flag=True, help="Full screen like a real terminal.")
def demo(state_dir: Path | None, fullscreen: bool) -> None:
    """Try kiosk on this computer: the whole thing in a window, default catalogue,
    throwaway state."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as tmp:
        from core.config import Config

        state = state_dir or Path(tmp)
        port = Config.load(state)["portal_port"]
        click.echo(f"kiosk demo: state directory {state}\n"
                   f"  portal:  http://127.0.0.1:{port}/  (mediator page: /mediateur)\n"
                   f"  status:  kiosk session status --state-dir {state}\n"
                   f"  stop:    close the window's session, or press Ctrl+C here")
        serve(state, windowed=not fullscreen, demo=True)


@click.group()
def session() -> None:
    """Talk to the running supervisor (status, end)."""


@session.command()
@_STATE
def status(state_dir: Path | None) -> None:
    """Print the terminal's state (never what the resident does)."""
    reply = _ask(resolve_state_dir(state_dir), {"cmd": "status"})
    for key, value in reply.items():
        if key != "last_wipe":
            click.echo(f"{key}: {value}")
    wiped = reply.get("last_wipe")
    if wiped:
        click.echo(f"last wipe: {'verified clean' if wiped['ok'] else 'FAILED'} in "
                   f"{wiped['duration_s']:.2f} s")


@session.command()
@_STATE
def end(state_dir: Path | None) -> None:
    """End the current session now (reason: mediator) and wipe it."""
    reply = _ask(resolve_state_dir(state_dir), {"cmd": "end"})
    click.echo(f"session ended; terminal is now {reply.get('state')}")


def _ask(state: Path, command: dict) -> dict:
    try:
        reply = control.request(state, command)
    except OSError as exc:
        raise click.ClickException(
            f"no running kiosk found in {state} ({exc.strerror or exc})") from exc
    if "error" in reply:
        raise click.ClickException(reply["error"])
    return reply
