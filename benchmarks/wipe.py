"""Wipe time for a session holding 10,000 files / 500 MB (goal: <= 1 s), median of several runs,
with the bulk-delete strategies compared on the same tree.

    python benchmarks/wipe.py [--runs 5] [--files 10000] [--mb 500] [--dir /var/tmp]

The tree is written, then synced to disk (a real session's files are on disk by its end).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wipe import prepare_session, purge, wipe_session  # noqa: E402
from wipe.fsops import delete_tree, delete_tree_parallel  # noqa: E402


def fill(root: Path, files: int, total_bytes: int) -> None:
    """A profile-like tree: 100 files per directory, nested two levels."""
    chunk = os.urandom(total_bytes // files)
    for i in range(files):
        d = root / f"cache{i // 1000}" / f"d{(i // 100) % 10}"
        if i % 100 == 0:
            d.mkdir(parents=True, exist_ok=True)
        with open(d / f"f{i}", "wb") as f:
            f.write(chunk)
    os.sync()


def timed_wipe(base: Path, files: int, total: int,
               defer: bool = False) -> tuple[float, dict[str, float]]:
    state, tmp_root, home, tpl = (base / n for n in ("state", "tmp", "home", "template"))
    for d in (tmp_root, home, tpl / ".config"):
        d.mkdir(parents=True)
    (tpl / ".config" / "app.conf").write_text("clean\n")
    handle = prepare_session(state, homes=[(home, tpl)], tmp_roots=[tmp_root], display="",
                             wayland_display="")
    fill(handle.session_dir / "profile", files, total)
    env = {**os.environ, **handle.env()}
    procs = [subprocess.Popen(["sleep", "600"], env=env) for _ in range(3)]
    for p in procs:
        handle.add_process(p.pid)
    report = wipe_session(handle, defer_delete=defer)
    for p in procs:
        p.wait()
    assert report.ok, report.summary_lines()
    steps = {s.name: s.duration_s for s in report.steps}
    if defer:
        purged = purge(state)
        assert purged.counts["files"] == files
        steps["purge (after)"] = purged.duration_s
    else:
        assert report.step("session_dir").counts["files"] == files
    return report.duration_s, steps


def timed_delete(base: Path, files: int, total: int, how: str) -> float:
    tree = base / "tree"
    fill(tree, files, total)
    t0 = time.perf_counter()
    if how == "delete_tree_parallel":
        delete_tree_parallel(tree)
    elif how == "delete_tree (fd-based)":
        delete_tree(tree)
    elif how == "shutil.rmtree":
        shutil.rmtree(tree)
    else:
        subprocess.run(["rm", "-rf", str(tree)], check=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--mb", type=int, default=500)
    parser.add_argument("--dir", default="/var/tmp", help="where to build trees (a disk, like "
                        "/var/lib/kiosk, not tmpfs)")
    args = parser.parse_args()
    total = args.mb * 1_000_000
    print(f"session: {args.files} files, {args.mb} MB, {args.runs} runs each")
    for defer in (False, True):
        totals, steps = [], {}
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="kiosk-wipe-bench-", dir=args.dir) as base:
                duration, per_step = timed_wipe(Path(base), args.files, total, defer)
            totals.append(duration)
            for name, s in per_step.items():
                steps.setdefault(name, []).append(s)
        med = statistics.median(totals)
        label = "deferred delete (tree to trash, purge after)" if defer else "full delete"
        print(f"wipe, verified, {label}: median {med:.3f} s  min {min(totals):.3f}  "
              f"max {max(totals):.3f}  -> {med / 1.0:.2f}x the 1 s goal")
        for name, values in steps.items():
            print(f"  {name:<14} median {statistics.median(values) * 1000:8.1f} ms")
    prep = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="kiosk-wipe-bench-", dir=args.dir) as base:
            t0 = time.perf_counter()
            handle = prepare_session(Path(base) / "state", display="", wayland_display="")
            prep.append(time.perf_counter() - t0)
            handle.watch.stop()
            (Path(base) / "state" / "wipe.journal").unlink()
    print(f"prepare_session with the real /tmp, /var/tmp, /dev/shm (snapshot + watchdog + "
          f"fsynced journal): median {statistics.median(prep) * 1000:.1f} ms")
    print("bulk delete of the same tree, median of 3:")
    for how in ("delete_tree_parallel", "delete_tree (fd-based)", "shutil.rmtree", "rm -rf"):
        runs = []
        for _ in range(3):
            with tempfile.TemporaryDirectory(prefix="kiosk-wipe-bench-", dir=args.dir) as base:
                runs.append(timed_delete(Path(base), args.files, total, how))
        print(f"  {how:<24} {statistics.median(runs):.3f} s")


if __name__ == "__main__":
    main()
