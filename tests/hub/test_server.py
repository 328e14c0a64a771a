"""`kiosk hub` starts a real server (waitress) that answers on loopback."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.hub.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def kiosk_hub(*options: str, cwd: Path = ROOT, env: dict | None = None,
              attempts: int = 100) -> Iterator[str]:
    """Run `kiosk hub` on a free port; yields its login page (empty if it never answered
    within `attempts` tenths of a second), stops it on leaving."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kiosk", "hub", *options,
                                "--port", str(port)], cwd=cwd, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        body = ""
        for _ in range(attempts):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as page:
                    body = page.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        yield body
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_kiosk_hub_serves_the_login_page(tmp_path):
    with kiosk_hub("--database", f"sqlite:///{tmp_path / 'h.db'}") as body:
        assert "Connexion" in body
        assert (tmp_path / "h.db").exists()
