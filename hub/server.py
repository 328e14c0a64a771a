"""The hub's waitress server: the body cap sits near the app's own limit, so an oversized
request is refused from its headers instead of being read (and spooled to disk) first."""

from __future__ import annotations

import threading

from flask import Flask
from waitress.server import create_server

from . import MAX_REPORT_BYTES

# Forms and reports are far below this; waitress answers 413 itself above it.
MAX_BODY_BYTES = 2 * MAX_REPORT_BYTES


def hub_server(app: Flask, host: str = "127.0.0.1", port: int = 8800, threads: int = 8):
    """A waitress server for the hub (call `.run()`); port 0 picks a free one."""
    return create_server(app, host=host, port=port, threads=threads,
                         max_request_body_size=MAX_BODY_BYTES, ident="kiosk-hub")


class BackgroundHub:
    """The hub served on 127.0.0.1 in a daemon thread (tests); `with` stops it."""

    def __init__(self, app: Flask, threads: int = 8) -> None:
        self._server = hub_server(app, port=0, threads=threads)
        self.url = f"http://127.0.0.1:{self._server.effective_port}"
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="hub-waitress", daemon=True)

    def _run(self) -> None:
        try:
            self._server.run()
        except OSError:
            if not self._closing:  # closing the sockets under select() is expected, not else
                raise

    def __enter__(self) -> BackgroundHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing = True
        self._server.task_dispatcher.shutdown()
        while self._server._map:
            for dispatcher in list(self._server._map.values()):
                dispatcher.close()
        self._thread.join(timeout=5)
