"""A throwaway PostgreSQL server on loopback (tests and the ingest benchmark)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """The server could not be installed or started; the message says why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin() -> Path:
    """The newest installed PostgreSQL's binary dir (never a hard-coded version)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if not found:
        raise PostgresUnavailable("PostgreSQL is not installed (apt-get install postgresql; "
                                  "./install.sh --test installs it)")
    return Path(found[-1]).parent


def _as_postgres(args: list[str]) -> list[str]:
    """initdb refuses to run as root: run the tools as `postgres` then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PostgresServer:
    """initdb + pg_ctl start in a temporary dir; `stop()` removes everything."""

    def __init__(self) -> None:
        self.bindir = pg_bin()
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data, self.sock = self.root / "data", self.root / "sock"
        self.port = free_port()

    def start(self) -> str:
        """Start the server and create database `hub`; returns its URL."""
        self.sock.mkdir()
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            for path in (self.root, self.sock):
                os.chown(path, user.pw_uid, user.pw_gid)
        try:
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                      "-E", "UTF8", "--no-sync")
            self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                      "-o", f"-k {self.sock} -p {self.port} -c listen_addresses=127.0.0.1",
                      "start")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            log = self.root / "server.log"
            detail = getattr(exc, "stderr", b"") or b""
            message = f"{exc}\n{detail.decode(errors='replace')}"
            if log.exists():
                message += "\n" + log.read_text(errors="replace")
            self.stop()
            raise PostgresUnavailable(message) from exc
        import psycopg
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE hub")
        return self.url("hub")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(_as_postgres([str(self.bindir / tool), *args]), check=True,
                       capture_output=True, timeout=120)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data),
                                         "-m", "immediate", "-w", "stop"]),
                           capture_output=True, timeout=120)
        shutil.rmtree(self.root, ignore_errors=True)
