"""Serve the portal with waitress, in the foreground (production) or a background thread (tests)."""

from __future__ import annotations

import threading

from flask import Flask
from waitress.server import create_server

from . import MAX_BODY


class BackgroundServer:
    """A waitress server on 127.0.0.1 in a daemon thread; `with` stops it and frees the port."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0,
                 threads: int = 4) -> None:
        self._server = create_server(app, host=host, port=port, threads=threads,
                                     max_request_body_size=MAX_BODY * 4, ident="kiosk")
        self.url = f"http://{host}:{self._server.effective_port}"
        self._thread = threading.Thread(target=self._server.run, name="portal-waitress",
                                        daemon=True)

    def __enter__(self) -> BackgroundServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Finish running requests, close every socket (the loop ends when none is left), join."""
        self._server.task_dispatcher.shutdown()
        while self._server._map:  # the listening socket, open connections and the trigger
            for dispatcher in list(self._server._map.values()):
                dispatcher.close()
        self._thread.join(timeout=5)


def serve(app: Flask, host: str = "127.0.0.1", port: int = 8765, threads: int = 4) -> None:
    """Serve until interrupted (the supervisor runs this)."""
    create_server(app, host=host, port=port, threads=threads, max_request_body_size=MAX_BODY * 4,
                  ident="kiosk").run()
