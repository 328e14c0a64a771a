"""install.sh itself: shellcheck clean, clear errors, and --root never touches the real system."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.install.conftest import INSTALL_SH, run_installer


def test_install_script_is_shellcheck_clean() -> None:
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is missing: apt-get install shellcheck (it is in TEST_PACKAGES)"
    result = subprocess.run([shellcheck, "--severity=style", "--external-sources", str(INSTALL_SH)],
                            capture_output=True, text=True, cwd=INSTALL_SH.parent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_option_is_refused_with_usage(tmp_path) -> None:
    result = run_installer("--kiosk", "--root", str(tmp_path), "--bogus", check=False)
    assert result.returncode == 2
    assert "--uninstall" in result.stderr
    assert not any(tmp_path.iterdir()), "nothing may be written after a bad option"


def test_root_option_needs_a_directory() -> None:
    result = run_installer("--kiosk", "--root", check=False)
    assert result.returncode != 0
    assert "--root needs a directory" in result.stderr


def test_uninstall_without_an_installation_says_so(tmp_path) -> None:
    result = run_installer("--uninstall", "--root", str(tmp_path), check=False)
    assert result.returncode == 1
    assert "no kiosk installation found" in result.stderr


@pytest.mark.parametrize("account", ["kiosk", "kiosk-admin"])
def test_root_mode_prints_commands_instead_of_running_them(installed, account) -> None:
    root, output = installed
    assert "would run: useradd --system" in output
    assert "would run: systemctl daemon-reload" in output
    with pytest.raises(KeyError):
        pwd.getpwnam(account)  # the test machine got no account


@pytest.mark.parametrize("mode", ["--kiosk", "--uninstall"])
def test_real_install_refuses_to_run_without_root(mode, tmp_path_factory) -> None:
    script = INSTALL_SH
    if os.geteuid() == 0:
        # `nobody` may not be able to read the checkout (a clone under /root is 0700): run a copy
        # from a directory it can read; the root check comes before anything else.
        folder = tmp_path_factory.mktemp("nobody")
        folder.chmod(0o755)
        for parent in folder.parents:
            if str(parent).startswith(tempfile.gettempdir()) \
                    and parent != Path(tempfile.gettempdir()):
                parent.chmod(parent.stat().st_mode | 0o755)
        script = folder / "install.sh"
        shutil.copy(INSTALL_SH, script)
        script.chmod(0o755)
    command = ["bash", str(script), mode]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is missing"
        command = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    result = subprocess.run(command, capture_output=True, text=True, cwd="/",
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 1, result.stderr
    assert f"run it as root: sudo {script} {mode}" in result.stderr


FAKE_APT_CACHE = """#!/bin/sh
# Ubuntu 24.04 as apt sees it: libasound2 is only a virtual name for libasound2t64.
case "$2" in
  libasound2) printf 'libasound2:\\n  Installed: (none)\\n  Candidate: (none)\\n' ;;
  *t64) [ "$2" = libasound2t64 ] && printf '%s:\\n  Candidate: 1.2.11-1build2\\n' "$2" ;;
  *) printf '%s:\\n  Candidate: 1.0\\n' "$2" ;;
esac
"""


def test_ubuntu_2404_t64_library_names_are_used(tmp_path) -> None:
    stub = tmp_path / "apt-cache"
    stub.write_text(FAKE_APT_CACHE)
    stub.chmod(0o755)
    script = f'source "{INSTALL_SH}"; apt_names libnss3 libasound2 cage'
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                            env={"PATH": f"{tmp_path}:/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["libnss3", "libasound2t64", "cage"]
