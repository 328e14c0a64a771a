"""Latency of the portal's Welcome and Home pages under waitress with 20 concurrent clients.

Run: .venv/bin/python benchmarks/portal.py [--clients 20] [--requests 100]
The portal runs in its own process (as in production, where the supervisor serves it), the
clients are threads with one keep-alive http.client connection each. Goal: p95 <= 20 ms.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"Welcome": "/", "Home": "/accueil"}
GOAL_P95_MS = 20.0


def serve_forever(threads: int) -> None:
    """Child process: the portal on a free loopback port, printed on stdout."""
    sys.path.insert(0, str(ROOT))
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # queueing is what we measure
    from portal import create_app
    from portal.server import BackgroundServer
    from portal.session import MemorySession

    session = MemorySession(tempfile.mkdtemp(prefix="kiosk-bench-"))
    session.request_start()
    server = BackgroundServer(create_app({"PORTAL_SESSION": session}), threads=threads)
    with server:
        print(server.url, flush=True)
        sys.stdin.read()  # until the parent closes our stdin


def client(port: int, path: str, count: int, out: list[float], start: threading.Barrier) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    start.wait()
    for _ in range(count):
        began = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        out.append((time.perf_counter() - began) * 1000)
        if response.status != 200 or not body:
            raise RuntimeError(f"{path}: HTTP {response.status}")
    conn.close()


def measure(port: int, path: str, clients: int, requests: int) -> list[float]:
    samples: list[float] = []
    barrier = threading.Barrier(clients)
    threads = [threading.Thread(target=client, args=(port, path, requests, samples, barrier))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=100, help="requests per client and page")
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_forever(args.threads)
        return 0
    child = subprocess.Popen([sys.executable, __file__, "--serve", "--threads", str(args.threads)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        port = int(child.stdout.readline().strip().rsplit(":", 1)[1])
        measure(port, "/accueil", 4, 20)  # warm up templates and catalogues
        print(f"{args.clients} concurrent clients x {args.requests} requests per page, "
              f"waitress {args.threads} threads, load average {os.getloadavg()[0]:.1f}")
        worst = 0.0
        for name, path in PAGES.items():
            samples = measure(port, path, args.clients, args.requests)
            p50, p95 = statistics.median(samples), percentile(samples, 95)
            worst = max(worst, p95)
            print(f"{name:8} n={len(samples):5}  p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  "
                  f"p95/goal {p95 / GOAL_P95_MS:4.2f}")
        print(f"goal p95 <= {GOAL_P95_MS:.0f} ms: {'met' if worst <= GOAL_P95_MS else 'NOT met'}")
        return 0
    finally:
        child.stdin.close()
        child.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
