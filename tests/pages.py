"""A Chromium page that fails its test on any script error or CSP violation."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def watched_page(browser, *, failed_loads_expected: bool = False) -> Iterator:
    """A fresh 1280x900 page; on leaving, no page error and no console error may have been seen
    (`failed_loads_expected`: error pages visited on purpose log "Failed to load resource")."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(str(exc)))
    tab.on("console", lambda msg: problems.append(msg.text) if msg.type == "error"
           and "favicon" not in msg.location.get("url", "")
           and not (failed_loads_expected and msg.text.startswith("Failed to load resource"))
           else None)
    yield tab
    context.close()
    assert problems == [], problems  # no script error, no CSP violation
