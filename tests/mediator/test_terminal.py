from __future__ import annotations

from core.events import Event
from portal.mediator.terminal_views import unlocked_allows

from .conftest import PASSWORD, post


def test_status_shows_state_and_elapsed_time_only(client, port):
    mediator = _active(client, port)
    port.request_help()
    page = mediator.get("/mediateur/").get_data(as_text=True)
    assert "Session en cours" in page and 'id="elapsed"' in page
    assert "une personne demande de l&#39;aide" in page
    assert "Terminer la session maintenant" in page


def test_status_between_sessions_has_no_end_button(mediator):
    page = mediator.get("/mediateur/").get_data(as_text=True)
    assert "En attente" in page and "Terminer la session maintenant" not in page


def test_end_session_now_uses_reason_mediator(client, port):
    from .conftest import login
    port.request_start()
    login(client)
    response = post(client, "/mediateur/terminer")
    assert response.status_code == 303 and "ended" in response.headers["Location"]
    assert port.state() == "welcome"
    assert Event("session_ended", detail="mediator") in port.sink.events
    page = client.get("/mediateur/").get_data(as_text=True)
    assert "vérifié, propre" in page


def test_end_without_session_says_so(mediator, port):
    response = post(mediator, "/mediateur/terminer")
    assert "no_session" in response.headers["Location"] and port.state() == "welcome"


def _active(client, port):
    from .conftest import login
    port.request_start()
    login(client)
    return client


def test_accompanied_unlock_of_a_typed_host_needs_the_password_again(client, port):
    _active(client, port)
    wrong = post(client, "/mediateur/accompagne", {"host": "mairie-exemple.fr", "password": "nope"})
    assert wrong.status_code == 400 and "Mot de passe incorrect" in wrong.get_data(as_text=True)
    assert port.unlocked_site() is None
    ok = post(client, "/mediateur/accompagne", {"host": "mairie-exemple.fr", "password": PASSWORD})
    assert ok.status_code == 303 \
        and ok.headers["Location"].endswith("/mediateur/connexion?message=unlocked")
    assert client.get("/mediateur/").status_code == 302  # the resident gets the keyboard back
    assert "la personne peut reprendre la borne" \
        in client.get(ok.headers["Location"]).get_data(as_text=True)
    assert unlocked_allows(port, "https://mairie-exemple.fr/etat-civil")
    assert not unlocked_allows(port, "https://autre.fr/")
    assert Event("accompanied_unlock", site_id="accompagne") in port.sink.events


def test_accompanied_unlock_of_a_catalogue_site(client, port):
    _active(client, port)
    assert post(client, "/mediateur/accompagne",
                {"site": "caf", "password": PASSWORD}).status_code == 303
    assert port.unlocked_site()[0] == "caf"
    assert Event("accompanied_unlock", site_id="caf") in port.sink.events


def test_accompanied_unlock_is_revoked_when_the_session_ends(client, port):
    _active(client, port)
    post(client, "/mediateur/accompagne", {"host": "mairie-exemple.fr", "password": PASSWORD})
    port.finish("user")
    assert port.unlocked_site() is None
    assert not unlocked_allows(port, "https://mairie-exemple.fr/")


def test_accompanied_unlock_refuses_bad_hosts_and_no_session(client, port, mediator):
    bad_session = post(mediator, "/mediateur/accompagne",
                       {"host": "mairie-exemple.fr", "password": PASSWORD})
    assert bad_session.status_code == 400 and "Aucune session" in bad_session.get_data(as_text=True)
    _active(client, port)
    bad = post(client, "/mediateur/accompagne",
               {"host": "https://mairie exemple", "password": PASSWORD})
    assert bad.status_code == 400 and "Adresse refusée" in bad.get_data(as_text=True)
    none = post(client, "/mediateur/accompagne", {"password": PASSWORD})
    assert none.status_code == 400 and "Choisissez un site" in none.get_data(as_text=True)
    assert port.unlocked_site() is None


def test_audit_log_records_actions_without_resident_data(client, port, state):
    from .conftest import login
    port.request_start()
    port.set_language("ar")
    login(client)
    post(client, "/mediateur/catalogue/sites/caf/supprimer")
    post(client, "/mediateur/accompagne", {"host": "mairie-exemple.fr", "password": PASSWORD})
    login(client)  # an unlock on the terminal logs the mediator out
    post(client, "/mediateur/terminer")
    login(client)  # the end of the session too
    page = client.get("/mediateur/journal").get_data(as_text=True)
    for action in ("login", "site_removed", "accompanied_unlock", "session_ended"):
        assert action in page
    log = (state / "audit.log").read_text()
    assert "site caf" in log and '"ar"' not in log and "language" not in log


def test_blocked_hosts_view_and_add_to_site_in_one_click(mediator, blocked, state):
    blocked.rows = [("static.caf-cdn.fr", 12, "caf", "2026-11-24"), ("pub.example", 3)]
    page = mediator.get("/mediateur/adresses-bloquees").get_data(as_text=True)
    assert "static.caf-cdn.fr" in page and "12" in page and "2026-11-24" in page
    assert page.count('name="site_id" value="caf"') == 1  # one click: the site is known
    assert page.count('<select id="site-2" name="site_id">') == 1  # unknown site: pick one
    response = post(mediator, "/mediateur/adresses-bloquees/ajouter",
                    {"site_id": "caf", "host": "static.caf-cdn.fr"})
    assert response.status_code == 303
    from policies import load_policy
    assert "static.caf-cdn.fr" \
        in [h.text for h in load_policy(state / "policy.toml").site("caf").hosts]


def test_blocked_hosts_add_refuses_bad_input(mediator, state):
    gone = post(mediator, "/mediateur/adresses-bloquees/ajouter",
                {"site_id": "nope", "host": "x.fr"})
    assert gone.status_code == 400 and "n&#39;existe plus" in gone.get_data(as_text=True)
    bad = post(mediator, "/mediateur/adresses-bloquees/ajouter",
               {"site_id": "caf", "host": "not a host"})
    assert bad.status_code == 400 and "Adresse refusée" in bad.get_data(as_text=True)
    assert not (state / "policy.toml").exists()


def test_blocked_hosts_default_provider_is_empty(state, tmp_path):
    from kiosk.portal_wiring import mediator_config
    from portal import create_app

    from .conftest import login
    app = create_app({"TESTING": True, **mediator_config(state),
                      "PORTAL_DOCUMENTS_DIR": str(tmp_path)})
    client = app.test_client()
    login(client)
    assert "Aucune adresse bloquée" \
        in client.get("/mediateur/adresses-bloquees").get_data(as_text=True)


def test_saving_tells_the_session_port_and_logout_lets_it_refresh(state, tmp_path):
    from kiosk.portal_wiring import mediator_config
    from portal import create_app
    from portal.session import MemorySession

    from .conftest import login

    class Recording(MemorySession):
        calls: list[str] = []

        def policy_changed(self):
            self.calls.append("policy_changed")

        def mediator_left(self):
            self.calls.append("mediator_left")

    port = Recording(tmp_path)
    app = create_app({"TESTING": True, **mediator_config(state), "PORTAL_SESSION": port})
    client = app.test_client()
    login(client)
    post(client, "/mediateur/catalogue/sites/caf/supprimer")
    post(client, "/mediateur/deconnexion")
    assert port.calls == ["policy_changed", "mediator_left"]


def test_accompanied_unlock_from_the_network_keeps_the_mediator_logged_in(client, port, state):
    from core.config import Config

    from .conftest import login
    config = Config.load(state)
    config.set("mediator_network_access", "true")
    config.save()
    client.environ_base["REMOTE_ADDR"] = "192.168.1.20"
    port.request_start()
    login(client)
    ok = post(client, "/mediateur/accompagne", {"site": "caf", "password": PASSWORD})
    assert ok.status_code == 303 and "message=unlocked" in ok.headers["Location"]
    assert client.get("/mediateur/accompagne").status_code == 200


def test_accompanied_password_guesses_share_the_login_lockout(client, port):
    _active(client, port)
    for _ in range(3):
        post(client, "/mediateur/accompagne", {"site": "caf", "password": "nope"})
    locked = post(client, "/mediateur/accompagne", {"site": "caf", "password": PASSWORD})
    assert locked.status_code == 400 and "Attendez" in locked.get_data(as_text=True)
    assert port.unlocked_site() is None
