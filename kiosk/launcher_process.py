"""One launcher child process: started with a session's environment, spoken to over its pipes
(JSON-line commands on stdin, `Event` JSON lines on stdout)."""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import psutil

from core.events import Event

log = logging.getLogger(__name__)
ENGINE_HELPER = "QtWebEngineProcess"  # Chromium's zygote and renderers, under Qt WebEngine


def renderer_pids(window_pid: int) -> set[int]:
    """The engine's renderer processes under a window, where the pages of the current profile
    live (the zygotes that fork them must survive a `clear`)."""
    try:
        helpers = psutil.Process(window_pid).children(recursive=True)
    except psutil.Error:
        return set()
    return {p.pid for p in helpers if is_renderer(p.ppid(), window_pid, namespace_pids(p.pid))}


def is_renderer(parent: int, window_pid: int, nspid: list[int]) -> bool:
    """Without Chromium's sandbox (root, tests) the zygote is the window's child and forks the
    renderers. With it on (production), the zygote runs in a PID namespace of its own (NSpid
    "host inner") under that namespace's init, and each renderer in one more ("host zygote's
    own"): counting parents would take that zygote for a renderer, and killing it leaves the
    next resident a white window."""
    if len(nspid) > 1:
        return len(nspid) >= 3
    return parent != window_pid


def namespace_pids(pid: int) -> list[int]:
    """The process's pid in each nested PID namespace, outermost first ([] if unreadable)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("NSpid:"):
                    return [int(n) for n in line.split()[1:]]
    except (OSError, ValueError):
        pass
    return []


class LauncherProcess:
    """Starts `kiosk launch` and turns its stdout into a queue of events."""

    def __init__(self, policy: Path, home: str, session_dir: Path, env: dict[str, str],
                 windowed: bool = False, portal: str | None = None, kept: bool = False,
                 on_event: Callable[[], None] | None = None):
        argv = [sys.executable, "-m", "kiosk", "launch", "--policy", str(policy), "--home", home,
                "--session-dir", str(session_dir)]
        if portal:
            argv += ["--portal", portal]
        if kept:
            argv.append("--kept")
        self.kept = kept
        self.was_ready = False  # it showed its first page (set by the supervisor on "ready")
        self._on_event = on_event  # wakes the supervisor's loop
        if windowed:
            argv.append("--windowed")
        self.events: queue.Queue[Event] = queue.Queue()
        self._send_lock = threading.Lock()  # one whole command line at a time on the pipe
        self.process = subprocess.Popen(argv, env={**os.environ, **env}, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, bufsize=1,
                                        start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True, name="launcher-events")
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def _read(self) -> None:
        for line in self.process.stdout:
            try:
                self.events.put(Event.from_json(line))
                if self._on_event is not None:
                    self._on_event()
            except (ValueError, KeyError, TypeError):
                log.warning("ignored a malformed line from the launcher")
        self.process.stdout.close()

    def engine_spare(self, old_renderers: set[int]):
        """For the wipe after `clear`: keep this window and its engine helpers, except the old
        session's renderers; anything else it started is the session's and goes."""
        root = self.pid

        def spare(proc: psutil.Process) -> bool:
            if proc.pid == root:
                return True
            if proc.pid in old_renderers or root not in {p.pid for p in proc.parents()}:
                return False
            return Path(proc.exe()).name == ENGINE_HELPER

        return spare

    def send(self, op: str, **fields: object) -> None:
        """Send one command; a dead launcher is not an error (the supervisor notices it)."""
        line = json.dumps({"op": op, **fields}) + "\n"
        with self._send_lock:
            try:
                self.process.stdin.write(line)
                self.process.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass

    def stop(self, grace: float = 2.0) -> None:
        """Ask it to quit, then SIGTERM, then SIGKILL; the wipe kills anything left."""
        if self.alive():
            self.send("quit")
            try:
                self.process.wait(grace / 2)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(grace / 2)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        for pipe in (self.process.stdin,):
            try:
                pipe.close()
            except OSError:
                pass
        self._reader.join(timeout=1)
