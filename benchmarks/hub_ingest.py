"""Hub ingest throughput (signed reports accepted per second, 4 concurrent senders, waitress on
loopback, SQLite and PostgreSQL) and the cost of recording one counter event on the terminal.

    python benchmarks/hub_ingest.py [--reports 2000] [--rounds 3] [--no-postgres]

Goals: >= 500 reports/s on SQLite; < 1 ms median per counter event.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from core.events import Event  # noqa: E402
from kiosk.counters import CounterStore  # noqa: E402
from kiosk.identity import public_key_b64, sign_report  # noqa: E402
from policies import default_policy_path, load_policy  # noqa: E402
from tests.hub.conftest import figures  # noqa: E402
from tests.hub.pgserver import PostgresServer, free_port  # noqa: E402

SENDERS = 4
TERMINALS = 200


def counter_event_cost(count: int = 3000) -> list[float]:
    """Milliseconds per CounterStore.record, on a real file in a temporary state dir."""
    state = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    store = CounterStore(state, load_policy(default_policy_path()))
    kinds = [Event("tile_opened", site_id="caf"), Event("navigation_refused"),
             Event("download", detail="accepted"), Event("help_requested")]
    timings = []
    try:
        for index in range(count):
            started = time.perf_counter()
            store.record(kinds[index % len(kinds)])
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        store.close()
        shutil.rmtree(state)
    return timings


def enrol_terminals(database_url: str) -> list[tuple[str, Ed25519PrivateKey]]:
    """Enrolled terminals written straight into the hub database."""
    from hub.db import Database
    db = Database(database_url)
    db.create_schema()
    terminals = [(str(uuid.uuid4()), Ed25519PrivateKey.generate()) for _ in range(TERMINALS)]
    with db.transaction():
        for terminal_id, key in terminals:
            db.execute("INSERT INTO terminals (terminal_id, association, public_key, enrolled_at)"
                       " VALUES (?, ?, ?, ?)", (terminal_id, "Bench", public_key_b64(key),
                                                datetime.now().isoformat()))
    db.close()
    return terminals


def signed_bodies(terminals, count: int, version_base: int) -> list[bytes]:
    """Distinct valid reports (new versions), signed ahead of time."""
    bodies = []
    for index in range(count):
        terminal_id, key = terminals[index % len(terminals)]
        report = {"schema_version": 1, "association": "Bench", "terminal_id": terminal_id,
                  "month": f"2026-{1 + index % 12:02d}", "version": version_base + index,
                  "generated_at": "2026-04-01T00:00:00+00:00", "figures": figures(index % 50)}
        bodies.append(json.dumps(sign_report(report, key)).encode())
    return bodies


def start_hub(database_url: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kiosk", "hub", "--database", database_url,
                                "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/login")
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(process.stderr.read().decode())


def send_all(port: int, bodies: list[bytes]) -> tuple[float, int]:
    """Send with 4 concurrent keep-alive connections; (seconds, reports accepted)."""
    accepted = [0] * SENDERS

    def sender(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for body in bodies[index::SENDERS]:
            conn.request("POST", "/api/reports", body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            accepted[index] += response.status == 201
        conn.close()

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(SENDERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, sum(accepted)


def ingest_rate(name: str, database_url: str, reports: int, rounds: int) -> list[float]:
    terminals = enrol_terminals(database_url)
    process, port = start_hub(database_url)
    rates = []
    try:
        for round_no in range(rounds):
            bodies = signed_bodies(terminals, reports, version_base=(round_no + 1) * 10**6)
            seconds, accepted = send_all(port, bodies)
            if accepted != reports:
                raise RuntimeError(f"{name}: only {accepted}/{reports} reports accepted")
            rates.append(accepted / seconds)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    timings = counter_event_cost()
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"counter event: median {median:.3f} ms, p95 {p95:.3f} ms "
          f"(goal < 1 ms: {'ok' if median < 1 else 'MISSED'})")

    workdir = Path(tempfile.mkdtemp(prefix="kiosk-hub-bench-"))
    try:
        rates = ingest_rate("sqlite", f"sqlite:///{workdir / 'hub.sqlite3'}", args.reports,
                            args.rounds)
        sqlite_rate = statistics.median(rates)
        print(f"hub ingest, SQLite, {SENDERS} senders: median {sqlite_rate:.0f} reports/s "
              f"(rounds: {', '.join(f'{r:.0f}' for r in rates)}; goal >= 500: "
              f"{'ok' if sqlite_rate >= 500 else 'MISSED'})")
        if not args.no_postgres:
            server = PostgresServer()
            try:
                rates = ingest_rate("postgresql", server.start(), args.reports, args.rounds)
            finally:
                server.stop()
            pg_rate = statistics.median(rates)
            print(f"hub ingest, PostgreSQL, {SENDERS} senders: median {pg_rate:.0f} reports/s "
                  f"(rounds: {', '.join(f'{r:.0f}' for r in rates)}; "
                  f"ratio to SQLite {pg_rate / sqlite_rate:.2f})")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
