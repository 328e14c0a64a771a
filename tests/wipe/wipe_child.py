"""Runs one wipe of STATE_DIR when told to on stdin, printing each step as it starts."""

import sys

from wipe import wipe_session

print("ready", flush=True)
sys.stdin.readline()
report = wipe_session(sys.argv[1], grace=float(sys.argv[2]),
                      on_step=lambda name: print(name, flush=True))
print("done" if report.ok else "failed", flush=True)
