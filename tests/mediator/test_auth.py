from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from core.config import Config
from core.passwords import hash_password, verify_password
from core.throttle import Throttle, lock_delay
from kiosk.cli import cli

from .conftest import PASSWORD, login, post, token


def test_password_hash_is_salted_and_verifies_in_constant_time():
    first, second = hash_password("un mot de passe"), hash_password("un mot de passe")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert verify_password(first, "un mot de passe")
    assert not verify_password(first, "un mot de passE")
    assert not verify_password("garbage", "un mot de passe")
    assert not verify_password("scrypt$99999999$8$1$AA==$AA==", "x")  # absurd cost refused, no hang


def test_pages_need_login(client):
    for path in ("/mediateur/", "/mediateur/catalogue", "/mediateur/reglages", "/mediateur/journal",
                 "/mediateur/accompagne", "/mediateur/adresses-bloquees",
                 "/mediateur/catalogue/historique"):
        response = client.get(path)
        assert response.status_code == 302 \
            and "/mediateur/connexion" in response.headers["Location"]


def test_correct_password_logs_in_and_wrong_one_is_refused(client):
    refused = login(client, "wrong password")
    assert refused.status_code == 401
    assert "Mot de passe incorrect" in refused.get_data(as_text=True)
    assert client.get("/mediateur/").status_code == 302
    assert login(client).status_code == 303
    page = client.get("/mediateur/")
    assert page.status_code == 200 and "La borne" in page.get_data(as_text=True)


def test_lockout_grows_and_failures_are_shown_at_next_login(client, clock, state):
    for _ in range(3):
        assert login(client, "nope").status_code == 401
    assert lock_delay(3) == 5 and lock_delay(4) == 10 and lock_delay(5) == 20
    locked = login(client)  # even the right password is refused while locked
    assert locked.status_code == 403 and "Attendez" in locked.get_data(as_text=True)
    clock.advance(6)
    assert login(client, "nope").status_code == 401  # fourth failure: 10 s now
    clock.advance(6)
    assert login(client).status_code == 403
    clock.advance(5)
    assert login(client).status_code == 303
    page = client.get("/mediateur/").get_data(as_text=True)
    assert "4 essais de connexion ont échoué" in page
    # shown once
    assert "essais de connexion" not in client.get("/mediateur/").get_data(as_text=True)


def test_lockout_survives_a_restart(state, clock):
    throttle = Throttle(state / "mediator-login.json", clock=clock)
    for _ in range(3):
        throttle.attempt("mediator", lambda: False)
    # locked: not even checked, not counted
    assert throttle.attempt("mediator", lambda: True).locked
    clock.advance(5)
    throttle.attempt("mediator", lambda: False)
    again = Throttle(state / "mediator-login.json", clock=clock)
    assert again.wait_seconds("mediator") == 10
    assert json.loads((state / "mediator-login.json").read_text())["mediator"]["failures"] == 4


def test_no_password_set_refuses_every_login(client, state):
    Config(state).save()  # defaults: empty hash
    response = login(client, "")
    assert response.status_code == 401
    assert "kiosk mediator set-password" \
        in client.get("/mediateur/connexion").get_data(as_text=True)


def test_post_without_csrf_token_is_refused(mediator):
    assert mediator.post("/mediateur/deconnexion").status_code == 400
    assert mediator.post("/mediateur/terminer", data={"csrf_token": "forged"}).status_code == 400
    assert mediator.post("/mediateur/catalogue/sites/nouveau",
                         data={"name": "x"}).status_code == 400
    assert mediator.get("/mediateur/").status_code == 200  # still logged in: nothing happened


def test_login_form_itself_needs_the_token(client):
    assert client.post("/mediateur/connexion", data={"password": PASSWORD}).status_code == 400


def test_csrf_token_changes_at_login(client):
    before = token(client)
    login(client)
    assert token(client, "/mediateur/") != before


def test_logout_ends_the_login(mediator):
    assert post(mediator, "/mediateur/deconnexion").status_code == 303
    assert mediator.get("/mediateur/").status_code == 302


def test_idle_lifetime_logs_out(mediator, clock):
    clock.advance(14 * 60)
    assert mediator.get("/mediateur/").status_code == 200
    clock.advance(14 * 60)  # activity refreshed the lifetime
    assert mediator.get("/mediateur/").status_code == 200
    clock.advance(16 * 60)
    assert mediator.get("/mediateur/").status_code == 302


def test_session_cookie_is_httponly_and_samesite_strict(client):
    response = login(client)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Expires=" in cookie


def test_starting_a_resident_session_logs_the_mediator_out(mediator, port):
    port.request_start()
    assert mediator.get("/mediateur/").status_code == 302


def test_login_during_a_session_lasts_until_the_next_session(client, port):
    port.request_start()
    login(client)
    assert client.get("/mediateur/").status_code == 200
    port.finish("user")
    assert client.get("/mediateur/").status_code == 200
    port.request_start()
    assert client.get("/mediateur/").status_code == 302


def test_network_clients_are_refused_unless_enabled(client, state):
    remote = {"REMOTE_ADDR": "192.168.1.20"}
    assert client.get("/mediateur/connexion", environ_base=remote).status_code == 403
    assert client.get("/", environ_base=remote).status_code == 200  # only the mediator area
    config = Config.load(state)
    config.set("mediator_network_access", "true")
    config.save()
    assert client.get("/mediateur/connexion", environ_base=remote).status_code == 200


def test_loopback_ipv6_is_local(client):
    assert client.get("/mediateur/connexion",
                      environ_base={"REMOTE_ADDR": "::1"}).status_code == 200


def test_open_redirect_after_login_is_refused(client):
    response = client.post("/mediateur/connexion",
                           data={"password": PASSWORD, "csrf_token": token(client),
                                                         "next": "//evil.example/"})
    assert response.headers["Location"].endswith("/mediateur/")


@pytest.mark.parametrize("target", ["/mediateur/\r\nSet-Cookie: x=1", "/mediateur/\t/x",
                                    "/mediateur/\u00e9t\u00e9"])
def test_a_return_address_with_control_or_other_characters_goes_to_the_status_page(client,
                                                                                  target):
    response = client.post("/mediateur/connexion",
                           data={"password": PASSWORD, "csrf_token": token(client),
                                 "next": target})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/mediateur/")
    assert "Set-Cookie: x" not in str(response.headers)


def test_set_password_command_stores_only_a_hash(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["mediator", "set-password", "--state-dir", str(tmp_path)],
                           input="un secret solide\nun secret solide\n")
    assert result.exit_code == 0, result.output
    stored = Config.load(tmp_path)["admin_password_hash"]
    assert verify_password(stored, "un secret solide")
    assert "un secret solide" not in (tmp_path / "config.toml").read_text()
    show = runner.invoke(cli, ["config", "show", "--state-dir", str(tmp_path)])
    assert "(set)" in show.output and "scrypt" not in show.output


def test_set_password_refuses_mismatch_and_short_passwords(tmp_path):
    runner = CliRunner()
    mismatch = runner.invoke(cli, ["mediator", "set-password", "--state-dir", str(tmp_path)],
                             input="un secret solide\nun autre secret\n")
    assert mismatch.exit_code != 0 and "pas identiques" in mismatch.output
    short = runner.invoke(cli, ["mediator", "set-password", "--state-dir", str(tmp_path),
                                "--password-stdin"],
                          input="court\n")
    assert short.exit_code != 0 and "au moins" in short.output
    assert not (tmp_path / "config.toml").exists()


def test_set_password_from_stdin(tmp_path):
    result = CliRunner().invoke(cli, ["mediator", "set-password", "--state-dir", str(tmp_path),
                                      "--password-stdin"], input="depuis un script\n")
    assert result.exit_code == 0
    assert verify_password(Config.load(tmp_path)["admin_password_hash"], "depuis un script")


def test_concurrent_guesses_cannot_slip_past_the_lockout(state, clock):
    import threading

    from core.throttle import FREE_FAILURES
    checked = []

    def guess():
        # one per request, as in the app
        throttle = Throttle(state / "mediator-login.json", clock=clock)
        throttle.attempt("mediator", lambda: checked.append(1) or False)

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == FREE_FAILURES  # then locked: the others were refused unchecked


def test_throttle_forgets_the_oldest_names_first(state, clock, monkeypatch):
    import core.throttle
    monkeypatch.setattr(core.throttle, "MAX_ACCOUNTS", 3)
    throttle = Throttle(state / "t.json", clock=clock)
    for name in ("zoe", "adam", "marc", "bob"):
        throttle.attempt(name, lambda: False)
    assert list(json.loads((state / "t.json").read_text())) == ["adam", "marc", "bob"]


def test_failed_attempts_are_shown_on_the_page_the_login_leads_to(client):
    login(client, "nope")
    response = client.post("/mediateur/connexion",
                           data={"password": PASSWORD, "csrf_token": token(client),
                                                         "next": "/mediateur/catalogue"})
    assert response.headers["Location"].endswith("/mediateur/catalogue")
    assert "1 essai de connexion a échoué" \
        in client.get("/mediateur/catalogue").get_data(as_text=True)


def test_login_on_the_terminal_during_a_session_closes_after_two_idle_minutes(client, port, clock):
    port.request_start()
    login(client)
    clock.advance(100)
    assert client.get("/mediateur/").status_code == 200
    clock.advance(121)
    assert client.get("/mediateur/").status_code == 302


def test_without_a_secrets_keeper_wired_in_the_area_fails_closed(state, tmp_path):
    """The portal alone (no kiosk wiring) checks no password: a plain 503 page, never a login."""
    from portal import create_app

    app = create_app({"TESTING": True, "MEDIATOR_STATE_DIR": str(state),
                      "PORTAL_DOCUMENTS_DIR": str(tmp_path / "docs")})
    client = app.test_client()
    refused = client.get("/mediateur/connexion")
    assert refused.status_code == 503 and 'name="password"' not in refused.get_data(as_text=True)
    assert client.get("/mediateur/").status_code in (302, 303, 503)


def test_a_long_lockout_is_said_in_minutes_a_mediator_can_read(client, clock):
    """At the one cap (1 h) the page said "Attendez 3600 secondes"."""
    failures = 0
    while lock_delay(failures) < 3600:
        clock.advance(lock_delay(failures) + 1)
        assert login(client, "nope").status_code == 401
        failures += 1
    text = login(client).get_data(as_text=True)
    assert "Attendez 60 minutes avant de réessayer" in text and "3600" not in text
    clock.advance(3600 - 150)
    assert "Attendez 3 minutes" in login(client).get_data(as_text=True)
    clock.advance(120)
    assert "Attendez 30 secondes" in login(client).get_data(as_text=True)
    clock.advance(31)
    assert login(client).status_code == 303
