"""The exports name sites from the shipped catalogue; when it cannot load, they say so."""

from __future__ import annotations

import logging

import kiosk  # noqa: F401 - the wiring floor hands the shipped catalogue to core.spreadsheets
import policies
from core import spreadsheets


def test_an_unloadable_catalogue_is_logged_by_kind_and_site_ids_stay(monkeypatch, caplog,
                                                                     tmp_path):
    broken = tmp_path / "policy.toml"
    broken.write_text("version = [\n")
    monkeypatch.setattr(policies, "default_policy_path", lambda: broken)
    spreadsheets.catalogue.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="core.spreadsheets"):
            assert spreadsheets.site_label("caf") == "caf"
        assert "PolicyError" in caplog.text and str(broken) not in caplog.text
    finally:
        monkeypatch.undo()
        spreadsheets.catalogue.cache_clear()
    assert spreadsheets.site_label("caf") == "CAF"  # the shipped catalogue names it again
