"""A real terminal, booted: install.sh --kiosk on a bare Debian 12 booted with systemd, the
README's steps in their documented order, a reboot, then what a volunteer would see.

A container has no DRM and no tty1, so a test-only drop-in runs the same kiosk.service (same
user, PAM session, wipe, cage, `kiosk run`) with cage's X11 backend into this test's Xvfb. What
this cannot prove (DRM/KMS, VT switching, the power key) is listed in the README.

The tests run in order on one container; each asserts from outside (screen pixels, the portal
over HTTP, the processes and files of the container).
"""

from __future__ import annotations

import http.cookiejar
import re
import socket
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.install.container import Container, screenshot_colours, why_not_bootable
from tests.xserver import xvfb

pytestmark = [pytest.mark.slow, pytest.mark.booted,
              pytest.mark.skipif(why_not_bootable() is not None,
                                 reason=f"booted test: {why_not_bootable()}")]

KIOSK = "/opt/kiosk/venv/bin/kiosk"
PASSWORD = "Borne-de-la-Maison-2026"
AS_KIOSK = "setpriv --reuid=kiosk --regid=kiosk --init-groups"
TIMINGS: dict[str, float] = {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def x11_drop_in(display: str) -> str:
    """The only difference from a real terminal: no tty1 and no DRM, cage draws into Xvfb."""
    return f"""# Test only (tests/install/test_booted.py): a container has no tty1 and no DRM.
[Unit]
ConditionPathExists=
[Service]
TTYPath=
StandardInput=null
TTYReset=no
TTYVHangup=no
TTYVTDisallocate=no
UtmpIdentifier=
Environment=WLR_BACKENDS=x11 WLR_RENDERER=pixman DISPLAY={display}
"""


def wait_for_welcome(box: Container, display: str, shot: Path, timeout: float = 180) -> float:
    """Seconds until the supervisor reports the welcome page ready and the screen shows it."""
    started = time.monotonic()
    status = ""
    while time.monotonic() - started < timeout:
        status = box.sh(f"{AS_KIOSK} {KIOSK} session status --state-dir /var/lib/kiosk",
                        check=False, timeout=30).stdout
        if "state: welcome" in status and "ready: True" in status:
            colours = screenshot_colours(display, shot)
            assert colours > 200, f"the screen is nearly uniform ({colours} colours): {shot}"
            return time.monotonic() - started
        time.sleep(1)
    journal = box.sh("journalctl -b --no-pager -n 150 -u kiosk -u 'session-*.scope'",
                     check=False).stdout
    raise AssertionError(f"no welcome screen after {timeout}s; status:\n{status}\n{journal}")


def kiosk_processes(box: Container) -> str:
    return box.sh("ps -u kiosk -o pid=,args= || true").stdout.strip()


@pytest.fixture(scope="module")
def display():
    with xvfb("1024x768x24") as name:
        yield name


@pytest.fixture(scope="module")
def box(tmp_path_factory, display):
    box = Container(tmp_path_factory.mktemp("booted"), display)
    box.mount()
    try:
        box.copy_project()
        TIMINGS["first_boot"] = box.boot()
        yield box
    finally:
        box.poweroff()
        box.unmount()
        print("booted test timings (s):", {k: round(v, 1) for k, v in TIMINGS.items()})


@pytest.fixture(scope="module")
def port():
    return free_port()


def test_readme_steps_in_order_then_reboot_show_the_welcome_screen(box, display, port,
                                                                   tmp_path_factory) -> None:
    # Step 2: install.
    started = time.monotonic()
    box.sh("cd /root/kiosk && ./install.sh --kiosk", timeout=1200)
    TIMINGS["install"] = time.monotonic() - started
    # Step 3: the mediator password, as kiosk-admin, before the first boot.
    box.sh(f"sudo -u kiosk-admin {KIOSK} mediator set-password --password-stdin",
           stdin=PASSWORD + "\n")
    # Step 4: a printer (here one that holds its jobs) and a job of the session user waiting.
    box.sh("lpadmin -p asso -E -v ipp://127.0.0.1:9/ipp/print -m raw 2>&1; lpoptions -d asso"
           " && cupsdisable asso")
    box.sh(f"{AS_KIOSK} lp -d asso /etc/os-release")
    assert "asso-" in box.sh("lpstat -o").stdout, "the resident's job should be waiting"
    # The test's own changes: where cage draws, and a free port for the portal.
    box.write("/etc/systemd/system/kiosk.service.d/zz-test-x11.conf", x11_drop_in(display))
    box.sh(f"{AS_KIOSK} {KIOSK} config set portal_port {port} --state-dir /var/lib/kiosk")
    # Step 5: reboot.
    box.poweroff()
    started = time.monotonic()
    box.boot()
    shot = tmp_path_factory.mktemp("shots") / "first-boot.png"
    wait_for_welcome(box, display, shot)
    TIMINGS["boot_to_welcome"] = time.monotonic() - started
    failed = box.sh("systemctl --failed --no-legend").stdout
    assert "kiosk" not in failed, failed


def test_the_wipe_emptied_the_print_queue_under_the_stock_cups_policy(box) -> None:
    assert box.sh("lpstat -o").stdout.strip() == ""


def test_the_units_lines_wipe_and_kiosk_run_are_in_journalctl_u_kiosk(box) -> None:
    journal = box.sh("journalctl -b --no-pager -o cat -u kiosk").stdout
    assert "wipe: OK, verified clean" in journal, journal[-3000:]
    # A line of `kiosk run` itself (under cage, in the PAM session's scope) at its first start.
    assert "first start: installed the default catalogue" in journal, journal[-3000:]
    # The report line of the print step: the real cupsd's job of `kiosk` was cancelled.
    assert re.search(r"print_jobs\s+done\s.*jobs_cancelled=1", journal), journal[-3000:]


def test_mediator_login_works_through_the_secrets_service(box, port) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}/mediateur"
    page = opener.open(f"{base}/connexion", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"password": PASSWORD, "csrf_token": token}).encode()
    with opener.open(f"{base}/connexion", data=data, timeout=30) as reply:
        assert reply.status == 200
        assert reply.url.rstrip("/").endswith("/mediateur"), reply.url
        assert "Déconnexion" in reply.read().decode() or "connexion" not in reply.url
    audit = box.sh("cat /var/lib/kiosk/audit.log").stdout
    assert '"login"' in audit and '"password_set"' in audit, audit


def test_systemctl_stop_leaves_no_process_of_the_kiosk_user(box) -> None:
    box.sh("systemctl stop kiosk.service", timeout=120)
    assert kiosk_processes(box) == ""


def test_the_update_path_comes_back_to_the_welcome_screen(box, display, tmp_path_factory
                                                          ) -> None:
    box.sh("systemctl start kiosk.service")
    wait_for_welcome(box, display, tmp_path_factory.mktemp("shots") / "before-update.png")
    started = time.monotonic()
    box.sh("cd /root/kiosk && ./install.sh --kiosk", timeout=900)
    TIMINGS["update"] = time.monotonic() - started
    wait_for_welcome(box, display, tmp_path_factory.mktemp("shots") / "after-update.png")


def test_uninstall_removes_accounts_units_and_drop_ins_and_a_second_run_is_harmless(box
                                                                                   ) -> None:
    first = box.sh("cd /root/kiosk && ./install.sh --uninstall --purge", check=False,
                   timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "could not remove" not in first.stdout + first.stderr
    leftovers = box.sh("getent passwd kiosk kiosk-admin; "
                       "ls -d /etc/systemd/system/kiosk* /opt/kiosk /var/lib/kiosk 2>/dev/null;"
                       " ps -u kiosk -o pid= ; true").stdout
    assert leftovers.strip() == ""
    second = box.sh("cd /root/kiosk && ./install.sh --uninstall --purge", check=False)
    assert "no kiosk installation found" in second.stderr, second.stdout + second.stderr
    assert "removing" not in second.stdout, "a second run must change nothing"
