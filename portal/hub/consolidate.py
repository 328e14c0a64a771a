"""The funder's table: reports summed by association and month."""

from __future__ import annotations

import json

from kiosk.export import columns

from .db import Database


def add_figures(total: dict, figures: dict) -> dict:
    """Sum two figure trees (counts and maps of counts)."""
    for name, value in figures.items():
        if isinstance(value, dict):
            add_figures(total.setdefault(name, {}), value)
        else:
            total[name] = total.get(name, 0) + value
    return total


def months(db: Database) -> list[str]:
    return [row[0] for row in db.all("SELECT DISTINCT month FROM reports ORDER BY month DESC")]


def consolidated(db: Database, month: str | None = None) -> list[dict]:
    """One row per association and month: number of terminals, then the summed figures."""
    where, params = ("WHERE month = ?", (month,)) if month else ("", ())
    groups: dict[tuple[str, str], tuple[int, dict]] = {}
    for association, row_month, payload in db.all(
            f"SELECT association, month, payload FROM reports {where}", params):
        count, total = groups.get((association, row_month), (0, {}))
        groups[(association, row_month)] = (count + 1,
                                            add_figures(total, json.loads(payload)["figures"]))
    rows = []
    for (association, row_month), (count, total) in sorted(
            groups.items(), key=lambda item: (item[0][1], item[0][0].lower()), reverse=False):
        rows.append({"Association": association, "Mois": row_month, "Bornes": count,
                     **columns(total)})
    return rows


def terminals(db: Database) -> list[tuple[str, str, str, str | None]]:
    """(association, terminal id, enrolled at, revoked at), for the staff page."""
    return db.all("SELECT association, terminal_id, enrolled_at, revoked_at FROM terminals"
                  " ORDER BY association, enrolled_at")
