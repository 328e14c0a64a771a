"""Launcher vs Debian Chromium kiosk: time to first paint of HOME and peak PSS of the process tree.

Run under a display (`xvfb-run -a -s "-screen 0 1280x800x24" python benchmarks/launcher.py`).
Both browsers open the same local page; the page reports its first contentful paint to the local
server, and the time from process start to that report is "first paint". PSS (proportional set
size, from /proc/PID/smaps_rollup) is summed over the whole process tree and sampled until a few
seconds after the paint; the peak is kept. Prints medians and launcher/chromium ratios.

Run as root, every browser has its sandbox off (it refuses to start otherwise); `--user kiosk`
runs them as that account with their sandboxes on, as in production.

Every run starts from nothing, as a kiosk session does: a fresh HOME with its own (cold) cache
directory, Mesa's shader cache included, and a fresh profile for each browser.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from measure import (  # noqa: E402
    LocalPage,
    cold_env,
    fresh_chromium,
    fresh_launcher,
    stop_group,
    tree_pss_kib,
)

from tests.launcher.harness import as_user, write_policy  # noqa: E402

PAGE = b"""<!doctype html><meta charset=utf-8><title>Accueil</title>
<h1>Bienvenue</h1><p>Choisissez un site pour commencer votre demarche.</p>
<script>
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.name === "first-contentful-paint") { fetch("/painted"); }
  }
}).observe({type: "paint", buffered: true});
</script>"""


class PaintServer:
    """Serves PAGE and records when /painted arrives."""

    def __init__(self) -> None:
        self.painted = threading.Event()
        self.painted_at = 0.0
        self.url = LocalPage(self._answer).url

    def _answer(self, _method: str, path: str, _body: bytes) -> tuple[int, bytes]:
        if path == "/painted" and not self.painted.is_set():
            self.painted_at = time.monotonic()  # exact, not the polling tick
            self.painted.set()
        if path == "/":
            return 200, PAGE
        return (200 if path == "/painted" else 404), b""


def measure(command: list[str], env: dict[str, str], server: PaintServer,
            settle: float) -> tuple[float, int]:
    """Start `command`; return (seconds to first paint, peak tree PSS in kB)."""
    server.painted.clear()
    start = time.monotonic()
    proc = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    paint, peak, deadline = None, 0, start + 60
    try:
        while time.monotonic() < deadline:
            if paint is None and server.painted.is_set():
                paint = server.painted_at - start
                deadline = time.monotonic() + settle
            peak = max(peak, tree_pss_kib(proc.pid))
            time.sleep(0.05)
    finally:
        stop_group(proc)
        proc.stdin.close()
    if paint is None:
        raise RuntimeError(f"no first paint from {command[0]}")
    return paint, peak


def launcher_run(server: PaintServer, work: Path, settle: float,
                 user: str | None) -> tuple[float, int]:
    command, env = fresh_launcher(server.url, work, work / "policy.toml", sandbox=bool(user))
    if user:
        command = as_user(user, work, command, env)
    return measure(command, env, server, settle)


BARE = "import sys, webview; webview.create_window('x', sys.argv[1]); webview.start(gui='qt')"


def bare_run(server: PaintServer, work: Path, settle: float,
             user: str | None) -> tuple[float, int]:
    """Reference: a stock pywebview Qt window, no enforcement, also from a fresh HOME."""
    home = work / "bare-home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    env = cold_env(home)
    command = [sys.executable, "-c", BARE, server.url]
    if user:
        command = as_user(user, work, command, env)
    elif os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return measure(command, env, server, settle)


def chromium_run(server: PaintServer, work: Path, settle: float,
                 user: str | None) -> tuple[float, int]:
    command, env = fresh_chromium(server.url, work, sandbox=bool(user))
    if user:
        command = as_user(user, work, command, env)
    return measure(command, env, server, settle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--with-bare", action="store_true",
                        help="also measure a stock pywebview window, for reference")
    parser.add_argument("--settle", type=float, default=3.0,
                        help="seconds of PSS sampling after the first paint")
    parser.add_argument("--user", metavar="ACCOUNT",
                        help="run every browser as this account with its sandbox on, as in "
                             "production (needs root; without it, a root run turns sandboxes off)")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("needs a display: run under xvfb-run")
    if args.user and os.geteuid() != 0:
        sys.exit("--user needs root")
    server = PaintServer()
    runners = [("launcher", launcher_run), ("chromium", chromium_run)]
    if args.with_bare:
        runners.append(("pywebview", bare_run))
    results: dict[str, list[tuple[float, int]]] = {name: [] for name, _ in runners}
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)
        write_policy(work / "policy.toml", strict=False)
        for run in range(args.runs):
            # alternate, so warm-up and background noise hit both alike
            for name, runner in runners:
                paint, pss = runner(server, work, args.settle, args.user)
                results[name].append((paint, pss))
                print(f"run {run + 1} {name:9} first paint {paint:.3f} s  "
                      f"peak PSS {pss / 1024:.0f} MB", flush=True)
    medians = {name: (statistics.median(p for p, _ in runs), statistics.median(m for _, m in runs))
               for name, runs in results.items()}
    for name, (paint, pss) in medians.items():
        print(f"median {name:9} first paint {paint:.3f} s  peak PSS {pss / 1024:.0f} MB")
    (lp, lm), (cp, cm) = medians["launcher"], medians["chromium"]
    print(f"ratio launcher/chromium: first paint {lp / cp:.2f}x (goal <= 1.2)  "
          f"memory {lm / cm:.2f}x (goal <= 1.0)")


if __name__ == "__main__":
    main()
