"""Hub fixtures: a real throwaway PostgreSQL server on loopback, and hubs on both databases."""

from __future__ import annotations

import uuid

import pytest

from hub import create_hub_app
from hub.auth import set_password
from hub.enrolment import create_code
from hub.places import create_place, find_place
from kiosk.identity import public_key_b64, sign_report
from tests.hub.pgserver import PostgresServer, PostgresUnavailable

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def postgres_server():
    """A real server on 127.0.0.1 for the whole run; a failure to start fails the tests."""
    try:
        server = PostgresServer()
        url = server.start()
    except PostgresUnavailable as exc:
        pytest.fail(f"could not start a PostgreSQL server for the hub tests: {exc}")
    yield url
    server.stop()


def _reset_postgres(url: str) -> None:
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty hub database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    url = request.getfixturevalue("postgres_server")
    _reset_postgres(url)
    return url


@pytest.fixture
def app(database_url):
    hub = create_hub_app(database_url, {"TESTING": True})
    yield hub
    hub.extensions["hub_db"].close_all()


@pytest.fixture
def db(app):
    return app.extensions["hub_db"]


@pytest.fixture
def client(app):
    return app.test_client()


def code_for(db, association: str) -> str:
    """An enrolment code for this association, registered first if it is not yet."""
    if find_place(db, association) is None:
        create_place(db, "test", {"name": association})
    return create_code(db, association)


def figures(sessions: int = 5) -> dict:
    """A valid figures block, as kiosk.export.figures_for produces."""
    from core import counters as c
    from core.events import END_REASONS

    def zeros(keys):
        return dict.fromkeys(keys, 0)

    return {
        "sessions_started": sessions,
        "sessions_ended": {**zeros(END_REASONS), "user": sessions},
        "duration": {**zeros(c.DURATION_BANDS), "10_30": sessions},
        "start_hour": {**zeros(c.HOUR_BANDS), "9_12": sessions},
        "tile_thematic": {**zeros(c.THEMATICS + (c.OTHER,)), "famille_scolarite": sessions},
        "tile_site": {"caf": sessions},
        "navigation_refused": 1,
        "download": zeros(c.DOWNLOAD_OUTCOMES),
        "print": zeros(c.PRINT_OUTCOMES),
        "language": {"fr": sessions},
        "help_requested": 0,
        "accompanied_unlock": 0,
    }


class Terminal:
    """A terminal's identity and a way to sign reports, as kiosk.export does."""

    def __init__(self, association: str = "Centre social Bastide"):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        self.key = Ed25519PrivateKey.generate()
        self.id = str(uuid.uuid4())
        self.association = association
        self.version = 0

    def enrol(self, client, db, association: str | None = None) -> None:
        code = code_for(db, association or self.association)
        answer = client.post("/api/enrol", json={
            "terminal_id": self.id, "public_key": public_key_b64(self.key),
            "association": self.association, "code": code})
        assert answer.status_code == 201, answer.json

    def report(self, month: str = "2026-03", sessions: int = 5, version: int | None = None,
               **changes) -> dict:
        self.version = version if version is not None else self.version + 1
        body = {"schema_version": 1, "association": self.association, "terminal_id": self.id,
                "month": month, "version": self.version,
                "generated_at": "2026-04-01T00:00:00+00:00", "figures": figures(sessions)}
        body.update(changes)
        return sign_report(body, self.key)

    def send(self, client, month: str, sessions: int, **changes) -> None:
        """Post one signed report for this month; the hub must take it."""
        answer = client.post("/api/reports", json=self.report(month=month, sessions=sessions,
                                                              **changes))
        assert answer.status_code == 201, answer.json


@pytest.fixture
def terminal(client, db) -> Terminal:
    enrolled = Terminal()
    enrolled.enrol(client, db)
    return enrolled


@pytest.fixture
def staff(db):
    set_password(db, "financeur", PASSWORD)
    return "financeur"
