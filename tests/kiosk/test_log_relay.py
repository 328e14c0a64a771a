"""kiosk-log.service's relay: each line of the session becomes a journal entry filed under
kiosk.service (native protocol over a real AF_UNIX datagram socket standing for journald)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.log_relay import entry, relay


def parse(datagram: bytes) -> dict[str, bytes]:
    """Decode journald's native protocol: FIELD=value lines, or FIELD\\n<le64 size>data\\n."""
    fields, rest = {}, datagram
    while rest:
        head, _, rest = rest.partition(b"\n")
        if b"=" in head:
            name, _, value = head.partition(b"=")
            fields[name.decode()] = value
        else:
            size = int.from_bytes(rest[:8], "little")
            fields[head.decode()] = rest[8:8 + size]
            rest = rest[8 + size + 1:]
    return fields


@pytest.fixture
def journal(tmp_path):
    path = tmp_path / "journal.socket"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(5)
    yield path, server
    server.close()


def test_every_session_line_is_filed_under_kiosk_service_with_its_level(journal) -> None:
    path, server = journal
    lines = [b"WARNING kiosk.supervisor: launcher exited: ending the session (crash_recovery)\n",
             b"00:00:00.135 [ERROR] [backend/x11/backend.c:710] X11 error\n",
             b"\n",
             b"wipe: OK, verified clean in 0.120 s\n"]
    assert relay(lines, journal=str(path)) == 3
    got = [parse(server.recv(65536)) for _ in range(3)]
    assert [g["MESSAGE"] for g in got] == [line.rstrip(b"\n") for line in lines if line.strip()]
    assert [g["PRIORITY"] for g in got] == [b"4", b"3", b"6"]
    assert all(g["OBJECT_SYSTEMD_UNIT"] == b"kiosk.service" for g in got)
    assert all(g["SYSLOG_IDENTIFIER"] == b"kiosk" for g in got)


def test_a_line_with_any_bytes_is_kept_whole(journal) -> None:
    path, server = journal
    odd = "Borne hors service : appelez un médiateur.\x00=\x1b[0m".encode()
    relay([odd + b"\n"], journal=str(path))
    assert parse(server.recv(65536))["MESSAGE"] == odd
    assert parse(entry(b"x" * 100_000))["MESSAGE"] == b"x" * 16 * 1024


def test_an_unreachable_journal_is_reported_not_swallowed(tmp_path, capsys) -> None:
    assert relay([b"INFO hello\n"], journal=str(tmp_path / "nobody-listens")) == 0
    assert "a line was not journaled: FileNotFoundError" in capsys.readouterr().err


def test_the_relay_refuses_to_run_without_its_fifo() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LISTEN_")}
    result = subprocess.run([sys.executable, "-m", "kiosk.log_relay"], capture_output=True,
                            text=True, env=env, cwd=Path(__file__).resolve().parents[2],
                            timeout=30)
    assert result.returncode != 0 and "kiosk-log.socket" in result.stderr
