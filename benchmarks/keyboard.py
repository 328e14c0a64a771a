"""What the on-screen keyboard costs in memory: PSS of the whole window (launcher and Chromium
processes) on a form page, keyboard closed, then open after typing a few keys, in the real window.

Run under a display: `xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp"
python benchmarks/keyboard.py [--runs N]`. Each run starts a fresh window on a local fake site,
lets it settle, samples PSS (proportional set size, summed over the process tree) for a few
seconds, opens the keyboard with the toolbar button, types on it with mouse clicks, samples
again. Prints the medians of closed, open and the difference.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from measure import tree_pss_kib  # noqa: E402

from tests.fakesites import FakeSitesServer  # noqa: E402
from tests.launcher.harness import Launcher, xdotool  # noqa: E402
from tests.launcher.onscreen import Finger, toggle_keyboard  # noqa: E402

FORM = """<!doctype html><meta charset=utf-8><h1>Mon compte</h1>
<input style="position:absolute;left:40px;top:100px;width:500px;height:40px;font-size:22px">"""


def sample(pid: int, seconds: float = 3.0) -> int:
    """Median PSS (kB) over `seconds`, sampled every 0.25 s."""
    values = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        values.append(tree_pss_kib(pid))
        time.sleep(0.25)
    return int(statistics.median(values))


def one_run(sites: FakeSitesServer, display: str, work: Path) -> tuple[int, int]:
    page = sites.page("caf.localhost", "/", FORM)
    window = Launcher(work, page, display)
    try:
        window.wait_event("ready", timeout=60)
        time.sleep(3)
        closed = sample(window.proc.pid)
        xdotool("mousemove", "200", "120", "click", "1", display=display)
        toggle_keyboard(display)
        Finger(display).type("é@1 azerty")
        time.sleep(2)
        opened = sample(window.proc.pid)
        return closed, opened
    finally:
        window.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import os

    display = os.environ["DISPLAY"]
    closed, opened = [], []
    with FakeSitesServer() as sites, tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            c, o = one_run(sites, display, Path(tmp) / f"run{run}")
            closed.append(c)
            opened.append(o)
            print(f"run {run + 1}: closed {c / 1024:.1f} MB, open {o / 1024:.1f} MB")
    c, o = statistics.median(closed), statistics.median(opened)
    print(f"median PSS, keyboard closed: {c / 1024:.1f} MB; open: {o / 1024:.1f} MB; "
          f"difference {(o - c) / 1024:+.1f} MB ({o / c:.3f}x)")


if __name__ == "__main__":
    main()
