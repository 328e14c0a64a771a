"""Fixtures for the portal: a real app on a temporary downloads dir, an in-memory session."""

from __future__ import annotations

import pytest

from kiosk.events import ListSink
from portal import create_app
from portal.session import MemorySession


@pytest.fixture
def session(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    return MemorySession(downloads, sink=ListSink())


@pytest.fixture
def app(session):
    return create_app({"TESTING": True, "PORTAL_SESSION": session,
                       "PORTAL_ASSOCIATION": "Maison de quartier Test"})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def downloads(session):
    return session.documents_dir()


@pytest.fixture
def events(session):
    """The events the portal emitted, as a live list."""
    return session.sink.events
