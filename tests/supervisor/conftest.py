"""A real `kiosk run` in a subprocess: real supervisor, portal, launcher window and wipe."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from kiosk import control
from kiosk.launcher_process import renderer_pids
from policies import default_policy_path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def short_policy(idle_minutes: float = 60, warning_seconds: int = 60,
                 max_minutes: float = 60) -> bytes:
    text = default_policy_path().read_text()
    start = text.index("[session]")
    end = text.index("[[category]]")
    session = (f"[session]\nidle_minutes = {idle_minutes}\nwarning_seconds = {warning_seconds}\n"
               f"max_minutes = {max_minutes}\n\n")
    return (text[:start] + session + text[end:]).encode()


class RunningKiosk:
    """Drives one `kiosk run` process through its portal (HTTP) and control socket."""

    def __init__(self, tmp: Path, policy: bytes, display: str):
        self.state = tmp / "state"
        self.home = tmp / "home"
        self.state.mkdir(parents=True)
        self.home.mkdir()
        self.port = free_port()
        (self.state / "config.toml").write_text(f"portal_port = {self.port}\n")
        (self.state / "policy.toml").write_bytes(policy)
        self.env = {**os.environ, "DISPLAY": display, "HOME": str(self.home),
                    "XDG_CACHE_HOME": str(self.home / ".cache"),
                    "XDG_CONFIG_HOME": str(self.home / ".config"),
                    "XDG_DATA_HOME": str(self.home / ".local/share"), "PYTHONPATH": str(ROOT)}
        if os.geteuid() == 0:
            self.env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
        self.log = (tmp / "run.log").open("wb")
        self.process: subprocess.Popen | None = None

    def start(self) -> RunningKiosk:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "run", "--state-dir", str(self.state), "--windowed"],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_for(lambda s: s["state"] == "welcome" and s["ready"] and self.launcher_pids(),
                      timeout=60)
        return self

    def status(self) -> dict:
        return control.request(self.state, {"cmd": "status"}, timeout=10)

    def wait_for(self, condition, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        last: dict | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"kiosk run exited with {self.process.returncode}")
            try:
                last = self.status()
                if condition(last):
                    return last
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"condition not met in {timeout} s; last status "
                             f"{json.dumps(last)[:500]}")

    def post(self, path: str, data: bytes = b"") -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                         method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    def begin(self) -> dict:
        self.post("/commencer")
        return self.wait_for(lambda s: s["state"] == "active")

    def launcher_pids(self) -> list[int]:
        if not self.process:
            return []
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        return [p.pid for p in children if "launch" in " ".join(_cmdline(p))]

    def renderer_pids(self) -> set[int]:
        """The window's renderer processes (where a session's pages live)."""
        return set().union(*(renderer_pids(pid) for pid in self.launcher_pids()))

    def kill9(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)  # the whole group: supervisor and launcher
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill9()
        self.log.close()


def wait(condition, timeout: float = 30) -> None:
    """Poll until `condition()` is true; AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


@pytest.fixture
def kiosk_factory(tmp_path, display):
    started: list[RunningKiosk] = []

    def make(policy: bytes | None = None, subdir: str = "k") -> RunningKiosk:
        kiosk = RunningKiosk(tmp_path / subdir, policy or short_policy(), display)
        started.append(kiosk)
        return kiosk.start()

    yield make
    for kiosk in started:
        kiosk.stop()
    shutil.rmtree(tmp_path, ignore_errors=True)


def screenshot(display: str, path: Path) -> Path:
    """What the resident sees: the whole X screen, as a PNG."""
    subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=20,
                   env={**os.environ, "DISPLAY": display})
    return path


def differing_pixels(first: Path, second: Path) -> int:
    """How many pixels differ noticeably between two screenshots (ImageMagick `compare`)."""
    result = subprocess.run(["compare", "-metric", "AE", "-fuzz", "8%", str(first), str(second),
                             "null:"], capture_output=True, text=True, timeout=30)
    return int(float(result.stderr.split()[0]))


def settled_screenshot(display: str, path: Path, timeout: float = 10) -> Path:
    """A screenshot once two in a row agree (the page finished painting)."""
    deadline = time.monotonic() + timeout
    previous = screenshot(display, path.with_suffix(".prev.png"))
    while True:
        time.sleep(0.4)
        current = screenshot(display, path)
        if differing_pixels(previous, current) == 0 or time.monotonic() > deadline:
            return current
        previous = screenshot(display, path.with_suffix(".prev.png"))
