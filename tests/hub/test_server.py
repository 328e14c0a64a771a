"""`kiosk hub` starts a real server (waitress) that answers on loopback."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.hub.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_kiosk_hub_serves_the_login_page(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "hub", "--database", f"sqlite:///{tmp_path / 'h.db'}",
         "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as page:
                    body = page.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert "Connexion" in body
        assert (tmp_path / "h.db").exists()
    finally:
        process.terminate()
        process.wait(timeout=30)
