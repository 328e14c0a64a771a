"""Serve the portal with waitress, in the foreground (production) or a background thread (tests)."""

from __future__ import annotations

import threading

from flask import Flask
from waitress.server import create_server

from .limits import UPLOAD_LIMIT, waitress_limits


class BackgroundServer:
    """A waitress server on 127.0.0.1 in a daemon thread; `with` stops it and frees the port."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0,
                 threads: int = 4) -> None:
        self._server = create_server(app, host=host, port=port, threads=threads,
                                     ident="kiosk", **waitress_limits(UPLOAD_LIMIT))
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
        stop(self._server, self._thread)


def stop(server, thread: threading.Thread | None = None, timeout: float = 5.0) -> None:
    """Stop a waitress server whose loop runs in `thread`. Its sockets are closed by the loop
    itself, through its trigger: closing them from another thread races the loop's select()
    (EBADF, an exception in the server thread)."""
    server.task_dispatcher.shutdown()
    if thread is not None and thread.is_alive():
        server.trigger.pull_trigger(lambda: _close_all(server))
        thread.join(timeout)
        if not thread.is_alive():
            return
    _close_all(server)


def _close_all(server) -> None:
    """The listening socket, open connections and the trigger: the loop ends when none is left."""
    while server._map:
        for dispatcher in list(server._map.values()):
            dispatcher.close()


def serve(app: Flask, host: str = "127.0.0.1", port: int = 8765, threads: int = 4) -> None:
    """Serve until interrupted (the supervisor runs this)."""
    create_server(app, host=host, port=port, threads=threads, ident="kiosk",
                  **waitress_limits(UPLOAD_LIMIT)).run()
