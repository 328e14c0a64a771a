"""`kiosk secrets serve`: the secrets keeper for an installed terminal (run by its unit)."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

import click

from core.layout import state_dir as resolve_state_dir


@click.group()
def secrets() -> None:
    """The keeper of the mediator password hash and the signing keys."""


@secrets.command()
@click.option("--state-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="State directory (default /var/lib/kiosk or $KIOSK_STATE_DIR).")
@click.option("--socket", "socket_path", required=True, type=click.Path(path_type=Path),
              help="Unix socket to listen on (mode 0660: its group may ask).")
def serve(state_dir: Path | None, socket_path: Path) -> None:
    """Answer password checks and signature requests; never hand out a secret."""
    from kiosk.keeper import Keeper
    from kiosk.keeper_service import KeeperServer

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    server = KeeperServer(socket_path, Keeper(resolve_state_dir(state_dir)))
    stop = threading.Event()

    def shutdown(*_args) -> None:
        stop.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, shutdown)
    click.echo(f"kiosk secrets: listening on {socket_path}")
    try:
        server.serve_forever()
    finally:
        server.server_close()
        socket_path.unlink(missing_ok=True)
