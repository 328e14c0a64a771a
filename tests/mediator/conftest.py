from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.config import Config
from core.passwords import hash_password
from kiosk.portal_wiring import mediator_config
from portal import create_app

PASSWORD = "correct horse battery"
_HASH = hash_password(PASSWORD)
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Clock:
    """Wall time the tests move forward by hand (lockout delays, idle lifetime)."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Blocked:
    """In-memory stand-in for the counters store's blocked-hosts query."""

    def __init__(self):
        self.rows: list[tuple] = []

    def __call__(self):
        return list(self.rows)


def mediator_state(path: Path) -> Path:
    """A state directory whose mediator password is PASSWORD."""
    path.mkdir(exist_ok=True)
    config = Config(path)
    config.set("admin_password_hash", _HASH)
    config.save()
    return path


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return mediator_state(tmp_path / "state")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def blocked() -> Blocked:
    return Blocked()


@pytest.fixture
def app(state: Path, tmp_path: Path, clock: Clock, blocked: Blocked):
    return create_app({"TESTING": True, **mediator_config(state), "PORTAL_SECRET": "test",
                       "PORTAL_DOCUMENTS_DIR": str(tmp_path / "docs"), "AUTH_CLOCK": clock,
                       "MEDIATOR_BLOCKED_HOSTS": blocked})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def port(app):
    return app.extensions["kiosk_session"]


def token(client, path: str = "/mediateur/connexion") -> str:
    """The CSRF token this client's session gets on a mediator page."""
    page = client.get(path)
    match = _TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def login(client, password: str = PASSWORD):
    return client.post("/mediateur/connexion",
                       data={"password": password, "csrf_token": token(client)})


def post(client, path: str, data: dict | None = None, **kwargs):
    """POST a mediator form with this session's token."""
    return client.post(path,
                       data={**(data or {}), "csrf_token": token(client, "/mediateur/")}, **kwargs)


@pytest.fixture
def mediator(client):
    """A client logged in as the mediator."""
    response = login(client)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client
