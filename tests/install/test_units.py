"""The units and drop-ins --kiosk writes: valid for systemd, and locking what they should."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.install.conftest import install, manifest_entry, mode_of

UNITS = "etc/systemd/system"
SESSION_COMMANDS = ("/usr/bin/cage", "/opt/kiosk/venv/bin/kiosk", "/opt/kiosk/end-session",
                    "/opt/kiosk/venv/bin/python")


def unit_settings(path: Path) -> dict[str, list[str]]:
    """'Section.Key' -> every value it is given, in order (units repeat keys)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        settings.setdefault(f"{section}.{key}", []).append(value)
    return settings


@pytest.fixture(scope="module")
def service(installed) -> dict[str, list[str]]:
    root, _ = installed
    return unit_settings(root / UNITS / "kiosk.service")


@pytest.fixture(scope="module")
def keeper_unit(installed) -> dict[str, list[str]]:
    root, _ = installed
    return unit_settings(root / UNITS / "kiosk-secrets.service")


def test_the_secrets_keeper_runs_as_kiosk_admin_behind_a_group_socket(keeper_unit) -> None:
    assert keeper_unit["Service.User"] == ["kiosk-admin"]
    assert keeper_unit["Service.Group"] == ["kiosk"]  # the socket's group: the session may ask
    assert keeper_unit["Service.RuntimeDirectory"] == ["kiosk-secrets"]
    assert keeper_unit["Service.RuntimeDirectoryMode"] == ["0750"]
    (start,) = keeper_unit["Service.ExecStart"]
    assert start.split()[1:] == ["secrets", "serve", "--state-dir", "/var/lib/kiosk", "--socket",
                                 "/run/kiosk-secrets/keeper.sock"]
    assert keeper_unit["Service.PrivateNetwork"] == ["yes"]


def test_the_session_asks_the_keeper_instead_of_reading_secrets(service, installed) -> None:
    root, _ = installed
    assert "KIOSK_SECRETS_SOCKET=/run/kiosk-secrets/keeper.sock" in service["Service.Environment"]
    assert "kiosk-secrets.service" in " ".join(service["Unit.Wants"])
    assert "kiosk-secrets.service" in " ".join(service["Unit.After"])
    wants = root / UNITS / "multi-user.target.wants/kiosk-secrets.service"
    assert os.readlink(wants) == "/etc/systemd/system/kiosk-secrets.service"


def test_units_pass_systemd_analyze_verify(installed, tmp_path) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: apt-get install systemd (it is in TEST_PACKAGES)"
    root, _ = installed
    # cage and the production venv are not on the test machine: point the unit at stubs there.
    stubs = tmp_path / "bin"
    stubs.mkdir()
    units = tmp_path / "units"
    units.mkdir()
    text = (root / UNITS / "kiosk.service").read_text()
    for command in SESSION_COMMANDS:
        stub = stubs / Path(command).name
        stub.write_text("#!/bin/sh\n")
        stub.chmod(0o755)
        text = text.replace(command, str(stub))
    (units / "kiosk.service").write_text(text)
    for name in ("kiosk-secrets.service", "kiosk-log.service", "kiosk-log.socket"):
        other = (root / UNITS / name).read_text()
        for command in SESSION_COMMANDS:
            other = other.replace(command, str(stubs / Path(command).name))
        (units / name).write_text(other)
    env = {**os.environ, "SYSTEMD_UNIT_PATH": f"{units}:", "SYSTEMD_LOG_LEVEL": "notice"}
    result = subprocess.run([analyze, "verify", "--man=no", str(units / "kiosk.service"),
                             str(units / "kiosk-secrets.service"),
                             str(units / "kiosk-log.service"), str(units / "kiosk-log.socket")],
                            capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == "", "systemd warned:\n" + result.stderr


def test_session_runs_cage_on_tty1_as_the_kiosk_user(service) -> None:
    assert service["Service.User"] == ["kiosk"]
    assert service["Service.PAMName"] == ["login"]
    assert service["Service.TTYPath"] == ["/dev/tty1"]
    assert service["Service.Restart"] == ["always"]
    assert service["Install.WantedBy"] == ["multi-user.target"]
    assert "getty@tty1.service" in service["Unit.Conflicts"]


def test_cage_runs_kiosk_run_without_vt_switching(service) -> None:
    (start,) = service["Service.ExecStart"]
    args = start.split()
    assert args[0] == "/usr/bin/cage"
    assert "-s" not in args[:args.index("--")], "cage -s would allow VT switching"
    assert args[args.index("--") + 1:] == ["/opt/kiosk/venv/bin/kiosk", "run", "--state-dir",
                                          "/var/lib/kiosk"]


def test_pending_wipe_is_finished_before_the_session_starts(service) -> None:
    (pre,) = service["Service.ExecStartPre"]
    assert pre.endswith(" -- /opt/kiosk/venv/bin/kiosk wipe --end-stale --state-dir "
                        "/var/lib/kiosk")


def test_the_start_wipe_runs_as_kiosk_in_the_units_journal_not_a_pam_session(service) -> None:
    """A PAM session moves the command into a logind session scope, whose lines journald files
    under that scope: `journalctl -u kiosk` showed only "Control process exited, status=1".
    "+" skips PAM; setpriv still drops to the kiosk user and its groups."""
    (pre,) = service["Service.ExecStartPre"]
    assert pre.startswith("+/usr/bin/setpriv --reuid=kiosk --regid=kiosk --init-groups -- ")


def test_stopping_the_unit_ends_every_process_of_the_session_account(service, installed
                                                                       ) -> None:
    """cage and `kiosk run` live in the PAM session's scope, out of reach of KillMode: the stop
    step (as root) ends the kiosk user's processes, and logind kills that user's session."""
    root, _ = installed
    assert service["Service.ExecStopPost"] == ["+/opt/kiosk/end-session kiosk"]
    script = root / "opt/kiosk/end-session"
    assert mode_of(script) == 0o755
    assert "loginctl terminate-user" in script.read_text()
    assert "pkill -KILL -u" in script.read_text()
    logind = unit_settings(root / "etc/systemd/logind.conf.d/50-kiosk.conf")
    assert logind["Login.KillUserProcesses"] == ["yes"]
    assert logind["Login.KillOnlyUsers"] == ["kiosk"], "only the public session, not an admin's"


def test_qt_prefers_wayland_and_falls_back_to_xwayland(service) -> None:
    assert '"QT_QPA_PLATFORM=wayland;xcb"' in service["Service.Environment"]
    assert "KIOSK_STATE_DIR=/var/lib/kiosk" in service["Service.Environment"]
    assert "LIBSEAT_BACKEND=logind" in service["Service.Environment"]  # not seatd's video group


def test_kiosk_starts_at_boot_and_boot_stops_before_any_desktop(installed) -> None:
    root, _ = installed
    wants = root / UNITS / "multi-user.target.wants/kiosk.service"
    assert os.readlink(wants) == "/etc/systemd/system/kiosk.service"
    assert os.readlink(root / UNITS / "default.target").endswith("/multi-user.target")


@pytest.mark.parametrize("unit", ["getty@tty1.service", "ctrl-alt-del.target"])
def test_unit_is_masked(installed, unit) -> None:
    root, _ = installed
    assert os.readlink(root / UNITS / unit) == "/dev/null"
    assert manifest_entry(root, f"/etc/systemd/system/{unit}").kind == "link"


def conf_values(path: Path) -> dict[str, str]:
    pairs = (re.split(r"\s*=\s*", line, maxsplit=1) for line in path.read_text().splitlines()
             if line.strip() and not line.startswith(("#", "[")))
    return dict(pairs)


def test_sysrq_is_disabled(installed) -> None:
    root, _ = installed
    assert conf_values(root / "etc/sysctl.d/50-kiosk.conf") == {"kernel.sysrq": "0"}


def test_power_keys_do_nothing_and_no_console_is_offered(installed) -> None:
    root, _ = installed
    logind = conf_values(root / "etc/systemd/logind.conf.d/50-kiosk.conf")
    for key in ("HandlePowerKey", "HandleSuspendKey", "HandleHibernateKey", "HandleLidSwitch"):
        assert logind[key] == "ignore"
    assert logind["NAutoVTs"] == "0" and logind["ReserveVT"] == "0"


def test_ctrl_alt_del_burst_cannot_force_a_reboot(installed) -> None:
    root, _ = installed
    assert conf_values(root / "etc/systemd/system.conf.d/50-kiosk.conf") == {
        "CtrlAltDelBurstAction": "none"}


def test_logs_stay_in_journald(installed) -> None:
    root, _ = installed
    journald = conf_values(root / "etc/systemd/journald.conf.d/50-kiosk.conf")
    assert journald["ForwardToSyslog"] == "no"
    assert journald["MaxRetentionSec"] == "14day"


POLKIT_HARNESS = """
var rules = [];
var polkit = {Result: {YES: "yes", NO: "no", NOT_HANDLED: "not_handled"},
              addRule: function (rule) { rules.push(rule); }};
%s
var cases = %s;
for (var i = 0; i < cases.length; i++) {
    var c = cases[i];
    print(c[0] + " " + c[1] + " " + rules[0]({id: c[1]}, {user: c[0], local: c[2], active: c[2]}));
}
"""
POLKIT_CASES = [
    ("kiosk", "org.freedesktop.udisks2.filesystem-mount", True, "yes"),
    ("kiosk", "org.freedesktop.udisks2.eject-media", True, "yes"),
    ("kiosk", "org.freedesktop.udisks2.filesystem-mount", False, "no"),
    ("kiosk", "org.freedesktop.udisks2.filesystem-mount-system", True, "no"),
    ("kiosk", "org.freedesktop.login1.power-off", True, "no"),
    ("kiosk", "org.freedesktop.NetworkManager.settings.modify.system", True, "no"),
    ("kiosk", "org.freedesktop.packagekit.package-install", True, "no"),
    ("mediatrice", "org.freedesktop.login1.power-off", True, "not_handled"),
]


def test_polkit_lets_the_session_mount_usb_keys_and_nothing_else(installed, tmp_path) -> None:
    # duk is the Duktape engine polkitd 122 (Debian 12) runs its rules with.
    duk = shutil.which("duk")
    assert duk, "duk is missing: apt-get install duktape (it is in TEST_PACKAGES)"
    root, _ = installed
    rules = (root / "etc/polkit-1/rules.d/50-kiosk.rules").read_text()
    cases = json.dumps([list(case[:3]) for case in POLKIT_CASES])
    script = tmp_path / "harness.js"
    script.write_text(POLKIT_HARNESS % (rules, cases))
    result = subprocess.run([duk, str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split("\n")[:-1] == [f"{u} {a} {want}" for u, a, _, want in POLKIT_CASES]


def test_ubuntu_gets_a_userns_profile_for_the_browser_sandbox(tmp_path) -> None:
    (tmp_path / "etc/apparmor.d/abi").mkdir(parents=True)
    (tmp_path / "etc/apparmor.d/abi/4.0").write_text("")
    output = install(tmp_path).stdout
    profile = (tmp_path / "etc/apparmor.d/kiosk-qtwebengine").read_text()
    (attachment,) = re.findall(r"^profile kiosk-qtwebengine (\S+) ", profile, re.M)
    assert fnmatch.fnmatch(
        "/opt/kiosk/venv/lib/python3.12/site-packages/PyQt6/Qt6/libexec/QtWebEngineProcess",
        attachment.replace("python3*", "python3[0-9.]*"))
    assert "  userns,\n" in profile
    assert "would run: apparmor_parser --replace /etc/apparmor.d/kiosk-qtwebengine" in output


def test_debian_without_userns_restriction_gets_no_profile(installed) -> None:
    root, output = installed
    assert not (root / "etc/apparmor.d").exists()
    assert "apparmor_parser" not in output


def test_every_line_of_the_session_goes_through_the_root_relay(service, installed) -> None:
    """cage and kiosk run live in the PAM session's scope: their lines reach
    `journalctl -u kiosk` only through kiosk-log.service (root, OBJECT_SYSTEMD_UNIT)."""
    root, _ = installed
    # A path: a socket's fds go to the main process only, not to ExecStartPre/ExecStopPost.
    assert service["Service.StandardOutput"] == ["file:/run/kiosk-log.fifo"]
    assert service["Service.StandardError"] == ["inherit"]
    assert "kiosk-log.service" in service["Unit.Wants"]
    assert "kiosk-log.socket" in service["Unit.Requires"]
    socket_unit = unit_settings(root / UNITS / "kiosk-log.socket")
    assert socket_unit["Socket.ListenFIFO"] == ["/run/kiosk-log.fifo"]
    assert socket_unit["Socket.SocketMode"] == ["0600"]
    relay = unit_settings(root / UNITS / "kiosk-log.service")
    assert relay["Service.ExecStart"] == ["/opt/kiosk/venv/bin/python -m kiosk.log_relay"]
    assert "Service.User" not in relay, "root: the journal trusts OBJECT_SYSTEMD_UNIT from root"
    assert relay["Service.CapabilityBoundingSet"] == [""]
    assert relay["Service.Restart"] == ["always"]
    assert os.readlink(root / UNITS / "sockets.target.wants/kiosk-log.socket") == \
        "/etc/systemd/system/kiosk-log.socket"
