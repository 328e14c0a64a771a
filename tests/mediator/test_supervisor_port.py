"""The mediator's needs from the real supervisor, through SupervisorPort (no launcher started)."""

from __future__ import annotations

from core.events import Event, ListSink
from kiosk.portal_port import SupervisorPort
from kiosk.supervisor import Supervisor


def test_supervisor_port_gives_status_marker_unlock_and_end(tmp_path):
    sink = ListSink()
    supervisor = Supervisor(tmp_path, sinks=[sink])
    port = SupervisorPort(supervisor)
    assert port.terminal_status()["state"] == "welcome"
    assert port.session_marker() is None
    assert port.unlock_site("caf", ("caf.fr",)) is False
    supervisor._begin()  # what the loop does on "Commencer"
    marker = port.session_marker()
    assert marker is not None and port.terminal_status()["elapsed_seconds"] == 0
    assert port.unlock_site("accompagne", ("mairie.fr",)) is True
    assert port.unlocked_site() == ("accompagne", ("mairie.fr",))
    assert Event("accompanied_unlock", site_id="accompagne") in sink.events
    port.end_now()
    assert supervisor._requests.get_nowait() == ("end", "mediator")
    supervisor.state, supervisor._started_at = "welcome", None  # the wipe happened
    assert port.unlocked_site() is None
    supervisor._begin()
    assert port.session_marker() != marker and port.unlocked_site() is None


def test_new_catalogue_restarts_the_window_at_logout_between_sessions_only(tmp_path):
    supervisor = Supervisor(tmp_path)
    port = SupervisorPort(supervisor)
    port.mediator_left()
    assert supervisor._requests.empty()  # nothing changed: no restart
    port.policy_changed()
    supervisor._begin()
    port.mediator_left()
    assert supervisor._requests.empty()  # a resident is there: never interrupted
    supervisor.state = "welcome"
    port.mediator_left()
    assert supervisor._requests.get_nowait() == ("end", "mediator")
    port.mediator_left()
    assert supervisor._requests.empty()


def test_runtime_portal_edits_the_supervisors_own_store(tmp_path):
    from core.config import Config
    from core.passwords import hash_password
    from kiosk.runtime import _portal_app

    from .conftest import PASSWORD, login, post

    config = Config(tmp_path)
    config.set("admin_password_hash", hash_password(PASSWORD))
    config.save()
    supervisor = Supervisor(tmp_path)  # installs the default catalogue on first start
    client = _portal_app(supervisor).test_client()
    assert login(client).status_code == 303
    response = post(client, "/mediateur/catalogue/sites/nouveau",
                    {"name": "Mairie", "category": "famille_scolarite", "url": "https://mairie.example.fr/",
                     "hosts": "mairie.example.fr"})
    assert response.status_code == 303
    assert supervisor.store.current.site("mairie") is not None
    assert "Mairie" in client.get("/accueil").get_data(as_text=True)
    assert len(supervisor.store.history()) == 1  # the shipped catalogue, ready for rollback


def test_runtime_portal_shows_the_uploaded_logo_after_a_restart(tmp_path):
    from core.config import Config
    from kiosk.runtime import _portal_app

    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    config = Config(tmp_path)
    config.set("logo", "logo.png")
    config.save()
    app = _portal_app(Supervisor(tmp_path))
    assert app.extensions["kiosk_settings"].current().logo == tmp_path / "logo.png"


def test_runtime_portal_shows_the_stores_policy_with_no_copy_of_its_own(tmp_path):
    """A catalogue changed behind the portal's back (`kiosk policy rollback`, a reload) is what
    the resident pages show next: the portal asks the supervisor's store every time."""
    from kiosk.runtime import _portal_app

    supervisor = Supervisor(tmp_path)
    client = _portal_app(supervisor).test_client()
    assert "CAF" in client.get("/accueil").get_data(as_text=True)
    text = supervisor.store.path.read_text()
    supervisor.store.save(text.replace('name = "CAF"', 'name = "Caisse des allocations"', 1)
                          .encode())
    page = client.get("/accueil").get_data(as_text=True)
    assert "Caisse des allocations" in page
