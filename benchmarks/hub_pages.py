"""Time of the funder's hub pages and exports on a large register (SQLite, in process):
40 associations in 10 neighbourhoods, 120 terminals, 24 months of reports (2,880 reports).

    python benchmarks/hub_pages.py [--rounds 5]

Prints the median time per page over the rounds. Goal: every page under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub import create_hub_app  # noqa: E402
from hub.auth import set_password  # noqa: E402
from hub.places import create_place  # noqa: E402
from tests.hub.conftest import PASSWORD, Terminal  # noqa: E402
from tests.hub.demo import report_figures  # noqa: E402

PLACES, TERMINALS_PER_PLACE, MONTHS = 40, 3, 24


def months_until(last: str, count: int) -> list[str]:
    year, month = int(last[:4]), int(last[5:])
    index = year * 12 + month - 1
    return [f"{(index - n) // 12:04d}-{(index - n) % 12 + 1:02d}" for n in range(count)][::-1]


def build(url: str):
    app = create_hub_app(url, {"HUB_TODAY": date(2026, 4, 15)})
    db = app.extensions["hub_db"]
    set_password(db, "financeur", PASSWORD)
    client = app.test_client()
    months = months_until("2026-03", MONTHS)
    for number in range(PLACES):
        place = create_place(db, "bench", {"name": f"Association {number:02d}",
                                           "neighbourhood": f"Quartier {number % 10}"})
        for _ in range(TERMINALS_PER_PLACE):
            terminal = Terminal(place.name)
            terminal.enrol(client, db)
            db.execute("UPDATE terminals SET enrolled_at = '2024-01-01T00:00:00+00:00'"
                       " WHERE terminal_id = ?", (terminal.id,))
            for index, month in enumerate(months):
                client.post("/api/reports", json=terminal.report(
                    month=month, sessions=50 + index, figures=report_figures(50 + index, index),
                    generated_at="2026-04-01T00:00:00+00:00"))
    return app, client, place.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app, client, place = build(f"sqlite:///{Path(folder) / 'hub.sqlite3'}")
        token = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1]
        client.post("/login", data={"username": "financeur", "password": PASSWORD,
                                    "csrf_token": token.split('"')[0]})
        pages = ["/", f"/association/{place}", f"/association/{place}/rapport",
                 "/compare?a=q:Quartier 1&b=q:Quartier 2", "/export.xlsx?month=2026-03",
                 "/export.ods", "/terminals"]
        count = app.extensions["hub_db"].one("SELECT COUNT(*) FROM reports")[0]
        print(f"{PLACES} associations, {PLACES * TERMINALS_PER_PLACE} terminals, "
              f"{count} reports")
        for path in pages:
            times = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                answer = client.get(path)
                times.append(time.perf_counter() - start)
                assert answer.status_code == 200, (path, answer.status_code)
            print(f"{path:45s} median {statistics.median(times) * 1000:7.0f} ms")
        app.extensions["hub_db"].close_all()


if __name__ == "__main__":
    main()
