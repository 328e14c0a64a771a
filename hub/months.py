"""Months as the hub shows them: validated `YYYY-MM` strings, complete or not yet."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort

MONTH = re.compile(r"\A\d{4}-(0[1-9]|1[0-2])\Z")
QUARTER = re.compile(r"\A\d{4}-T[1-4]\Z")
PARIS = ZoneInfo("Europe/Paris")
NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
         "octobre", "novembre", "décembre")


def month_label(month: str) -> str:
    """`2026-03` -> `mars 2026`; a quarter `2026-T1` -> `1er trimestre 2026`."""
    if QUARTER.match(month):
        number = int(month[-1])
        return f"{number}{'er' if number == 1 else 'e'} trimestre {month[:4]}"
    return f"{NAMES[int(month[5:7]) - 1]} {month[:4]}"


def quarter_months(quarter: str) -> list[str]:
    """`2026-T2` -> `["2026-04", "2026-05", "2026-06"]`."""
    first = (int(quarter[-1]) - 1) * 3 + 1
    return [f"{quarter[:4]}-{first + n:02d}" for n in range(3)]


def quarter_of(month: str) -> str:
    return f"{month[:4]}-T{(int(month[5:7]) - 1) // 3 + 1}"


def local_time(stamp: str | None) -> str:
    """A stored UTC ISO time as the funder reads it: `01/12/2026 à 17 h 05` (Paris time)."""
    if not stamp:
        return "—"
    try:
        moment = datetime.fromisoformat(stamp).astimezone(PARIS)
    except ValueError:
        return stamp
    return moment.strftime("%d/%m/%Y à %H h %M")


def checked_month(value: str | None) -> str | None:
    """None when absent; a `YYYY-MM` month; anything else is a 400 with a French message."""
    if value is None or value == "":
        return None
    if not MONTH.match(value):
        abort(400, description="Mois invalide : écrivez-le comme 2026-03 (année-mois).")
    return value


def checked_period(value: str | None) -> str | None:
    """A month `YYYY-MM` or a quarter `YYYY-Tn`; anything else is a 400 with a French message."""
    if value and QUARTER.match(value):
        return value
    if value and not MONTH.match(value):
        abort(400, description="Mois invalide : écrivez-le comme 2026-03 (année-mois), ou "
                               "2026-T1 pour un trimestre.")
    return value or None
