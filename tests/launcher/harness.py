"""Drive a real `kiosk launch` subprocess: events from its stdout, commands to its stdin."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from core.events import Event
from tests.policytext import policy_toml, site

ROOT = Path(__file__).resolve().parents[2]
FAKE_XDG_OPEN = "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/xdg-open.calls\"\n"
FAKE_LP = "#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"$(dirname \"$0\")/lp.calls\"\n" \
          "cp \"$4\" \"$(dirname \"$0\")/printed.pdf\"\n"

def wait_until(check, timeout: float = 20.0, what: str = "condition"):
    """Poll `check` every 0.2 s until it returns something true (returned); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def catalogue_text(port: int, strict: bool = True) -> str:
    """The test catalogue: CAF and FranceConnect stand-ins on loopback `port`."""
    return policy_toml(
        site("caf", "CAF", f"http://caf.localhost:{port}/", [f"caf.localhost:{port}"]),
        shared=({"id": "franceconnect", "name": "FranceConnect",
                 "hosts": [f"franceconnect.localhost:{port}"]},), strict=strict)


def write_policy(path: Path, strict: bool = True, port: int = 9) -> Path:
    """The test catalogue; its loopback sites are on `port` (a catalogue names their port)."""
    path.write_text(catalogue_text(port, strict))
    return path


class Launcher:
    """One launcher process with a fresh HOME, XDG dirs and a fake bin dir on PATH."""

    def __init__(self, base: Path, home_url: str, display: str, strict: bool = True,
                 extra_env: dict[str, str] | None = None, extra_args: list[str] | None = None,
                 user: str | None = None, policy_text: str | None = None) -> None:
        """user: run as this unprivileged account with the Chromium sandbox on, as in
        production (root only); otherwise a root test run turns the sandbox off.
        policy_text: a policy of the test's own instead of the test catalogue."""
        self.base = base
        self.home = base / "home"
        self.xdg = base / "xdg"
        self.session = base / "session"
        self.bin = base / "bin"
        for path in (self.home, self.xdg, self.bin):
            path.mkdir(parents=True, exist_ok=True)
        (self.bin / "xdg-open").write_text(FAKE_XDG_OPEN)
        (self.bin / "xdg-open").chmod(0o755)
        self.policy = write_policy(base / "policy.toml", strict, urlsplit(home_url).port or 9)
        if policy_text is not None:
            self.policy.write_text(policy_text)
        self.events: list[Event] = []
        self._lock = threading.Lock()
        env = {
            "PATH": f"{self.bin}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(self.home), "DISPLAY": display, "LANG": "C.UTF-8",
            "XDG_CACHE_HOME": str(self.xdg / "cache"), "XDG_CONFIG_HOME": str(self.xdg / "config"),
            "XDG_DATA_HOME": str(self.xdg / "data"), "XDG_RUNTIME_DIR": str(self.xdg / "run"),
            "TMPDIR": str(self.xdg / "tmp"), "PYTHONPATH": str(ROOT),
            # fake camera and microphone, so a permission test sees a denial, not "no device"
            "QTWEBENGINE_CHROMIUM_FLAGS": "--use-fake-device-for-media-stream",
        }
        env.update(extra_env or {})
        if os.environ.get("XAUTHORITY"):
            env["XAUTHORITY"] = os.environ["XAUTHORITY"]
        command = [sys.executable, "-m", "kiosk", "launch", "--policy", str(self.policy),
                   "--home", home_url, "--session-dir", str(self.session), *(extra_args or [])]
        if user:
            command = as_user(user, base, command, env)
        elif os.geteuid() == 0:
            env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
        self.started = time.monotonic()
        self.stderr_path = base / "stderr.log"
        stderr = self.stderr_path.open("wb")
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
            env=env, cwd=str(ROOT), text=True, start_new_session=True)
        stderr.close()
        self.raw_lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self._lock:
                self.raw_lines.append(line)
                self.events.append(Event.from_json(line))

    def send(self, **command) -> None:
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def mark(self) -> int:
        """Position in the event list; pass it to wait_event to see only later events."""
        with self._lock:
            return len(self.events)

    def wait_event(self, kind: str, since: int = 0, timeout: float = 15.0, **fields) -> Event:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for event in self.events[since:]:
                    if event.kind == kind and all(getattr(event, k) == v
                                                  for k, v in fields.items()):
                        return event
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        tail = self.stderr_path.read_text(errors="replace")[-3000:]
        raise AssertionError(f"no {kind} {fields} event; got {self.events[since:]}\n{tail}")

    def kinds(self, since: int = 0) -> list[str]:
        with self._lock:
            return [e.kind for e in self.events[since:]]

    def wait_exit(self, timeout: float = 15.0) -> int:
        return self.proc.wait(timeout=timeout)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.close_pipes()

    def close_pipes(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except (OSError, ValueError):
                pass


def as_user(user: str, base: Path, command: list[str],
            env: dict[str, str]) -> list[str]:
    """`command` run as `user`, made owner of `base`, as production runs the window.

    A checkout may live where only root can enter (/root). The command's own interpreter and the
    test files stay readable through one capability kept by the account, CAP_DAC_READ_SEARCH
    (read, never write); but Chromium's sandboxed processes drop every capability, so the
    virtualenv holding Qt is bind-mounted under `base`, in a mount namespace of the command's
    own, and the command runs its Python from there. The X cookie is copied for the account
    (libXau checks it with access(), which ignores capabilities): `env` is updated."""
    entry = pwd.getpwnam(user)
    venv = base / "venv"
    venv.mkdir(exist_ok=True)
    if env.get("XAUTHORITY"):
        cookie = base / "Xauthority"
        shutil.copyfile(env["XAUTHORITY"], cookie)
        env["XAUTHORITY"] = str(cookie)
    for path in [base, *base.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    if command[0] == sys.executable:
        command = [str(venv / Path(sys.executable).relative_to(sys.prefix)), *command[1:]]
    return ["unshare", "--mount", "--propagation", "private", "--",
            "sh", "-c", 'mount --bind "$1" "$2" && shift 2 && exec "$@"', "sh", sys.prefix,
            str(venv), "setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}",
            "--clear-groups", "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search",
            *command]


def xdotool(*args: str, display: str) -> None:
    subprocess.run(["xdotool", *args], check=True, env={**os.environ, "DISPLAY": display},
                   timeout=10)


def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file())


def visible_windows(launcher: Launcher, display: str) -> list[str]:
    """X ids of the launcher's visible top-level windows (a popup would add one)."""
    result = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(launcher.proc.pid),
                             "--name", ""], capture_output=True, text=True,
                            env={**os.environ, "DISPLAY": display}, timeout=10, check=False)
    return result.stdout.split()


def run_scenario(launcher: Launcher, fake_sites, html: str) -> int:
    """Load `html` as the home page in the shared window; return the event mark before it."""
    fake_sites.page("portal.localhost", "/", html)
    mark = launcher.mark()
    seen = len(fake_sites.requests("portal.localhost", "/"))
    launcher.send(op="home")
    fake_sites.wait_for("portal.localhost", "/", count=seen + 1)
    return mark
