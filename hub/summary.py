"""Key figures of a group of places (one association, or every association of a neighbourhood)
for one month: what the monthly meeting compares."""

from __future__ import annotations

from .consolidate import Register, add_figures, shift
from .months import quarter_months, quarter_of
from .places import neighbourhood_of
from .staff import theme_items


def rate(part: int, whole: int | None) -> str:
    """Per 100 sessions, or a dash when there is nothing to divide by."""
    return "—" if not whole else str(round(100 * part / whole))


def summary(register: Register, place_ids: set[str], month: str) -> dict:
    """Sessions this month, last month and the same month last year (None: no report), top
    themes, help and accompanied rates, quarter and year to date."""

    def group(m: str) -> tuple[int | None, dict, int, int]:
        """(sessions or None, summed figures, expected terminals, missing reports)."""
        if m not in register.months:
            return None, {}, 0, 0
        cells = [c for c in register.cells(m) if c.place.id in place_ids]
        reported = [c for c in cells if c.figures is not None]
        total: dict = {}
        for cell in reported:
            add_figures(total, cell.figures)
        sessions = sum(c.sessions() or 0 for c in reported) if reported else None
        return sessions, total, sum(c.expected for c in cells), sum(c.missing for c in cells)

    started, total, expected, missing = group(month)
    comparisons = []
    for label, other in (("Mois précédent", shift(month, -1)),
                         ("Même mois l'an dernier", shift(month, -12))):
        before = group(other)[0]
        change = None if before is None or started is None else started - before
        comparisons.append({"label": label, "month": other, "sessions": before,
                            "change": change})
    periods = []
    for label, months in (("Trimestre", quarter_months(quarter_of(month))),
                          ("Année", [f"{month[:4]}-{n:02d}" for n in range(1, 13)])):
        counted = [(m, group(m)[0]) for m in months if m <= month]
        with_report = [n for _m, n in counted if n is not None]
        periods.append({"label": label, "sessions": sum(with_report),
                        "months": len(with_report), "expected": len(counted)})
    return {"month": month, "sessions": started, "expected": expected, "missing": missing,
            "comparisons": comparisons, "periods": periods,
            "themes": theme_items(total)[:5],
            "help_rate": rate(total.get("help_requested", 0), started),
            "accompanied_rate": rate(total.get("accompanied_unlock", 0), started)}


def period_lines(register: Register, period: str) -> list[dict]:
    """One line per neighbourhood for a month or a quarter: sessions, the same period a year
    before, help requests per 100 sessions, missing reports."""
    year_before = f"{int(period[:4]) - 1}{period[4:]}"
    lines: dict[str, dict] = {}
    for key, sign in ((period, "now"), (year_before, "before")):
        for cell in register.cells(key):
            name = neighbourhood_of(cell.place)
            line = lines.setdefault(name, {"name": name, "places": set(), "now": None,
                                           "before": None, "help": 0, "missing": 0,
                                           "expected": 0})
            if sign == "now":
                line["places"].add(cell.place.id)
                line["missing"] += cell.missing
                line["expected"] += cell.expected
            if cell.figures is not None:
                line[sign] = (line[sign] or 0) + (cell.sessions() or 0)
                if sign == "now":
                    line["help"] += cell.figures.get("help_requested", 0)
    return [{**line, "places": len(line["places"]), "help_rate": rate(line["help"], line["now"])}
            for _name, line in sorted(lines.items(), key=lambda item: item[0].casefold())
            if line["places"]]
