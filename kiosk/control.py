"""`kiosk session status|end`: a Unix socket in the state dir, 0600, so only root and the kiosk
user can talk to the running supervisor."""

from __future__ import annotations

import json
import os
import socket
import socketserver
import threading
from collections.abc import Callable
from pathlib import Path

SOCKET_NAME = "control.sock"
MAX_REQUEST = 4096


class ControlServer:
    """Answers one JSON request per connection with `handler(request) -> dict`."""

    def __init__(self, state_dir: Path, handler: Callable[[dict], dict]):
        self.path = Path(state_dir) / SOCKET_NAME
        self.path.unlink(missing_ok=True)

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                line = self.rfile.readline(MAX_REQUEST)
                try:
                    request = json.loads(line)
                    reply = handler(request) if isinstance(request, dict) \
                        else {"error": "bad request"}
                except ValueError:
                    reply = {"error": "bad request"}
                self.wfile.write((json.dumps(reply) + "\n").encode())

        old_umask = os.umask(0o177)  # the socket is created 0600, with no window for others
        try:
            self.server = socketserver.ThreadingUnixStreamServer(str(self.path), Handler)
        finally:
            os.umask(old_umask)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True,
                                        name="control")

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.path.unlink(missing_ok=True)


def request(state_dir: Path, command: dict, timeout: float = 30.0) -> dict:
    """Send one command to the running supervisor; OSError when none is running."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        client.connect(str(Path(state_dir) / SOCKET_NAME))
        client.sendall((json.dumps(command) + "\n").encode())
        data = b""
        while not data.endswith(b"\n"):
            chunk = client.recv(65536)
            if not chunk:
                break
            data += chunk
    return json.loads(data)
