"""The funder's table: reports summed by place and month, with what is missing said plainly.

A month is complete once it is over and every report of it was made after its end; a terminal
expected for a month (enrolled before its end, not revoked before its start) without a report
is a missing report, shown as such and never as zeros."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from core.spreadsheets import columns

from .db import Database
from .months import QUARTER, quarter_months, quarter_of
from .places import Place, all_places

IDENTITY = ["Association", "Quartier", "Commune", "Mois", "Mois complet", "Bornes attendues",
            "Rapports reçus", "Rapports manquants"]


def add_figures(total: dict, figures: dict) -> dict:
    """Sum two figure trees (counts and maps of counts)."""
    for name, value in figures.items():
        if isinstance(value, dict):
            add_figures(total.setdefault(name, {}), value)
        else:
            total[name] = total.get(name, 0) + value
    return total


def shift(month: str, months: int) -> str:
    """The month `months` later (negative: earlier)."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def span(first: str, last: str) -> list[str]:
    """Every month from first to last, oldest first (gaps included)."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = shift(month, 1)
    return months


@dataclass
class Cell:
    """One place in one month."""

    place: Place
    month: str
    expected_ids: set[str] = field(default_factory=set)  # enrolled by then, or reported
    received: int = 0
    partial: int = 0              # reports made before the month was over
    last_month: str = ""          # for a quarter: its last month
    figures: dict | None = None   # None: no report at all (not zeros)

    @property
    def expected(self) -> int:
        return len(self.expected_ids)

    @property
    def missing(self) -> int:
        return max(0, self.expected - self.received)

    def complete(self, current: str) -> bool:
        return (self.last_month or self.month) < current and self.partial == 0

    def sessions(self) -> int | None:
        return None if self.figures is None else self.figures.get("sessions_started", 0)


class Register:
    """Everything the staff pages read, loaded once per request."""

    def __init__(self, db: Database, today: date):
        self.current = month_of(today)
        self.places = {place.id: place for place in all_places(db)}
        self.terminals = db.all("SELECT terminal_id, place_id, name, enrolled_at, revoked_at,"
                                " association FROM terminals")
        self.reports = db.all("SELECT place_id, month, terminal_id, payload, received_at"
                              " FROM reports")
        firsts = [row[1] for row in self.reports] + [row[3][:7] for row in self.terminals]
        self.months = span(min(firsts), self.current) if firsts else []
        self._cells: dict[str, list[Cell]] = {}  # per month: pages ask for the same ones often
        self._last_reports: dict[str, str] | None = None

    def complete_months(self) -> list[str]:
        return [m for m in self.months if m < self.current]

    def default_month(self) -> str | None:
        """The last complete month (the current one is still counting)."""
        done = self.complete_months()
        return done[-1] if done else (self.months[-1] if self.months else None)

    def cells(self, month: str) -> list[Cell]:
        """One cell per place that had terminals or reports that month (or quarter `YYYY-Tn`,
        its three months summed), by place name."""
        if month not in self._cells:
            self._cells[month] = (self._quarter_cells(month) if QUARTER.match(month)
                                  else self._compute_cells(month))
        return self._cells[month]

    def _quarter_cells(self, quarter: str) -> list[Cell]:
        merged: dict[str, Cell] = {}
        months = quarter_months(quarter)
        for month in months:
            for cell in self.cells(month):
                into = merged.setdefault(cell.place.id, Cell(cell.place, quarter,
                                                             last_month=months[-1]))
                into.expected_ids |= {(month, terminal) for terminal in cell.expected_ids}
                into.received += cell.received
                into.partial += cell.partial
                if cell.figures is not None:
                    into.figures = add_figures(into.figures or {}, cell.figures)
        return sorted(merged.values(), key=lambda c: c.place.name.casefold())

    def quarters(self) -> list[str]:
        """The quarters the months cover, oldest first."""
        return list(dict.fromkeys(quarter_of(month) for month in self.months))

    def _compute_cells(self, month: str) -> list[Cell]:
        cells: dict[str, Cell] = {}
        start, end = f"{month}-01", f"{shift(month, 1)}-01"
        for terminal_id, place_id, _name, enrolled_at, revoked_at, _a in self.terminals:
            if enrolled_at < end and (not revoked_at or revoked_at >= start) \
                    and place_id in self.places:
                cell = cells.setdefault(place_id, Cell(self.places[place_id], month))
                cell.expected_ids.add(terminal_id)
        for place_id, row_month, terminal_id, payload, _received in self.reports:
            if row_month != month or place_id not in self.places:
                continue
            cell = cells.setdefault(place_id, Cell(self.places[place_id], month))
            report = json.loads(payload)
            cell.received += 1
            cell.expected_ids.add(terminal_id)
            if str(report.get("generated_at", ""))[:7] <= month:
                cell.partial += 1
            cell.figures = add_figures(cell.figures or {}, report["figures"])
        return sorted(cells.values(), key=lambda c: c.place.name.casefold())

    def place_cell(self, place_id: str, month: str) -> Cell | None:
        return next((c for c in self.cells(month) if c.place.id == place_id), None)

    def last_report(self, terminal_id: str) -> str | None:
        """When this terminal's latest report arrived (None: never)."""
        if self._last_reports is None:  # one pass for the whole terminals page, not one each
            self._last_reports = {}
            for _place, _month, reporter, _payload, received in self.reports:
                if received > self._last_reports.get(reporter, ""):
                    self._last_reports[reporter] = received
        return self._last_reports.get(terminal_id)

    def month_state(self, month: str) -> str:
        """"complet", "en cours" (this month) or "partiel" (a report made before its end)."""
        last = quarter_months(month)[-1] if QUARTER.match(month) else month
        if last >= self.current:
            return "en cours"
        return "partiel" if any(c.partial for c in self.cells(month)) else "complet"

    def table(self, month: str | None) -> list[dict]:
        """Rows for the file exports and the big table: one per place and month."""
        rows = []
        for row_month in ([month] if month else self.months):
            for cell in self.cells(row_month):
                row = {"Association": cell.place.name, "Quartier": cell.place.neighbourhood,
                       "Commune": cell.place.commune, "Mois": row_month,
                       "Mois complet": "oui" if cell.complete(self.current) else "non",
                       "Bornes attendues": cell.expected, "Rapports reçus": cell.received,
                       "Rapports manquants": cell.missing}
                if cell.figures is not None:
                    row.update(columns(cell.figures))
                rows.append(row)
        return rows

    def trend(self, count: int = 12, place_id: str | None = None) -> list[dict]:
        """The last months, oldest first, each with its sessions (None: no report) and state."""
        trend = []
        for month in self.months[-count:]:
            cells = [c for c in self.cells(month) if place_id in (None, c.place.id)]
            with_figures = [c for c in cells if c.figures is not None]
            trend.append({
                "month": month,
                "sessions": sum(c.sessions() or 0 for c in with_figures) if with_figures
                else None,
                "autonomy": _summed(with_figures, "autonomy") if with_figures else None,
                "missing": sum(c.missing for c in cells),
                "state": "en cours" if month >= self.current else
                ("partiel" if any(c.partial for c in cells) else "complet"),
            })
        return trend


def _summed(cells: list, figure: str) -> dict:
    """One map of counts (such as autonomy: alone / accompanied) summed over reported cells."""
    total: dict = {}
    for cell in cells:
        add_figures(total, cell.figures.get(figure) or {})
    return total


def terminals(db: Database) -> list[tuple]:
    """(association, terminal id, enrolled at, revoked at, name, place id), for the staff page."""
    return db.all("SELECT association, terminal_id, enrolled_at, revoked_at, name, place_id"
                  " FROM terminals ORDER BY association, enrolled_at")
