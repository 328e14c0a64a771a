"""Run the real install.sh in --root mode against throwaway directories, and read what it wrote."""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

INSTALL_SH = Path(__file__).resolve().parents[2] / "install.sh"
MANIFEST = "opt/kiosk/MANIFEST"


@dataclass(frozen=True)
class Entry:
    kind: str
    path: str
    mode: str
    owner: str
    detail: str


def run_installer(*args: str, stdin: int | None = subprocess.DEVNULL,
                  check: bool = True) -> subprocess.CompletedProcess:
    """install.sh with ARGS, output captured; fails the test on a non-zero exit when check."""
    result = subprocess.run(["bash", str(INSTALL_SH), *args], stdin=stdin, capture_output=True,
                            text=True, timeout=60)
    if check and result.returncode != 0:
        pytest.fail(f"install.sh {' '.join(args)} exited {result.returncode}:\n"
                    f"{result.stdout}\n{result.stderr}")
    return result


def install(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_installer("--kiosk", "--root", str(root), *extra)


def uninstall(root: Path, *extra: str, stdin: int | None = subprocess.DEVNULL,
              check: bool = True) -> subprocess.CompletedProcess:
    return run_installer("--uninstall", "--root", str(root), *extra, stdin=stdin, check=check)


def read_manifest(root: Path) -> list[Entry]:
    """The manifest lines (comments skipped) as entries."""
    entries = []
    for line in (root / MANIFEST).read_text().splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t") + ["-"] * 5
            entries.append(Entry(*fields[:5]))
    return entries


def manifest_entry(root: Path, path: str) -> Entry:
    matches = [e for e in read_manifest(root) if e.path == path]
    assert len(matches) == 1, f"{path} should be in the manifest exactly once: {matches}"
    return matches[0]


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under root with its type, permission bits and content hash or link target."""
    tree = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            st = path.lstat()
            rel = str(path.relative_to(root))
            if path.is_symlink():
                tree[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                tree[rel] = ("dir", oct(st.st_mode & 0o7777), st.st_uid, st.st_gid)
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                tree[rel] = ("file", oct(st.st_mode & 0o7777), st.st_uid, st.st_gid, digest)
    return tree


def mode_of(path: Path) -> int:
    return path.lstat().st_mode & 0o7777


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One --kiosk --root install shared by the read-only tests of a module: (root, output)."""
    root = tmp_path_factory.mktemp("root")
    result = install(root)
    return root, result.stdout
