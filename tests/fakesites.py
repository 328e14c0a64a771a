"""Fake web sites for tests: one threaded HTTP server on 127.0.0.1, virtual hosts by Host header.

Chromium resolves every `*.localhost` name to loopback, so `http://caf.localhost:PORT/` reaches
this server. Each request is logged (host, path, method, headers) so tests assert what reached
which host.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOSTS = ("portal.localhost", "caf.localhost", "franceconnect.localhost", "evil.localhost",
         "cdn.localhost", "ameli.localhost")


@dataclass(frozen=True)
class Response:
    body: bytes = b""
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)


@dataclass(frozen=True)
class LoggedRequest:
    host: str
    path: str
    method: str
    headers: dict[str, str]
    body: bytes = b""
    query: str = ""

    @property
    def dest(self) -> str:
        """Sec-Fetch-Dest: "document" for a main frame, "iframe", "image", "script"..."""
        return self.headers.get("sec-fetch-dest", "")


Handler = Callable[[LoggedRequest], Response]


@dataclass
class FakeSites:
    """Routes (host, path) to responses; keeps the request log."""

    port: int = 0
    routes: dict[tuple[str, str], Response | Handler] = field(default_factory=dict)
    log: list[LoggedRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def add(self, host: str, path: str, body: str | bytes | Handler = "", status: int = 200,
            content_type: str = "text/html; charset=utf-8", headers: dict | None = None) -> str:
        """Serve `body` at host+path (a callable gets the request); return the full URL."""
        if callable(body):
            self.routes[(host, path)] = body
        else:
            data = body.encode() if isinstance(body, str) else body
            extra = tuple((headers or {}).items())
            self.routes[(host, path)] = Response(data, status,
                                                 (("Content-Type", content_type),) + extra)
        return self.url(host, path)

    def page(self, host: str, path: str, html: str) -> str:
        return self.add(host, path, f"<!doctype html><meta charset=utf-8>{html}")

    def redirect(self, host: str, path: str, location: str, status: int = 302) -> str:
        return self.add(host, path, "", status=status, headers={"Location": location})

    def requests(self, host: str | None = None, path: str | None = None) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log
                    if (host is None or r.host == host) and (path is None or r.path == path)]

    def wait_for(self, host: str, path: str | None = None, timeout: float = 10.0,
                 count: int = 1) -> list[LoggedRequest]:
        """Poll the log until `count` matching requests arrived; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.requests(host, path)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no request to {host}{path or ''} within {timeout}s; "
                             f"log: {[(r.host, r.path) for r in self.requests()]}")

    def record(self, request: LoggedRequest) -> None:
        with self._lock:
            self.log.append(request)

    def respond(self, request: LoggedRequest) -> Response:
        route = self.routes.get((request.host, request.path))
        if route is None:
            return Response(b"not found", 404, (("Content-Type", "text/plain"),))
        return route(request) if callable(route) else route


def _handler_class(sites: FakeSites) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
            parts = urlsplit(self.path)
            request = LoggedRequest(host, parts.path, self.command,
                                    {k.lower(): v for k, v in self.headers.items()}, body,
                                    parts.query)
            sites.record(request)
            response = sites.respond(request)
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            if not any(name.lower() == "cache-control" for name, _ in response.headers):
                self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        do_GET = do_POST = do_HEAD = do_PUT = _serve  # noqa: N815

        def log_message(self, *_args) -> None:
            pass

    return _Handler


class FakeSitesServer:
    """Runs FakeSites in a daemon thread on 127.0.0.1 (a free port)."""

    def __init__(self) -> None:
        self.sites = FakeSites()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self.sites))
        self._server.daemon_threads = True
        self.sites.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeSites:
        self._thread.start()
        return self.sites

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()
