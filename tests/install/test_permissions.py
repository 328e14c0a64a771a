"""Who may read what: the session account cannot read keys or the mediator password hash."""

from __future__ import annotations

import stat

import pytest

from tests.install.conftest import install, manifest_entry, mode_of, run_installer, write

STATE = "var/lib/kiosk"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple:
    """An install over a state dir whose secrets were left world-readable: (root, output)."""
    root = tmp_path_factory.mktemp("seeded")
    write(root / STATE / "keys/terminal.key", "PRIVATE", 0o644)
    write(root / STATE / "keys/terminal.pub", "PUBLIC", 0o644)
    write(root / STATE / "secrets/mediator.hash", "$scrypt$...", 0o666)
    write(root / STATE / "config.toml", "name = 'Asso'\n", 0o666)
    write(root / STATE / "trusted-keys/funder.pub", "PUBLIC", 0o600)
    write(root / STATE / "audit.log", '{"action": "password_set"}\n', 0o600)
    (root / STATE / "keys").chmod(0o755)
    return root, install(root).stdout


@pytest.mark.parametrize("path", ["keys/terminal.key", "keys/terminal.pub",
                                  "secrets/mediator.hash"])
def test_secret_files_are_0600_for_kiosk_admin(seeded, path) -> None:
    root, output = seeded
    assert mode_of(root / STATE / path) == 0o600
    assert f"would run: chown kiosk-admin:kiosk-admin {root / STATE / path}" in output.splitlines()


@pytest.mark.parametrize("folder", ["keys", "secrets"])
def test_secret_folders_are_0700_for_kiosk_admin_in_the_manifest(seeded, folder) -> None:
    root, _ = seeded
    assert mode_of(root / STATE / folder) == 0o700
    entry = manifest_entry(root, f"/var/lib/kiosk/{folder}")
    assert (entry.kind, entry.mode, entry.owner) == ("state", "0700", "kiosk-admin:kiosk-admin")
    files = manifest_entry(root, f"/var/lib/kiosk/{folder}/*")
    assert (files.mode, files.owner) == ("0600", "kiosk-admin:kiosk-admin")


def test_settings_belong_to_the_session_which_saves_them(seeded) -> None:
    """Mediators save settings from the portal (user kiosk); no secret is in that file any more:
    the password hash lives in secrets/, which only kiosk-admin (the keeper) can read."""
    root, output = seeded
    assert mode_of(root / STATE / "config.toml") == 0o640
    assert f"would run: chown kiosk:kiosk {root / STATE / 'config.toml'}" in output


def test_audit_log_is_shared_by_the_portal_and_the_password_command(seeded, tmp_path) -> None:
    """README step 3 (set-password as kiosk-admin) may have created it 0600 before the first
    boot: the installer makes it kiosk:kiosk 0660 (kiosk-admin is in group kiosk), and creates
    it that way on a fresh install."""
    root, output = seeded
    assert mode_of(root / STATE / "audit.log") == 0o660
    assert f"would run: chown kiosk:kiosk {root / STATE / 'audit.log'}" in output.splitlines()
    assert (root / STATE / "audit.log").read_text() == '{"action": "password_set"}\n'
    fresh = tmp_path / "fresh"
    install(fresh)
    assert mode_of(fresh / STATE / "audit.log") == 0o660
    entry = manifest_entry(fresh, "/var/lib/kiosk/audit.log")
    assert (entry.kind, entry.mode, entry.owner) == ("state", "0660", "kiosk:kiosk")


def test_trusted_keys_belong_to_root_so_the_session_cannot_add_one(seeded) -> None:
    root, _ = seeded
    assert mode_of(root / STATE / "trusted-keys") == 0o755
    assert mode_of(root / STATE / "trusted-keys/funder.pub") == 0o644
    assert manifest_entry(root, "/var/lib/kiosk/trusted-keys").owner == "root:root"


def test_state_dir_is_sticky_so_the_session_cannot_swap_secret_folders(seeded) -> None:
    root, _ = seeded
    mode = mode_of(root / STATE)
    assert mode & stat.S_ISVTX and mode & 0o007 == 0, oct(mode)
    assert manifest_entry(root, "/var/lib/kiosk").owner == "root:kiosk"


def test_session_dir_and_home_are_private_to_the_session(seeded) -> None:
    root, _ = seeded
    assert mode_of(root / STATE / "session") == 0o700
    assert mode_of(root / "home/kiosk") == 0o700
    assert manifest_entry(root, "/var/lib/kiosk/session").owner == "kiosk:kiosk"


def test_session_account_has_no_password_no_shell_and_no_sudo(seeded) -> None:
    _, output = seeded
    commands = [line.removeprefix("would run: ") for line in output.splitlines()
                if line.startswith("would run: ")]
    (useradd,) = [c for c in commands if c.startswith("useradd") and c.endswith(" kiosk")]
    assert "--shell /usr/sbin/nologin" in useradd and "--system" in useradd
    assert "--groups" not in useradd and "-G" not in useradd.split()
    assert "passwd --lock kiosk" in commands
    group_changes = [c for c in commands if c.startswith(("usermod", "gpasswd", "adduser"))]
    assert group_changes == ["usermod --append --groups kiosk kiosk-admin"]


def test_code_and_units_belong_to_root(seeded) -> None:
    root, _ = seeded
    for path in ("/etc/systemd/system/kiosk.service", "/opt/kiosk/venv"):
        assert manifest_entry(root, path).owner == "root:root"
    assert mode_of(root / "etc/systemd/system/kiosk.service") == 0o644


@pytest.mark.parametrize("planted", ["session", "config.toml"])
def test_a_link_planted_in_the_state_dir_is_refused(tmp_path, planted) -> None:
    victim = tmp_path / "etc-victim"
    victim.mkdir(mode=0o755)
    (tmp_path / STATE).mkdir(parents=True)
    (tmp_path / STATE / planted).symlink_to(victim)
    result = run_installer("--kiosk", "--root", str(tmp_path), check=False)
    assert result.returncode == 1
    assert f"/var/lib/kiosk/{planted} is a symbolic link" in result.stderr
    assert mode_of(victim) == 0o755
