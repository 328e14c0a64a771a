"""Months as the hub shows them: validated `YYYY-MM` strings, complete or not yet."""

from __future__ import annotations

import re

from flask import abort

MONTH = re.compile(r"\A\d{4}-(0[1-9]|1[0-2])\Z")


def checked_month(value: str | None) -> str | None:
    """None when absent; a `YYYY-MM` month; anything else is a 400 with a French message."""
    if value is None or value == "":
        return None
    if not MONTH.match(value):
        abort(400, description="Mois invalide : écrivez-le comme 2026-03 (année-mois).")
    return value
