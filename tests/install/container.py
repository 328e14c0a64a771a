"""A bare Debian 12 booted with systemd in a container, as a volunteer's machine would be.

The root is made once by debootstrap (minbase plus what a Debian netinst always has: systemd as
PID 1, D-Bus, pam_systemd, sudo, CA certificates) and cached; each run boots a copy-on-write
overlay of it with `systemd-nspawn --boot`, so the cached root is never changed. apt's and pip's
download caches are bind-mounted from the cache too: a second run downloads nothing but still
installs everything. The container shares the host's network (apt, pip, and the test reaching
the terminal's portal on 127.0.0.1) and so its abstract X11 sockets: cage's X11 backend draws
into the test's Xvfb. Commands run inside through nsenter (works without systemd on the host).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("KIOSK_TEST_CACHE", "/var/cache/kiosk-test"))
SUITE = "bookworm"
# What a Debian netinst always installs and debootstrap's minbase lacks.
BASE_PACKAGES = "systemd,systemd-sysv,dbus,libpam-systemd,sudo,ca-certificates"
INNER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def why_not_bootable() -> str | None:
    """None when this host can build and boot the container, else the reason."""
    if os.geteuid() != 0:
        return "needs root (debootstrap, overlay mounts, systemd-nspawn)"
    if _in_chroot():
        return "runs inside a chroot, where systemd-nspawn cannot boot a container"
    for tool in ("debootstrap", "systemd-nspawn", "nsenter", "Xvfb", "import"):
        if not shutil.which(tool):
            return f"{tool} is missing (install.sh --test installs it)"
    return None


def _in_chroot() -> bool:
    """True inside a chroot (such as a bare Debian root a newcomer's machine is tried in)."""
    try:
        return os.stat("/proc/1/root").st_ino != os.stat("/").st_ino
    except PermissionError:  # PID 1 of another user namespace: ask the mount table instead
        pass
    # A chrooted process sees its root mount rooted somewhere below the real root.
    with open("/proc/self/mountinfo") as mounts:
        return any(fields[4] == "/" and fields[3] != "/"
                   for fields in (line.split() for line in mounts))


def _mirror() -> str:
    """The host's Debian mirror (the one apt already reaches), else deb.debian.org."""
    for sources in (Path("/etc/apt/sources.list.d/debian.sources"),):
        if sources.exists():
            for line in sources.read_text().splitlines():
                if line.startswith("URIs:"):
                    return line.split()[1]
    return "http://deb.debian.org/debian"


def base_root() -> Path:
    """The cached bare root, built once (about 2 minutes); concurrent runs wait for one build."""
    CACHE.mkdir(parents=True, exist_ok=True)
    base = CACHE / f"{SUITE}-systemd"
    with open(CACHE / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / ".kiosk-test-complete").exists():
            partial = CACHE / f"{SUITE}-systemd.partial"
            shutil.rmtree(partial, ignore_errors=True)
            shutil.rmtree(base, ignore_errors=True)
            subprocess.run(["debootstrap", "--variant=minbase", f"--include={BASE_PACKAGES}",
                            SUITE, str(partial), _mirror()], check=True, capture_output=True,
                           timeout=1200)
            (partial / "etc" / "machine-id").write_text("")
            (partial / ".kiosk-test-complete").write_text("")
            partial.rename(base)
    return base


class Container:
    """One overlay of the base root, booted and powered off on demand."""

    def __init__(self, workdir: Path, display: str):
        self.workdir = workdir
        self.display = display
        self.root = workdir / "root"
        self.name = f"kiosktest-{uuid.uuid4().hex[:8]}"
        self.nspawn: subprocess.Popen | None = None
        self.leader = 0
        self.log = workdir / "console.log"

    # ------------------------------------------------------------------ filesystem
    def mount(self) -> None:
        for sub in ("upper", "work", "root"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        lower = base_root()
        subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                        f"lowerdir={lower},upperdir={self.workdir / 'upper'},"
                        f"workdir={self.workdir / 'work'}", str(self.root)], check=True)
        # The host's network settings and CA certificates (a proxy's CA, pip's settings).
        shutil.copy("/etc/resolv.conf", self.root / "etc" / "resolv.conf")
        shutil.copy("/etc/ssl/certs/ca-certificates.crt",
                    self.root / "etc" / "ssl" / "certs" / "ca-certificates.crt")
        local_ca = Path("/usr/local/share/ca-certificates")
        for crt in local_ca.glob("*.crt") if local_ca.is_dir() else []:
            shutil.copy(crt, self.root / "usr" / "local" / "share" / "ca-certificates")
        if Path("/etc/pip.conf").exists():
            shutil.copy("/etc/pip.conf", self.root / "etc" / "pip.conf")

    def copy_project(self, dest: str = "/root/kiosk") -> str:
        """This checkout's files (as `git clone` would give them, with uncommitted edits)."""
        target = self.root / dest.lstrip("/")
        target.mkdir(parents=True, exist_ok=True)
        files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                                "--exclude-standard"], cwd=PROJECT, capture_output=True,
                               check=True).stdout.split(b"\0")
        for name in filter(None, files):
            source = PROJECT / os.fsdecode(name)
            if source.is_file():
                (target / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / os.fsdecode(name))
        return dest

    def unmount(self) -> None:
        subprocess.run(["umount", "-R", str(self.root)], capture_output=True)
        if not os.path.ismount(self.root):
            shutil.rmtree(self.workdir, ignore_errors=True)

    # ------------------------------------------------------------------ boot
    def boot(self, timeout: float = 90) -> float:
        """Boot with systemd; return the seconds until the system is up."""
        apt_cache, pip_cache = CACHE / "apt-archives", CACHE / "pip"
        (apt_cache / "partial").mkdir(parents=True, exist_ok=True)
        pip_cache.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with open(self.log, "ab") as log:
            self.nspawn = subprocess.Popen(
                ["systemd-nspawn", "--boot", "--register=no", "--keep-unit", "--quiet",
                 "--console=read-only", "-D", str(self.root), "-M", self.name,
                 f"--bind={apt_cache}:/var/cache/apt/archives",
                 f"--bind={pip_cache}:/root/.cache/pip"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        self.leader = self._wait_for_leader(timeout)
        deadline = time.monotonic() + timeout
        while True:  # the manager's socket appears a moment after PID 1 starts
            state = self.sh("systemctl is-system-running --wait", check=False, timeout=timeout)
            if state.stdout.strip() in ("running", "degraded"):
                return time.monotonic() - started
            if time.monotonic() > deadline:
                raise AssertionError(f"container did not boot: {state.stdout}{state.stderr}"
                                     f"{self.console()}")
            time.sleep(0.5)

    def _wait_for_leader(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.nspawn.poll() is not None:
                raise AssertionError(f"systemd-nspawn exited {self.nspawn.returncode}:\n"
                                     f"{self.console()}")
            children = subprocess.run(["pgrep", "-P", str(self.nspawn.pid)],
                                      capture_output=True, text=True).stdout.split()
            for pid in children:
                with contextlib.suppress(OSError):
                    if Path(f"/proc/{pid}/comm").read_text().strip() == "systemd":
                        return int(pid)
            time.sleep(0.2)
        raise AssertionError(f"no systemd in the container after {timeout}s:\n{self.console()}")

    def poweroff(self, timeout: float = 60) -> None:
        if self.nspawn is None or self.nspawn.poll() is not None:
            return
        self.sh("systemctl poweroff", check=False, timeout=30)
        try:
            self.nspawn.wait(timeout)
        except subprocess.TimeoutExpired:
            self.nspawn.kill()  # our own child: the container's PID 1 dies with it
            self.nspawn.wait(10)

    def console(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    # ------------------------------------------------------------------ inside
    def sh(self, script: str, *, check: bool = True, timeout: float = 120,
           stdin: str | None = None) -> subprocess.CompletedProcess:
        """Run a bash script as root inside the booted container."""
        result = subprocess.run(
            ["nsenter", "-t", str(self.leader), "-a", "env", "-i", f"PATH={INNER_PATH}",
             "HOME=/root", "LANG=C.UTF-8", "TERM=dumb", "bash", "-c", script],
            input=stdin, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"in the container, `{script}` exited {result.returncode}:\n"
                                 f"{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
        return result

    def write(self, path: str, text: str, mode: int = 0o644) -> None:
        self.sh(f"install -D -m {mode:o} /dev/stdin {path}", stdin=text)




def screenshot_colours(display: str, path: Path) -> int:
    """Save the whole X screen as PNG; return how many distinct colours it holds."""
    subprocess.run(["import", "-display", display, "-window", "root", str(path)], check=True,
                   capture_output=True, timeout=30)
    out = subprocess.run(["identify", "-format", "%k", str(path)], check=True,
                         capture_output=True, text=True, timeout=30)
    return int(out.stdout.strip())
