"""Measurement pieces shared by the benchmarks: memory of a process tree, a cold-cache
environment, and the Chromium kiosk every figure is compared with."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


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

