"""Mediator logins live on the server: the cookie is a random id that logout, a password change and
the lifetimes end, and the keeper's grant never reaches the browser. Driven over real HTTP against
the portal served by waitress, with cookies copied from one client to another as an attacker
would."""

from __future__ import annotations

import pytest

from core.passwords import hash_password
from kiosk.keeper import KeeperError
from kiosk.keeper_service import keeper_for
from kiosk.portal_wiring import mediator_config
from portal import create_app

from .conftest import PASSWORD, login, post
from .live import Browser


@pytest.fixture
def live(state, tmp_path, clock):
    from portal.server import BackgroundServer

    app = create_app({**mediator_config(state), "PORTAL_SECRET": "test",
                      "PORTAL_DOCUMENTS_DIR": str(tmp_path / "docs"), "AUTH_CLOCK": clock})
    with BackgroundServer(app, threads=2) as server:
        yield app, server.url


def test_a_copied_cookie_is_worth_nothing_after_logout(live):
    _app, url = live
    mediator, thief = Browser(url), Browser(url)
    assert mediator.log_in() == 303
    mediator.copy_cookie_to(thief)
    assert thief.request("/mediateur/")[0] == 200  # a bearer token while the login lives
    token = mediator.token("/mediateur/")
    assert mediator.request("/mediateur/deconnexion", {"csrf_token": token})[0] == 303
    status, _page, location = thief.request("/mediateur/reglages")
    assert status == 302 and "/mediateur/connexion" in location
    # nor can the copy act (ending a resident's session, changing settings)
    status, _page, location = thief.request("/mediateur/terminer", {"csrf_token": token})
    assert status == 302 and "/mediateur/connexion" in location
    # the mediator logs in again and works as before
    assert mediator.log_in() == 303 and mediator.request("/mediateur/")[0] == 200


def test_the_keepers_grant_never_reaches_the_browser(live, state):
    app, url = live
    mediator = Browser(url)
    assert mediator.log_in() == 303
    grants = list(keeper_for(state)._grants)
    assert grants, "a login holds a grant on the server"
    raw = mediator.cookie().value
    decoded = app.session_interface.get_signing_serializer(app).loads(raw)
    assert not any(grant in raw or grant in str(decoded) for grant in grants)
    assert set(decoded) <= {"mediator_login", "csrf", "mediator_marker", "mediator_failures",
                            "_permanent"}


def test_a_password_change_ends_every_other_login_and_its_grant(app, state, clock):
    mine, other = app.test_client(), app.test_client()
    assert login(mine).status_code == 303 and login(other).status_code == 303
    keeper = keeper_for(state)
    old_grants = set(keeper._grants)
    assert len(old_grants) == 2
    new = "un tout nouveau mot de passe"
    assert post(mine, "/mediateur/mot-de-passe",
                {"current": PASSWORD, "new": new, "again": new}).status_code == 303
    assert other.get("/mediateur/").status_code == 302  # logged out
    assert mine.get("/mediateur/").status_code == 200   # the one who changed it stays
    for grant in old_grants:
        with pytest.raises(KeeperError, match="no_grant"):
            keeper.sign_policy(grant, b"version = 1\n")
    assert login(other, new).status_code == 303


def test_a_password_set_from_the_command_line_ends_the_logins(mediator, state):
    """`kiosk mediator set-password` writes the hash behind the portal's back: the logins made
    with the old password end at their next page."""
    from kiosk.keeper import Keeper

    assert mediator.get("/mediateur/").status_code == 200
    Keeper(state).write_hash(hash_password("mot de passe de l'administrateur"))
    assert mediator.get("/mediateur/").status_code == 302


def test_a_login_ends_after_its_absolute_lifetime_however_active(mediator, clock):
    from portal.auth import ABSOLUTE_SECONDS

    for _ in range(ABSOLUTE_SECONDS // 600 - 1):
        clock.advance(600)
        assert mediator.get("/mediateur/").status_code == 200
    clock.advance(601)
    assert mediator.get("/mediateur/").status_code == 302
    assert login(mediator).status_code == 303  # and a fresh login works
