"""The association's network reaches the mediator area only, and only when mediators enable it."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import psutil
import pytest

from kiosk.runtime import build_runtime
from kiosk.supervisor import Options
from tests.supervisor.conftest import free_port


def lan_address() -> str:
    """This machine's own non-loopback IPv4 address if it has one, else loopback."""
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family == socket.AF_INET and not address.address.startswith("127."):
                return address.address
    return "127.0.0.1"


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def runtime_with(tmp_path, network: bool):
    port = free_port()
    (tmp_path / "config.toml").write_text(
        f"portal_port = {port}\nmediator_network_access = {'true' if network else 'false'}\n")
    runtime = build_runtime(tmp_path, sinks=[], options=Options())
    runtime.start_servers()
    return runtime, port


def close(runtime) -> None:
    """Close what these tests started (the supervisor itself never ran)."""
    runtime.stop_servers()
    runtime.control.server.server_close()
    runtime.lock.release()


def test_off_by_default_nothing_listens_on_the_network(tmp_path):
    runtime, port = runtime_with(tmp_path, network=False)
    try:
        assert runtime.network_server is None
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(f"http://{lan_address()}:{port + 1}/mediateur/", timeout=5)
    finally:
        close(runtime)


def test_when_enabled_the_network_gets_the_mediator_area_and_nothing_else(tmp_path):
    runtime, port = runtime_with(tmp_path, network=True)
    base = f"http://{lan_address()}:{port + 1}"
    try:
        assert status(f"{base}/mediateur/connexion") == 200
        assert status(f"{base}/static/portal.css") == 200
        for resident_page in ("/", "/accueil", "/documents", "/api/state", "/fin"):
            assert status(base + resident_page) == 404, resident_page
    finally:
        close(runtime)
