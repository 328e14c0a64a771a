"""The statistics page's series, with plain French labels: one list of (label, count) per chart."""

from __future__ import annotations

import calendar
from datetime import date

from core.counters import month_range
from core.vocabulary import (
    ANSWER_LABELS,
    AUTONOMY_LABELS,
    DURATION_LABELS,
    END_LABELS,
    HOUR_LABELS,
    THEMATIC_LABELS,
    TOTAL_LABELS,
)

from .i18n import _m
from .terminal import TerminalStats

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
# One vocabulary with the exports and the funder's hub (core/vocabulary.py).
OTHER_TOTALS = {key: TOTAL_LABELS[key] for key in (
    "navigation_refused", "help_requested", "accompanied_unlock", "download", "print",
    "site_unreachable", "help_outcome", "read_aloud", "keyboard")}


def label(labels: dict[str, str], key: str) -> str:
    """The French label of an enumerated key; anything unknown is "Autre"."""
    return _m(labels[key]) if key in labels else _m("Autre")


def month_name(month: str) -> str:
    """`2026-03` -> `mars 2026`."""
    start, _end = month_range(month)
    return f"{_m(MONTHS[start.month - 1])} {start.year}"


def shift(month: str, months: int) -> str:
    """The month `months` later (negative: earlier)."""
    start, _end = month_range(month)
    index = start.year * 12 + start.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def recent_months(today: date, count: int = 13) -> list[str]:
    """This month and the previous ones, newest first (counters keep 25 months)."""
    this = today.strftime("%Y-%m")
    return [shift(this, -n) for n in range(count)]


def _days(month: str, per_day: list[tuple[str, int]], today: date) -> list[tuple[str, int]]:
    """Every day of the month up to today, with zero when nobody came."""
    start, _end = month_range(month)
    counts = dict(per_day)
    last = calendar.monthrange(start.year, start.month)[1]
    if (start.year, start.month) == (today.year, today.month):
        last = today.day
    days = [start.replace(day=n) for n in range(1, last + 1)]
    return [(f"{d.day} {_m(MONTHS[d.month - 1])}", counts.get(d.isoformat(), 0)) for d in days]


def _site_names(policy) -> dict[str, str]:
    names = {site.id: site.name for site in getattr(policy, "sites", ())}
    names["other"] = _m("Autre")
    return names


def charts(stats: TerminalStats, month: str, policy, today: date) -> list[dict]:
    """One dict per chart: id, title, caption, column header, items [(label, count)]."""
    data = stats.dashboard(month)
    sites = _site_names(policy)
    specs = [
        ("jours", _m("Sessions par jour"), _m("Jour"),
         _days(month, data["sessions_per_day"], today)),
        ("thematiques", _m("Sites ouverts par thématique"), _m("Thématique"),
         [(label(THEMATIC_LABELS, k), n) for k, n in data["tile_thematic"]]),
        ("sites", _m("Sites ouverts"), _m("Site"),
         [(sites.get(k, k), n) for k, n in data["tile_site"]]),
        ("durees", _m("Durée des sessions"), _m("Durée"),
         [(label(DURATION_LABELS, k), n) for k, n in data["duration"]]),
        ("heures", _m("Heures d'arrivée"), _m("Heure de début"),
         [(label(HOUR_LABELS, k), n) for k, n in data["start_hour"]]),
        ("fins", _m("Fins de session"), _m("Raison"),
         [(label(END_LABELS, k), n) for k, n in data["sessions_ended"]]),
        ("autonomie", _m("Sessions seules ou accompagnées"), _m("Session"),
         [(label(AUTONOMY_LABELS, k), n) for k, n in data["autonomy"]]),
        ("demarche", _m("Avez-vous pu faire votre démarche ?"), _m("Réponse"),
         [(label(ANSWER_LABELS["answer_outcome"], k), n) for k, n in data["answer_outcome"]]),
        ("premiere-fois", _m("Première fois sur cette borne ?"), _m("Réponse"),
         [(label(ANSWER_LABELS["answer_first_time"], k), n)
          for k, n in data["answer_first_time"]]),
        ("age", _m("Tranche d'âge"), _m("Réponse"),
         [(label(ANSWER_LABELS["answer_age_band"], k), n) for k, n in data["answer_age_band"]]),
    ]
    return [{"id": chart_id, "title": title, "column": column, "items": _merge(items)}
            for chart_id, title, column, items in specs]


def _merge(items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Keys sharing a label (several unknown ones -> "Autre") become one bar."""
    merged: dict[str, int] = {}
    for name, count in items:
        merged[name] = merged.get(name, 0) + count
    return list(merged.items())


def totals(stats: TerminalStats, month: str) -> list[tuple[str, int]]:
    """Sessions started, then the other counts of the month."""
    month_sums = stats.month_totals(month)
    started = sum(n for (metric, _key), n in month_sums.items() if metric == "sessions_started")
    rows = [(_m("Sessions commencées"), started)]
    for metric, text in OTHER_TOTALS.items():
        rows.append((_m(text), sum(n for (m, _k), n in month_sums.items() if m == metric)))
    return rows
