"""Install, re-install (upgrade in place) and uninstall: exact, repeatable, and keeping the data."""

from __future__ import annotations

import os
import pty
from pathlib import Path

from tests.install.conftest import (
    MANIFEST,
    install,
    manifest_entry,
    read_manifest,
    snapshot,
    uninstall,
    write,
)

STATE = "var/lib/kiosk"
STATE_FILES = {"config.toml": "name = 'Centre social'\n", "policy.toml": "version = 1\n",
               "counters.sqlite3": "SQLite format 3", "keys/terminal.key": "PRIVATE",
               "secrets/mediator.hash": "$scrypt$", "policy.history/policy.1.toml": "old"}


def stock_machine(root: Path) -> Path:
    """A few things a stock Debian has where kiosk writes: they must come back on uninstall."""
    systemd = root / "etc/systemd/system"
    systemd.mkdir(parents=True)
    (systemd / "default.target").symlink_to("/usr/lib/systemd/system/graphical.target")
    write(root / "etc/cups/cupsd.conf",
          "LogLevel warn\nPreserveJobFiles 1d\n  PreserveJobHistory Yes\nListen localhost:631\n",
          0o640)
    write(root / "etc/sysctl.d/README.sysctl", "stock\n")
    return root


def seed_state(root: Path) -> None:
    for name, text in STATE_FILES.items():
        write(root / STATE / name, text)


def test_running_install_twice_gives_the_same_tree(tmp_path) -> None:
    root = stock_machine(tmp_path)
    first = install(root)
    after_first = snapshot(root)
    second = install(root)
    assert snapshot(root) == after_first
    assert first.stdout == second.stdout


def test_reinstall_keeps_config_policy_keys_and_counters(tmp_path) -> None:
    seed_state(tmp_path)
    install(tmp_path)
    install(tmp_path)
    for name, text in STATE_FILES.items():
        assert (tmp_path / STATE / name).read_text() == text, name


def test_reinstall_does_not_take_its_own_files_for_the_originals(tmp_path) -> None:
    root = stock_machine(tmp_path)
    install(root)
    install(root)
    saved = root / "opt/kiosk/backup/etc/systemd/system/default.target"
    assert os.readlink(saved) == "/usr/lib/systemd/system/graphical.target"
    assert manifest_entry(root, "/etc/systemd/system/default.target").detail.endswith(
        "multi-user.target")
    assert not (root / "opt/kiosk/backup/etc/systemd/system/kiosk.service").exists()


def test_upgrade_removes_a_file_the_new_version_no_longer_installs(tmp_path) -> None:
    install(tmp_path)
    stale = write(tmp_path / "etc/systemd/system/kiosk-old.service", "[Service]\n")
    with (tmp_path / MANIFEST).open("a") as manifest:
        manifest.write("file\t/etc/systemd/system/kiosk-old.service\t0644\troot:root\t-\t-\n")
    install(tmp_path)
    assert not stale.exists()
    assert all(e.path != "/etc/systemd/system/kiosk-old.service" for e in read_manifest(tmp_path))


def test_cups_keeps_no_job_files_or_history(tmp_path) -> None:
    root = stock_machine(tmp_path)
    install(root)
    lines = (root / "etc/cups/cupsd.conf").read_text().splitlines()
    assert [line for line in lines if "PreserveJob" in line] == [
        "PreserveJobFiles No", "PreserveJobHistory No"]
    assert "Listen localhost:631" in lines and "LogLevel warn" in lines
    assert (root / "etc/cups/cupsd.conf").stat().st_mode & 0o777 == 0o640


def test_uninstall_with_purge_restores_the_machine_exactly(tmp_path) -> None:
    root = stock_machine(tmp_path)
    before = snapshot(root)
    install(root)
    assert (root / "etc/systemd/system/getty@tty1.service").is_symlink()
    uninstall(root, "--purge")
    assert snapshot(root) == before


def test_uninstall_unmasks_getty_and_ctrl_alt_del(tmp_path) -> None:
    install(tmp_path)
    uninstall(tmp_path, "--purge")
    for unit in ("getty@tty1.service", "ctrl-alt-del.target", "kiosk.service"):
        assert not (tmp_path / "etc/systemd/system" / unit).is_symlink()
        assert not (tmp_path / "etc/systemd/system" / unit).exists()


def test_uninstall_keeps_a_mask_the_owner_had_set_before(tmp_path) -> None:
    systemd = tmp_path / "etc/systemd/system"
    systemd.mkdir(parents=True)
    (systemd / "ctrl-alt-del.target").symlink_to("/dev/null")
    install(tmp_path)
    uninstall(tmp_path, "--purge")
    assert os.readlink(systemd / "ctrl-alt-del.target") == "/dev/null"


def test_uninstall_removes_accounts_units_and_opt(tmp_path) -> None:
    install(tmp_path)
    result = uninstall(tmp_path, "--purge")
    commands = [line for line in result.stdout.splitlines() if line.startswith("would run: ")]
    assert "would run: userdel kiosk" in commands and "would run: userdel kiosk-admin" in commands
    assert commands[0] == "would run: systemctl stop kiosk.service"
    assert not (tmp_path / "opt").exists() and not (tmp_path / "home").exists()
    assert not any(tmp_path.iterdir())


def test_uninstall_ends_the_accounts_processes_before_deleting_them(tmp_path) -> None:
    """userdel refuses an account that still runs something (an orphaned `kiosk run`, its
    `systemd --user`): the accounts' processes are ended first."""
    install(tmp_path)
    commands = [line for line in uninstall(tmp_path, "--purge").stdout.splitlines()
                if line.startswith("would run: ")]
    end = commands.index("would run: /opt/kiosk/end-session kiosk kiosk-admin")
    assert end < commands.index("would run: userdel kiosk")
    assert end < commands.index("would run: userdel kiosk-admin")


def test_an_install_older_than_end_session_is_ended_by_the_checkouts_script(tmp_path) -> None:
    """Without /opt/kiosk/end-session (an older install), the same script from the checkout
    ends the accounts' processes, waiting for them, before the accounts are deleted."""
    install(tmp_path)
    (tmp_path / "opt/kiosk/end-session").unlink()
    commands = [line for line in uninstall(tmp_path, "--purge").stdout.splitlines()
                if line.startswith("would run: ")]
    script = Path(__file__).resolve().parents[2] / "kiosk/deploy/end-session"
    end = commands.index(f"would run: {script} kiosk kiosk-admin")
    assert end < commands.index("would run: userdel kiosk")


def test_uninstall_removes_drop_ins_of_its_units(tmp_path) -> None:
    install(tmp_path)
    write(tmp_path / "etc/systemd/system/kiosk.service.d/override.conf", "[Service]\n")
    result = uninstall(tmp_path, "--purge")
    assert not (tmp_path / "etc/systemd/system/kiosk.service.d").exists()
    assert "removed /etc/systemd/system/kiosk.service.d" in result.stdout


def test_a_failed_uninstall_keeps_the_manifest_and_a_second_run_finishes(tmp_path) -> None:
    install(tmp_path)
    # Something in the way of one removal (here a directory where kiosk put a file).
    blocked = tmp_path / "etc/systemd/logind.conf.d/50-kiosk.conf"
    blocked.unlink()
    write(blocked / "in-the-way", "x")
    first = uninstall(tmp_path, "--purge", check=False)
    assert first.returncode == 1
    assert "run" in first.stderr and "--uninstall again" in first.stderr
    assert (tmp_path / MANIFEST).exists(), "the manifest must stay until everything is gone"
    (blocked / "in-the-way").unlink()
    blocked.rmdir()
    uninstall(tmp_path, "--purge")
    assert not any(tmp_path.iterdir())


def test_kept_data_is_given_to_root_once_the_accounts_are_gone(tmp_path) -> None:
    seed_state(tmp_path)
    install(tmp_path)
    result = uninstall(tmp_path)
    assert "would run: chown -R root:root /var/lib/kiosk" in result.stdout.splitlines()


def test_uninstall_without_a_terminal_keeps_the_data_and_says_so(tmp_path) -> None:
    seed_state(tmp_path)
    install(tmp_path)
    result = uninstall(tmp_path)  # stdin is not a terminal: nobody to ask, so keep
    assert "kept /var/lib/kiosk (use --purge to delete it too)" in result.stdout
    for name, text in STATE_FILES.items():
        assert (tmp_path / STATE / name).read_text() == text
    assert not (tmp_path / "opt").exists()
    assert not (tmp_path / "etc").exists()


def answer_uninstall(root: Path, answer: bytes) -> str:
    """Run uninstall on a pseudo-terminal, answer its question, return what it printed."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("bash", ["bash", str(Path(__file__).parents[2] / "install.sh"),
                           "--uninstall", "--root", str(root)])
    output = b""
    while b"[y/N]" not in output:
        output += os.read(fd, 1024)
    os.write(fd, answer + b"\n")
    try:
        while chunk := os.read(fd, 1024):
            output += chunk
    except OSError:  # the child closed the terminal
        pass
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, output.decode()
    return output.decode()


def test_uninstall_asks_before_deleting_the_data(tmp_path) -> None:
    seed_state(tmp_path)
    install(tmp_path)
    output = answer_uninstall(tmp_path, b"n")
    assert "Also delete the terminal's data in /var/lib/kiosk" in output
    assert (tmp_path / STATE / "keys/terminal.key").read_text() == "PRIVATE"
    install(tmp_path)
    answer_uninstall(tmp_path, b"o")
    assert not (tmp_path / STATE).exists()
