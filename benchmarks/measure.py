"""Measurement pieces shared by the benchmarks: memory of a process tree, a cold-cache
environment, the local page the browsers open, the kiosk launcher and the Chromium kiosk every
figure is compared with, each started from nothing."""

from __future__ import annotations

import array
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]


def tree_pss_kib(pid: int) -> int:
    """Sum of Pss over pid and all its descendants (kB, from smaps_rollup; RSS double-counts)."""
    total = 0
    for child in [pid, *descendants(pid)]:
        try:
            text = Path(f"/proc/{child}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
    return total


_PFN = (1 << 55) - 1
_PRESENT = 1 << 63


def alone_kib(pids: list[int]) -> int:
    """Memory of these processes as if nothing else ran (kB): every physical page they map,
    counted once. PSS splits a page shared with a process outside the set (the engine's
    libraries, when other browsers run) and so shrinks with the neighbours; this does not. Needs
    root (page frame numbers from /proc/PID/pagemap)."""
    frames: set[int] = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
                for low, high in _resident_ranges(pid):
                    pagemap.seek(low // 4096 * 8)
                    entries = array.array("Q", pagemap.read((high - low) // 4096 * 8))
                    frames.update(e & _PFN for e in entries if e & _PRESENT)
        except OSError:
            continue
    frames.discard(0)  # unprivileged readers get 0 for every frame
    return len(frames) * 4


def kiosk_processes(root: int, marker: str | None = None) -> list[int]:
    """root and its descendants, plus the processes whose command line or environment names
    `marker` (the benchmark's own directory) and their descendants: daemons the kiosk starts
    that leave its tree, like speech-dispatcher and its espeak-ng module (`--spawn` detaches
    them), are still the kiosk's memory."""
    found = [root, *descendants(root)]
    if marker:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) in found:
                continue
            try:
                line = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
            except OSError:
                continue
            if marker.encode() in line:
                pid = int(entry.name)
                found += [pid, *(d for d in descendants(pid) if d not in found)]
    return found


def _resident_ranges(pid: int) -> list[tuple[int, int]]:
    """Address ranges of pid's mappings that have any page in memory."""
    ranges, current = [], None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        first = line.split(None, 1)[0]
        if first.endswith(":"):
            if first == "Rss:" and current and int(line.split()[1]) > 0:
                ranges.append(current)
        elif "-" in first:
            low, high = (int(x, 16) for x in first.split("-"))
            current = (low, high)
    return ranges


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def cold_env(home: Path) -> dict[str, str]:
    """A fresh HOME with its caches in it. Mesa finds its shader cache through the passwd entry,
    not $HOME, so without XDG_CACHE_HOME every browser would share root's warm cache."""
    return {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
            "MESA_SHADER_CACHE_DIR": str(home / ".cache" / "mesa_shader_cache")}


def chromium_kiosk_command(url: str, profile: Path, sandbox: bool = False) -> list[str]:
    """Debian's Chromium as a bare kiosk, with a profile of its own and no background traffic.
    As root its sandbox must be off, unless the command runs as another account (`as_user`)."""
    command = [CHROMIUM, "--kiosk", "--incognito", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", url]
    if os.geteuid() == 0 and not sandbox:
        command.insert(1, "--no-sandbox")
    return command



def fresh_chromium(url: str, work: Path, sandbox: bool = False) -> tuple[list[str], dict[str, str]]:
    """The Chromium kiosk on `url` with nothing kept from an earlier run (profile, caches)."""
    profile, home = work / "chromium", work / "chromium-home"
    shutil.rmtree(profile, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    return chromium_kiosk_command(url, profile, sandbox), cold_env(home)


def fresh_launcher(url: str, work: Path, policy: Path,
                   sandbox: bool = False) -> tuple[list[str], dict[str, str]]:
    """`kiosk launch` on `url` from a fresh HOME and session dir (it moves its caches into the
    session dir anyway). As root the engine's sandbox is off, unless the command runs as another
    account (`as_user`)."""
    home = work / "home"
    shutil.rmtree(work / "session", ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = {**cold_env(home), "PYTHONPATH": str(ROOT)}
    if os.geteuid() == 0 and not sandbox:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return [sys.executable, "-m", "kiosk", "launch", "--policy", str(policy), "--home", url,
            "--session-dir", str(work / "session")], env


def stop_group(proc: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM the process group a browser was started in (start_new_session); SIGKILL it if it
    is still there after `timeout`."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


class LocalPage:
    """An HTTP server on 127.0.0.1 standing in for the page the browsers open.
    `answer(method, path, body)` returns each reply as (status, HTML bytes)."""

    def __init__(self, answer: Callable[[str, str, bytes], tuple[int, bytes]]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                status, body = answer(self.command, self.path, self.rfile.read(length))
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _serve  # noqa: N815

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
