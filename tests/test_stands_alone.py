"""The repository stands alone: no committed file points at the reference folders or the
machine it was written on (what it needs from them is rewritten into docs/)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = re.compile(r"\.\./shared\b|/work/(?:shared|main|wt|venv|notes)\b")


SKIPPED_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
                "node_modules", "build"}


def repository_files() -> list[str]:
    """The files git tracks; on a machine without git (CI's bare Debian), every file of the
    tree but the virtualenv, caches and build output."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                                capture_output=True).stdout.decode().split("\0")
        return [name for name in listed if name]
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info")]
        found += [str(Path(folder, f).relative_to(ROOT)) for f in files]
    return found


def test_no_committed_file_points_outside_the_repository():
    offenders = []
    for name in repository_files():
        if name == "tests/test_stands_alone.py":
            continue
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary files (catalogues, images) and files deleted in the worktree
        offenders += [f"{name}:{n}" for n, line in enumerate(text.splitlines(), 1)
                      if OUTSIDE.search(line)]
    assert offenders == []
