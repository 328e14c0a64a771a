"""Months as the hub shows them: validated `YYYY-MM` strings, complete or not yet."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort

MONTH = re.compile(r"\A\d{4}-(0[1-9]|1[0-2])\Z")
PARIS = ZoneInfo("Europe/Paris")
NAMES = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
         "octobre", "novembre", "décembre")


def month_label(month: str) -> str:
    """`2026-03` -> `mars 2026`."""
    return f"{NAMES[int(month[5:7]) - 1]} {month[:4]}"


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
