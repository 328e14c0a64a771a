"""Fixtures for wipe tests (helpers live in wipe_fixtures.py)."""

from wipe_fixtures import layout, marker  # noqa: F401
