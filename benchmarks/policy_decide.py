"""Decisions per second on the default catalogue and on a 1,000-site catalogue (Chrome's limit).

Cold: every URL is distinct, so the decision cache never helps (the honest worst case).
Warm: a page's resources repeat, as they do in real browsing (cache hits).
Target: at least 200,000 decisions/s on one core for both catalogues. Prints medians of 7 runs.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policies import Allowlist, Frame, default_policy_path, load_policy, parse_policy  # noqa: E402

RUNS = 7
N = 100_000


def big_catalogue(sites: int = 1000) -> str:
    parts = ["version = 1\n", '[[category]]\nid = "c"\nlabel = "C"\n']
    for i in range(sites):
        parts.append(f'[[site]]\nid = "s{i}"\nname = "Site {i}"\ncategory = "c"\n'
                     f'url = "https://www.site{i}.gouv.fr/"\n'
                     f'hosts = ["site{i}.gouv.fr", "*.site{i}.gouv.fr", "login.site{i}.fr/auth"]\n')
    return "".join(parts)


def urls(hosts: list[str], count: int, rng: random.Random) -> list[str]:
    """A mix of allowed, refused and tricky URLs, each distinct."""
    shapes = ["https://www.{h}/page/{i}?q={i}", "https://{h}.evil.net/{i}",
              "https://{h}@evil.net/{i}",
              "https://static.{h}/img/{i}.png", "http://www.{h}/{i}", "https://evil{i}.net/{h}"]
    return [rng.choice(shapes).format(h=rng.choice(hosts), i=i) for i in range(count)]


def rate(allow: Allowlist, batch: list[str], frame: Frame) -> float:
    decide = allow.decide
    start = time.perf_counter()
    for url in batch:
        decide(url, frame)
    return len(batch) / (time.perf_counter() - start)


def measure(name: str, allow_factory, hosts: list[str]) -> None:
    rng = random.Random(42)
    cold, warm = [], []
    for _ in range(RUNS):
        allow = allow_factory()  # fresh cache each run
        cold.append(rate(allow, urls(hosts, N, rng), Frame.MAIN_FRAME))
        page = urls(hosts, 300, rng)
        warm.append(rate(allow, [rng.choice(page) for _ in range(N)], Frame.MAIN_FRAME))
    print(f"{name:<28} cold {statistics.median(cold):>11,.0f}/s   warm "
          f"{statistics.median(warm):>11,.0f}/s"
          f"   (median of {RUNS} x {N:,})")


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    default = load_policy(default_policy_path())
    default_hosts = [p.host for s in default.sites for p in s.hosts]
    big = parse_policy(big_catalogue())
    big_hosts = [p.host for s in big.sites for p in s.hosts]
    print(f"default catalogue: {len(default.sites)} sites; big catalogue: {len(big.sites)} sites "
          f"({sum(len(s.hosts) for s in big.sites)} host patterns)")
    measure("default catalogue", lambda: Allowlist(default), default_hosts)
    measure("1,000-site catalogue", lambda: Allowlist(big), big_hosts)
    print("target: >= 200,000 decisions/s on one core for both")


if __name__ == "__main__":
    main()
