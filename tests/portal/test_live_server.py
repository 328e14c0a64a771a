"""The portal under waitress: oversized and chunked bodies refused, nothing changed by them."""

from __future__ import annotations

import http.client
import socket

import pytest


def post(url: str, path: str, body, content_type: str, chunked: bool) -> int:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": content_type},
                     encode_chunked=chunked)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.mark.parametrize("content_type",
                         ["application/x-www-form-urlencoded", "application/octet-stream"])
def test_chunked_body_over_the_limit_is_refused(live_server, live_session, content_type):
    before = live_session.help_requested()
    chunks = iter([b"a=" + b"x" * 40_000] + [b"x" * 40_000] * 3)
    assert post(live_server, "/aide", chunks, content_type, chunked=True) == 413
    assert live_session.help_requested() == before


def test_large_body_is_refused_by_the_app(live_server, live_session):
    state = live_session.state()
    assert post(live_server, "/fin", b"x" * 100_000, "application/octet-stream",
                chunked=False) == 413
    assert live_session.state() == state


def test_huge_declared_body_is_refused_before_it_is_sent(live_server, live_session):
    """Waitress answers 413 from the headers alone: a client cannot make it buffer megabytes."""
    host, port = live_server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /fin HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                     b"Content-Length: 50000000\r\n\r\n")
        status_line = sock.makefile("rb").readline()
    assert status_line.split()[1] == b"413"
    assert live_session.state() == "active"
