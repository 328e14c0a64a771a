"""A private X server (Xvfb) on a free display: for the session, or a test needing its own size."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator


def start_xvfb(size: str = "1280x800x24") -> tuple[subprocess.Popen, str]:
    """Start Xvfb on the first free display (it tells which through -displayfd).

    Returns the process and the display name (":N"); the name is empty if Xvfb did not start.
    """
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", size,
                             "-nolisten", "tcp"], pass_fds=(write_fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    return proc, f":{number}" if number else ""


@contextlib.contextmanager
def xvfb(size: str = "1280x800x24") -> Iterator[str]:
    """A private X server for the `with` block; yields its display name."""
    proc, name = start_xvfb(size)
    try:
        if not name:
            raise RuntimeError("Xvfb did not start")
        yield name
    finally:
        proc.terminate()
        proc.wait(timeout=10)
