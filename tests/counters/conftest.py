"""Fixtures for the counters tests: a state dir holding the default catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.counters import CounterStore
from policies import default_policy_path, load_policy


@pytest.fixture
def state(tmp_path: Path) -> Path:
    """A state dir with the default policy installed, as on a real terminal."""
    directory = tmp_path / "state"
    directory.mkdir()
    shutil.copy(default_policy_path(), directory / "policy.toml")
    (directory / "session").mkdir()
    return directory


@pytest.fixture
def policy():
    return load_policy(default_policy_path())


@pytest.fixture
def store(state: Path, policy):
    counters = CounterStore(state, policy)
    yield counters
    counters.close()
