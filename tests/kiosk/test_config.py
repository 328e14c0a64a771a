"""The settings table: validated the same way from the CLI, the file and the mediator page."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from core.config import SETTINGS, Config, SettingError
from kiosk.cli import cli


def test_defaults_apply_without_a_file(tmp_path):
    config = Config.load(tmp_path)
    assert config["languages"] == ["fr", "en", "ar"] and config["downloads"] is True


def test_set_save_and_reload_round_trip_including_quotes(tmp_path):
    config = Config.load(tmp_path)
    config.set("association_name", 'Le "Lien" des Aubiers\\')
    config.set("printing", "non")
    config.set("languages", "fr,ar,tr")
    config.save()
    again = Config.load(tmp_path)
    assert again["association_name"] == 'Le "Lien" des Aubiers\\'
    assert again["printing"] is False and again["languages"] == ["fr", "ar", "tr"]
    assert (tmp_path / "config.toml").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("name", "value", "words"), [
    ("portal_port", "80", "between 1024"),
    ("languages", "fr,klingon", "unknown language klingon"),
    ("association_name", "", "text of 1 to 80"),
    ("downloads", "peut-être", "true or false"),
    ("colour", "red", "unknown setting"),
])
def test_invalid_values_are_refused_with_what_is_expected(tmp_path, name, value, words):
    with pytest.raises(SettingError, match=words):
        Config.load(tmp_path).set(name, value)


def test_a_broken_file_names_the_setting(tmp_path):
    (tmp_path / "config.toml").write_text('portal_port = "x"\n')
    with pytest.raises(SettingError, match="portal_port"):
        Config.load(tmp_path)


def test_cli_shows_every_setting_but_never_the_password_hash(tmp_path):
    config = Config.load(tmp_path)
    config.values["admin_password_hash"] = "scrypt$secret-hash"
    config.save()
    result = CliRunner().invoke(cli, ["config", "show", "--state-dir", str(tmp_path)])
    assert result.exit_code == 0
    assert all(setting.name in result.output for setting in SETTINGS)
    assert "secret-hash" not in result.output and "(set)" in result.output


def test_cli_set_validates_and_refuses_the_password_field(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["config", "set", "--state-dir", str(tmp_path), "printing", "off"])
    assert ok.exit_code == 0 and Config.load(tmp_path)["printing"] is False
    bad = runner.invoke(cli, ["config", "set", "--state-dir", str(tmp_path), "portal_port", "22"])
    assert bad.exit_code != 0 and "between 1024" in bad.output
    pw = runner.invoke(cli,
                       ["config", "set", "--state-dir", str(tmp_path), "admin_password_hash", "x"])
    assert pw.exit_code != 0 and "set-password" in pw.output
