"""Live settings live in a store of their own (core.live_settings), not in the Flask config:
a change is seen by the next request, and pages served while it changes are never half old,
half new."""

from __future__ import annotations

import sys
import threading
import urllib.request

from core.config import Config
from core.live_settings import LiveSettings, Shown, logo_path
from kiosk.runtime import _portal_app
from kiosk.supervisor import Supervisor
from portal import create_app
from portal.server import BackgroundServer
from portal.session import MemorySession

ALPHA = {"association": "Maison Alpha", "languages": ("fr", "en")}
BETA = {"association": "Maison Beta", "languages": ("fr", "ar")}


def test_a_change_in_the_store_is_seen_by_the_next_request(tmp_path):
    store = LiveSettings(Shown(**ALPHA))
    client = create_app({"TESTING": True, "PORTAL_SESSION": MemorySession(tmp_path),
                         "PORTAL_SETTINGS": store}).test_client()
    assert "Maison Alpha" in client.get("/").get_data(as_text=True)
    store.update(**BETA)
    page = client.get("/").get_data(as_text=True)
    assert "Maison Beta" in page and 'value="ar"' in page and 'value="en"' not in page


def test_config_reloaded_by_the_supervisor_reaches_the_portal_pages(tmp_path):
    """`kiosk config set` writes config.toml; the supervisor reads it again before the next
    resident, and the portal it built shows the new name without a restart."""
    supervisor = Supervisor(tmp_path)
    client = _portal_app(supervisor).test_client()
    assert "Association" in client.get("/").get_data(as_text=True)
    config = Config.load(tmp_path)
    config.set("association_name", "Centre social des Aubiers")
    config.save()
    supervisor.reload_settings()
    assert "Centre social des Aubiers" in client.get("/").get_data(as_text=True)


def test_pages_served_while_settings_change_are_never_torn(tmp_path):
    """Four waitress threads serve the welcome page while the settings flip between two
    versions: every page shows one version's name with that version's languages."""
    store = LiveSettings(Shown(**ALPHA))
    app = create_app({"PORTAL_SESSION": MemorySession(tmp_path), "PORTAL_SETTINGS": store})
    stop, torn, seen = threading.Event(), [], {"Maison Alpha": 0, "Maison Beta": 0}

    def flip() -> None:
        while not stop.is_set():
            store.update(**BETA)
            store.update(**ALPHA)

    def read(url: str) -> None:
        for _ in range(60):
            with urllib.request.urlopen(url + "/", timeout=10) as response:
                page = response.read().decode()
            name = "Maison Alpha" if "Maison Alpha" in page else "Maison Beta"
            seen[name] += 1
            wanted, unwanted = ('value="en"', 'value="ar"') if name == "Maison Alpha" \
                else ('value="ar"', 'value="en"')
            if wanted not in page or unwanted in page:
                torn.append(name)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as possible: a torn read would show
    with BackgroundServer(app, threads=4) as server:
        writer = threading.Thread(target=flip, daemon=True)
        writer.start()
        readers = [threading.Thread(target=read, args=(server.url,)) for _ in range(4)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(120)
        stop.set()
        writer.join(10)
    sys.setswitchinterval(interval)
    assert torn == []
    assert seen["Maison Alpha"] and seen["Maison Beta"]  # it really changed while serving
    assert app.config["PORTAL_ASSOCIATION"] == "Espace numérique"  # never written while serving


def test_the_logo_rule_plain_file_of_the_state_dir(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / ".hidden.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "sub").mkdir()
    assert logo_path(tmp_path, "logo.png") == tmp_path / "logo.png"
    for refused in ("", None, ".hidden.png", "sub", "../logo.png", "sub/logo.png", "absent.png"):
        assert logo_path(tmp_path, refused) is None, refused
