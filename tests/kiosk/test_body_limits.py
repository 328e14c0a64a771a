"""Every terminal server refuses an oversized body as soon as it is announced, and the largest
upload a page accepts (the 512 KB logo) gets through each of them."""

from __future__ import annotations

import socket
import time

import pytest

from kiosk.portal_wiring import mediator_config
from portal import create_app
from portal.limits import LOGO_LIMIT, UPLOAD_LIMIT
from tests.mediator.conftest import mediator_state
from tests.mediator.live import Browser

from .test_network_gate import close, runtime_with

PNG = b"\x89PNG\r\n\x1a\n"


def announce(port: int, path: str, length: int) -> tuple[bytes, float]:
    """Send only the headers of a `length`-byte POST; the status line and how long it took."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: "
                     f"application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n"
                     .encode())
        try:
            first = conn.makefile("rb").readline()
        except TimeoutError:
            first = b""
    return first, time.monotonic() - start


def test_the_terminals_servers_refuse_a_huge_body_before_reading_it(tmp_path):
    """100 MB announced: the resident server and the network one answer 413 at once (before,
    waitress waited to buffer the whole body for Flask to refuse it)."""
    runtime, port = runtime_with(tmp_path, network=True)
    try:
        for server_port, path in ((port, "/aide"), (port + 1, "/mediateur/reglages/logo")):
            status, seconds = announce(server_port, path, 100 * 1024 * 1024)
            assert status.startswith(b"HTTP/1.1 413"), (server_port, status)
            assert seconds < 3
            assert announce(server_port, path, UPLOAD_LIMIT + 1)[0].startswith(b"HTTP/1.1 413")
    finally:
        close(runtime)


@pytest.fixture
def live_url(tmp_path):
    from portal.server import BackgroundServer

    state = mediator_state(tmp_path / "state")
    app = create_app({**mediator_config(state), "PORTAL_SECRET": "test",
                      "PORTAL_DOCUMENTS_DIR": str(tmp_path / "docs")})
    with BackgroundServer(app, threads=2) as server:
        yield server.url, state


def test_a_logo_just_under_the_limit_goes_through_the_server(live_url):
    """The page says 512 KB: the server's own cap must let such a logo reach it (it stopped at
    256 KB), and one byte more is refused by the page with its French message."""
    url, state = live_url
    mediator = Browser(url)
    assert mediator.log_in() == 303
    logo = PNG + b"\x00" * (LOGO_LIMIT - len(PNG))
    assert mediator.upload("/mediateur/reglages/logo", "logo", "logo.png", logo) == 303
    assert (state / "logo.png").read_bytes() == logo
    assert mediator.upload("/mediateur/reglages/logo", "logo", "big.png", logo + b"\x00") == 400
    assert mediator.request("/mediateur/reglages")[0] == 200
