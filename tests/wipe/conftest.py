"""Fixtures for wipe tests (helpers live in wipe_fixtures.py)."""

from pathlib import Path

import pytest
from wipe_fixtures import layout, marker  # noqa: F401

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    # watchdog warns (from its own thread) when a new directory races its recursive watch;
    # the scan covers that case, so this warning must not kill the observer thread.
    mark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(mark)
