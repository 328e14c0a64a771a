"""`kiosk policy check|show|keygen|sign|verify|rollback` through click's runner."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from kiosk.cli import cli
from policies import PolicyStore, default_policy_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_help_lists_every_command_with_a_line_of_help():
    result = run("--help")
    assert result.exit_code == 0
    for name in ("demo", "run", "launch", "session", "wipe", "policy", "stats", "hub", "mediator"):
        assert f"  {name} " in result.output


def test_check_accepts_the_default_catalogue():
    result = run("policy", "check", str(default_policy_path()))
    assert result.exit_code == 0 and "19 sites" in result.output


def test_check_lists_errors_with_lines_and_exits_1(tmp_path):
    bad = tmp_path / "p.toml"
    bad.write_text('version = 1\n\n[[category]]\nid = "c"\nlabel = "C"\ncolour = 1\n')
    result = run("policy", "check", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:6: [category.colour] unknown key 'colour'" in result.output


def test_show_prints_tiles_grouped_by_category():
    result = run("policy", "show", str(default_policy_path()))
    assert result.exit_code == 0
    assert "[famille_scolarite] Famille" in result.output and "*.caf.fr" in result.output


def test_keygen_sign_verify_then_tamper(tmp_path):
    assert run("policy", "keygen", "--out", str(tmp_path / "k")).exit_code == 0
    policy = tmp_path / "policy.toml"
    shutil.copy(default_policy_path(), policy)
    assert run("policy", "sign", str(policy), "--key",
               str(tmp_path / "k" / "policy-signing.key")).exit_code == 0
    pub = str(tmp_path / "k" / "policy-signing.pub")
    ok = run("policy", "verify", str(policy), "--pub", pub)
    assert ok.exit_code == 0 and "signature OK" in ok.output
    policy.write_bytes(policy.read_bytes() + b"\n# changed\n")
    refused = run("policy", "verify", str(policy), "--pub", pub)
    assert refused.exit_code == 1 and "REFUSED" in refused.output


def test_keygen_refuses_to_overwrite(tmp_path):
    run("policy", "keygen", "--out", str(tmp_path))
    result = run("policy", "keygen", "--out", str(tmp_path))
    assert result.exit_code != 0 and "refusing to overwrite" in result.output


def test_rollback_restores_the_previous_version(tmp_path):
    store = PolicyStore(tmp_path)
    good = default_policy_path().read_bytes()
    store.save(good)
    store.save(good.replace(b'name = "CAF"', b'name = "CAF bis"'))
    result = run("policy", "rollback", "--state-dir", str(tmp_path))
    assert result.exit_code == 0
    assert store.reload().policy.site("caf").name == "CAF"


def test_check_explains_a_deeply_nested_file_without_a_traceback(tmp_path):
    deep = tmp_path / "deep.toml"
    deep.write_text("version = 1\nx = " + "[" * 500 + "]" * 500 + "\n")
    result = run("policy", "check", str(deep))
    assert result.exit_code == 1 and result.exception is None or \
        isinstance(result.exception, SystemExit)
    assert "nested too deeply" in result.output and "Traceback" not in result.output
