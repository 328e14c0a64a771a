"""Helpers for wipe tests: a throwaway terminal layout and a fake session of real processes."""

from __future__ import annotations

import filecmp
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

HERE = Path(__file__).parent
FAKE_SESSION = HERE / "fake_session.py"
# Every process a wipe test starts carries this, so teardown can kill leftovers of a failure.
RUN_VAR = "KIOSK_WIPE_TEST_RUN"
RUN_ID = secrets.token_hex(6)
CHILD_ENV = {**os.environ, RUN_VAR: RUN_ID, "PYTHONPATH": str(HERE.parent.parent)}


# mount, chown and setuid need root (the production wipe runs as root too)
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root: mount, chown or setuid")


def kill_test_processes() -> int:
    """SIGKILL every process this test run started (by its marker variable)."""
    killed = 0
    for proc in psutil.process_iter():
        try:
            if proc.pid != os.getpid() and proc.environ().get(RUN_VAR) == RUN_ID:
                proc.kill()
                killed += 1
        except psutil.Error:
            continue
    return killed


@dataclass
class Layout:
    """A state dir, a HOME and its template, and private tmp roots (one on real tmpfs)."""

    state: Path
    home: Path
    template: Path
    roots: list[Path]
    keep: list[Path] = field(default_factory=list)  # must survive every wipe

    def prepare_kwargs(self) -> dict:
        return {"homes": [(self.home, self.template)], "tmp_roots": self.roots, "display": "",
                "wayland_display": ""}

    def to_json(self) -> str:
        return json.dumps({"state": str(self.state), "home": str(self.home),
                           "template": str(self.template), "roots": [str(r) for r in self.roots]})


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def make_layout(base: Path, shm_base: Path) -> Layout:
    template = base / "template"
    _write(template / ".bashrc", "export LANG=fr_FR.UTF-8\n")
    _write(template / ".config" / "app.conf", "[ui]\nlarge=1\n")
    _write(template / ".local" / "share" / "keep", "kept\n")
    home = base / "home"
    shutil.copytree(template, home, symlinks=True)
    state = base / "state"
    keep = [_write(state / "policy.toml", "version = 1\n"),
            _write(state / "counters.sqlite3", "not really sqlite\n")]
    roots = []
    for tmp_base in (base / "t1", base / "t2", shm_base):
        root = tmp_base / "root"
        keep.append(_write(root / "preexisting" / "old", "from before the session\n"))
        keep.append(_write(tmp_base / "outside" / "precious", "never deleted\n"))
        roots.append(root)
    time.sleep(0.05)  # pre-session files must predate the session start (coarse clock)
    return Layout(state=state, home=home, template=template, roots=roots, keep=keep)


@pytest.fixture
def layout(tmp_path: Path):
    """A fresh terminal layout; kills any process a failed test left running."""
    shm_base = Path(tempfile.mkdtemp(prefix="kiosk-wipe-test-", dir="/dev/shm"))
    try:
        yield make_layout(tmp_path, shm_base)
    finally:
        kill_test_processes()
        shutil.rmtree(shm_base, ignore_errors=True)


@pytest.fixture
def marker() -> str:
    return "resident" + secrets.token_hex(6)


class FakeSession:
    """The fake session's root process and, once ready, every process it started."""

    def __init__(self, layout: Layout, marker: str, env: dict[str, str], files: int = 0):
        args = [sys.executable, str(FAKE_SESSION), marker, str(layout.state / "session"),
                str(layout.home), *map(str, layout.roots), "--files", str(files)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, env={**CHILD_ENV, **env})
        self.token = env["KIOSK_SESSION_ID"]
        self.pids: set[int] = set()

    def wait_ready(self, timeout: float = 20) -> None:
        line = self.proc.stdout.readline()
        assert line.strip() == b"ready", "fake session did not start"
        self.pids = {self.proc.pid} | set(tokened_pids(self.token))

    def alive(self) -> list[int]:
        """Session processes still running (zombies are dead)."""
        pids = self.pids | set(tokened_pids(self.token))
        return [p for p in pids if _running(p)]

    def reap(self) -> None:
        self.proc.stdout.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def tokened_pids(token: str) -> list[int]:
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get("KIOSK_SESSION_ID") == token:
                found.append(proc.pid)
        except psutil.Error:
            continue
    return found


def find_residue(layout: Layout, marker: str) -> list[str]:
    """Every trace of the session an independent search can find (empty list = clean)."""
    found = []
    bases = {layout.state, layout.home, *(r.parent for r in layout.roots)}
    for base in bases:
        for path, dirs, files in os.walk(base):
            for name in dirs + files:
                full = os.path.join(path, name)
                if marker in name:
                    found.append(full)
                elif name in files and not os.path.islink(full):
                    with open(full, "rb") as f:
                        if marker.encode() in f.read(1 << 20):
                            found.append(full)
    found += [f"home differs: {d}" for d in _tree_diff(layout.home, layout.template)]
    found += [f"lost: {p}" for p in layout.keep if not p.exists()]
    session = layout.state / "session"
    # A supervisor killed before it prepared any session leaves no session dir: nothing to wipe.
    if session.exists() and (sorted(os.listdir(session)) != ["downloads", "tmp"] or any(
            os.listdir(session / d) for d in os.listdir(session))):
        found.append("session dir not empty")
    return found


def _tree_diff(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b, ignore=[])
    diffs = cmp.left_only + cmp.right_only + cmp.funny_files
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    diffs += mismatch + errors
    for sub in cmp.common_dirs:
        diffs += _tree_diff(a / sub, b / sub)
    return diffs
