"""A fake resident session made of real processes that leave real traces everywhere.

Usage: fake_session.py MARKER SESSION_DIR HOME TMP_ROOT [TMP_ROOT...] [--files N]
Prints "ready" once every process runs and every trace is written, then stays alive.
Every trace carries MARKER in its name and its content, so a test can search for it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def write(path: Path, marker: str, size: int = 64) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((marker.encode() + b"\n") * max(1, size // (len(marker) + 1)))


def holder(marker: str, session: Path, tmp_root: Path) -> None:
    """Ignores SIGTERM and keeps files open: the wipe must escalate to SIGKILL."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    held = [open(session / "tmp" / f"held-{marker}", "w"), open(tmp_root / f"held-{marker}", "w")]
    for f in held:
        f.write(marker)
        f.flush()
    print("ready", flush=True)
    while True:
        time.sleep(1)


def writer(marker: str, session: Path) -> None:
    """Has its own child and keeps writing in the profile while it lives."""
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
    print("ready", flush=True)
    n = 0
    while True:
        write(session / "profile" / "live" / f"{marker}-{n % 5}", marker)
        n += 1
        time.sleep(0.005)


def daemon(marker: str, home: Path) -> None:
    """Double fork: reparented away from the session tree, found by its environment."""
    if os.fork():
        os._exit(0)
    os.setsid()
    if os.fork():
        os._exit(0)
    os.chdir(home)
    print("ready", flush=True)
    while True:
        time.sleep(1)


def traces(marker: str, session: Path, home: Path, roots: list[Path], files: int) -> None:
    write(session / "profile" / "Default" / f"Cookies-{marker}", marker, 4096)
    write(session / "downloads" / f"{marker}.pdf", marker, 20000)
    for i in range(files):
        write(session / "profile" / "Cache" / f"d{i % 10}" / f"{marker}-{i}", marker, 512)
    write(home / f"{marker}.txt", marker)
    write(home / ".cache" / marker / "entry", marker)
    with open(home / ".bashrc", "a") as f:
        f.write(f"# {marker}\n")
    (home / ".config" / "app.conf").unlink()
    for root in roots:
        write(root / f"{marker}.tmp", marker)
        write(root / f"{marker}-dir" / "sub" / "f", marker)
        write(root / "preexisting" / f"{marker}-inside", marker)
        os.symlink(root.parent / "outside", root / f"{marker}-link")


def main(argv: list[str]) -> None:
    role = argv[0]
    if role == "--holder":
        return holder(argv[1], Path(argv[2]), Path(argv[3]))
    if role == "--writer":
        return writer(argv[1], Path(argv[2]))
    if role == "--daemon":
        return daemon(argv[1], Path(argv[2]))
    files = 0
    if "--files" in argv:
        i = argv.index("--files")
        files, argv = int(argv[i + 1]), argv[:i] + argv[i + 2:]
    marker, session, home, roots = argv[0], Path(argv[1]), Path(argv[2]), [Path(r) for r in argv[3:]]
    me = [sys.executable, __file__]
    kids = [subprocess.Popen([*me, "--holder", marker, str(session), str(roots[0])],
                             stdout=subprocess.PIPE),
            subprocess.Popen([*me, "--writer", marker, str(session)], stdout=subprocess.PIPE),
            subprocess.Popen([*me, "--daemon", marker, str(home)], stdout=subprocess.PIPE)]
    traces(marker, session, home, roots, files)
    for kid in kids:
        kid.stdout.readline()
    try:
        print("ready", flush=True)
    except BrokenPipeError:
        pass  # whoever started us died (a crash test): keep running, as an orphan would
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main(sys.argv[1:])
