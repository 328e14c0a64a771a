"""`kiosk launch` refuses bad input with a clear message before opening anything."""

from __future__ import annotations

from click.testing import CliRunner

from kiosk.cli import cli
from tests.launcher.harness import write_policy


def test_invalid_policy_is_reported(tmp_path):
    bad = tmp_path / "policy.toml"
    bad.write_text("version = 1\n[[site]]\nid = 3\n")
    result = CliRunner().invoke(cli, ["launch", "--policy", str(bad), "--home",
                                      "http://127.0.0.1:8765/", "--session-dir", str(tmp_path)])
    assert result.exit_code != 0 and "invalid policy" in result.output


def test_home_must_be_a_web_url(tmp_path):
    policy = write_policy(tmp_path / "policy.toml")
    result = CliRunner().invoke(cli, ["launch", "--policy", str(policy), "--home",
                                      "file:///etc/passwd", "--session-dir", str(tmp_path)])
    assert result.exit_code != 0 and "http(s)" in result.output


def test_unusable_session_directory_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":999")
    policy = write_policy(tmp_path / "policy.toml")
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = CliRunner().invoke(cli, ["launch", "--policy", str(policy), "--home",
                                      "http://127.0.0.1:8765/", "--session-dir",
                                      str(blocker / "session")])
    assert result.exit_code != 0 and "cannot use session directory" in result.output
