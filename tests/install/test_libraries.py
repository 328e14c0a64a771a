"""Every shared library the installed binaries load comes from a package install.sh installs.

A bare Debian 12 (debootstrap minbase) has only the `required` packages; whatever else the
browser (Qt WebEngine), its platform plugins or the test tools (Playwright's node) link against
must be pulled in by RUNTIME_PACKAGES or TEST_PACKAGES, directly or as a dependency. This test
reads the real ELF files of this checkout's virtualenv with ldd and asks dpkg and apt who
provides them: a library that a minbase root would lack fails here, not on a volunteer's machine.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.install.conftest import INSTALL_SH

SITE = Path(sys.prefix, "lib", f"python{sys.version_info.major}.{sys.version_info.minor}",
            "site-packages")


def installer_packages(*arrays: str) -> list[str]:
    """The names in install.sh's package arrays (sourcing it runs nothing)."""
    script = f'. "{INSTALL_SH}"; ' + "; ".join(f'printf "%s\\n" "${{{a}[@]}}"' for a in arrays)
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    return out.stdout.split()


def elf_files(terminal: bool) -> list[Path]:
    """The binaries that get loaded (ldd lists their dependencies recursively): Qt WebEngine and
    the platform plugin (xcb; Wayland on the terminal), and Playwright's node for the tests."""
    qt = SITE / "PyQt6" / "Qt6"
    files = [qt / "libexec" / "QtWebEngineProcess", qt / "lib" / "libQt6WebEngineWidgets.so.6",
             qt / "plugins" / "platforms" / "libqxcb.so"]
    if terminal:
        files += [*sorted((qt / "plugins" / "platforms").glob("libqwayland*.so")),
                  *sorted((qt / "plugins" / "wayland-shell-integration").glob("*.so"))]
    else:
        files.append(SITE / "playwright" / "driver" / "node")
    return files


def linked_libraries(path: Path) -> dict[str, str | None]:
    """soname -> resolved path (None when ldd cannot find it)."""
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
    found: dict[str, str | None] = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) => (not found|(\S+))", line)
        if match:
            found[match.group(1)] = match.group(3)
    return found


def candidates(library: str) -> set[str]:
    """The names dpkg may know a library file by (/usr merge, symlinks)."""
    names = {library, str(Path(library).resolve())}
    names |= {c.replace("/usr/lib/", "/lib/", 1) for c in names}
    names |= {c.replace("/lib/", "/usr/lib/", 1) for c in names if c.startswith("/lib/")}
    return names


def owners(libraries: set[str]) -> dict[str, str]:
    """library -> the Debian package that ships it, for those dpkg knows (one dpkg call)."""
    names = {name: library for library in libraries for name in candidates(library)}
    out = subprocess.run(["dpkg", "-S", *sorted(names)], capture_output=True, text=True).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        package, _, path = line.partition(": ")
        if path in names:
            found[names[path]] = package.split(":")[0].split(",")[0].strip()
    return found


def dependency_closure(packages: list[str]) -> set[str]:
    """The packages plus everything apt installs with them (Depends/PreDepends, recursively)."""
    out = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
                          "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances",
                          *packages], capture_output=True, text=True, check=True).stdout
    names = set(packages)
    for line in out.splitlines():
        line = line.strip()
        if line.startswith(("Depends:", "PreDepends:")):
            names.add(line.split(":", 1)[1].strip().strip("<>").split(":")[0])
        elif line and not line.startswith(("|", "<")) and ":" not in line:
            names.add(line.split(":")[0])
    return names


@functools.cache
def minbase_packages() -> frozenset[str]:
    """What debootstrap --variant=minbase installs: Priority required (closed under Depends
    by Debian policy), plus apt and what it needs."""
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Priority}\\n"],
                         capture_output=True, text=True, check=True).stdout
    required = {line.split()[0] for line in out.splitlines() if line.endswith(" required")}
    return frozenset(required | dependency_closure(["apt"]))


@pytest.mark.skipif(not shutil.which("dpkg") or not shutil.which("apt-cache"),
                    reason="needs a Debian-like host (dpkg, apt-cache), as install.sh does")
@pytest.mark.parametrize("arrays", [("RUNTIME_PACKAGES", "KIOSK_PACKAGES"),
                                    ("RUNTIME_PACKAGES", "TEST_PACKAGES")],
                         ids=["terminal", "test-suite"])
def test_every_linked_library_comes_from_an_installed_package(arrays) -> None:
    files = elf_files(terminal="KIOSK_PACKAGES" in arrays)
    absent = [str(f) for f in files if not f.exists()]
    assert not absent, f"not installed in this venv: {absent}"
    provided = dependency_closure(installer_packages(*arrays)) | minbase_packages()
    linked = {path: linked_libraries(path) for path in files}
    packages = owners({lib for libs in linked.values() for lib in libs.values() if lib})
    missing: dict[str, set[str]] = {}
    for path, libs in linked.items():
        for soname, resolved in libs.items():
            package = packages.get(resolved) if resolved else None
            if resolved and package is None and resolved.startswith(str(SITE)):
                continue  # bundled with the wheel itself
            if package is None or package not in provided:
                missing.setdefault(package or f"{soname} (not found)", set()).add(path.name)
    assert not missing, ("libraries a bare Debian 12 would lack (add their packages to "
                         f"install.sh): {missing}")


@pytest.mark.skipif(not shutil.which("dpkg") or not shutil.which("apt-cache"),
                    reason="needs a Debian-like host (dpkg, apt-cache), as install.sh does")
@pytest.mark.parametrize("arrays", [("RUNTIME_PACKAGES", "KIOSK_PACKAGES"),
                                    ("RUNTIME_PACKAGES", "TEST_PACKAGES")],
                         ids=["terminal", "test-suite"])
def test_the_read_aloud_voice_comes_from_an_installed_package(arrays) -> None:
    """The window starts speech-dispatcher with its own configuration, which names espeak-ng's
    module and its settings file: the packages that ship them are installed in every mode."""
    config = Path(__file__).resolve().parents[2] / "launcher" / "assets" / "speechd" / \
        "speechd.conf"
    named = re.search(r'AddModule "espeak-ng" "(\S+)" "(\S+)"', config.read_text())
    assert named, "the launcher's speechd.conf no longer names espeak-ng"
    files = ["/usr/bin/speech-dispatcher", f"/usr/lib/speech-dispatcher-modules/{named[1]}",
             named[2]]
    absent = [f for f in files if not Path(f).exists()]
    assert not absent, f"not installed on this machine: {absent}"
    provided = dependency_closure(installer_packages(*arrays))
    packages = owners(set(files))
    missing = {f: packages.get(f) for f in files if packages.get(f) not in provided}
    assert not missing, f"read aloud needs packages install.sh does not install: {missing}"
