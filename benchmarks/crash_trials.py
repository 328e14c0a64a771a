"""100 kill -9 trials at random moments (during a wipe, during a session), each followed by
recovery; prints the residue count (must be 0), where the kills landed, and timings.

    python benchmarks/crash_trials.py [--trials 100] [--seed 1]
"""

from __future__ import annotations

import argparse
import collections
import random
import secrets
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "wipe")]

from crash_harness import kill_during_wipe, kill_supervisor  # noqa: E402
from wipe_fixtures import kill_test_processes, make_layout  # noqa: E402


def one_trial(kind: str, rng: random.Random):
    base = Path(tempfile.mkdtemp(prefix="kiosk-crash-"))
    shm = Path(tempfile.mkdtemp(prefix="kiosk-crash-", dir="/dev/shm"))
    try:
        layout = make_layout(base, shm)
        marker = "resident" + secrets.token_hex(6)
        trial = (kill_during_wipe if kind == "wipe" else kill_supervisor)(layout, marker, rng)
        return trial
    finally:
        kill_test_processes()
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(shm, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    residue = survivors = failed = 0
    where: collections.Counter[str] = collections.Counter()
    recovery: dict[str, list[float]] = {"wipe": [], "session": []}
    for i in range(args.trials):
        kind = "wipe" if i % 5 < 3 else "session"  # 60 kills during wipes, 40 during sessions
        trial = one_trial(kind, rng)
        residue += len(trial.residue)
        survivors += len(trial.survivors)
        failed += not trial.recovered_ok
        where[f"{kind}:{trial.killed_in}"] += 1
        recovery[kind].append(trial.recovery_s)
        if trial.residue or trial.survivors or not trial.recovered_ok:
            print(f"trial {i} ({kind}, killed in {trial.killed_in}): {trial}", file=sys.stderr)
    print(f"trials: {args.trials}  residue: {residue}  surviving processes: {survivors}  "
          f"failed recoveries: {failed}")
    print("kill landed in (last announced step):")
    for key, n in sorted(where.items()):
        print(f"  {key:<28} {n}")
    for kind, times in recovery.items():
        if times:
            print(f"recovery after a kill during a {kind}: median {statistics.median(times):.3f} s,"
                  f" max {max(times):.3f} s")
    sys.exit(1 if residue or survivors or failed else 0)


if __name__ == "__main__":
    main()
