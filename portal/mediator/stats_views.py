"""The statistics page: a month's anonymous counts as SVG charts with tables, and its exports."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request

from core.charts import bar_chart
from core.counters import month_range
from portal.catalogue import get_policy

from . import auth, bp, context
from .i18n import _m
from .stats_series import charts, month_name, recent_months, shift, totals

NO_DATA = "Aucune donnée pour le moment : le comptage n'est pas actif sur cette borne."
FORMATS = {  # format -> (file extension, Content-Type, button label)
    "csv": ("csv", "text/csv; charset=utf-8", "CSV (;)"),
    "csv-comma": ("csv", "text/csv; charset=utf-8", "CSV (,)"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "json": ("json", "application/json", "JSON signé"),
}


def requested_month(today: date) -> str | None:
    """The `mois` asked for (default: this month); None when it is not a real YYYY-MM month."""
    month = request.args.get("mois", "").strip() or today.strftime("%Y-%m")
    try:
        month_range(month)
    except ValueError:
        return None
    return month


def bad_month_page():
    text = _m("Mois non valide : écrivez-le comme 2026-03 (année, tiret, mois sur deux chiffres).")
    return stats_error(text, 400)


def stats_error(text: str, status: int):
    return render_template("mediator/stats_error.html", message=text), status


@bp.get("/statistiques")
@auth.required
def statistics():
    return statistics_page()


def statistics_page(message: str | None = None, error: str | None = None, status: int = 200,
                    form: dict | None = None):
    """The page for the requested month, with a result message from the hub forms if any."""
    today = date.today()
    month = requested_month(today)
    if month is None:
        return bad_month_page()
    stats = context.stats()
    counting = stats is not None and stats.counting
    series = charts(stats, month, get_policy(), today) if counting else []
    for chart in series:
        chart["svg"] = bar_chart(f"graphique-{chart['id']}", chart["title"], chart["items"])
    this_month = today.strftime("%Y-%m")
    return render_template(
        "mediator/stats.html", month=month, month_label=month_name(month), charts=series,
        totals=totals(stats, month) if counting else [], has_data=counting,
        months=[(m, month_name(m)) for m in recent_months(today)],
        previous=shift(month, -1), next=shift(month, 1) if month < this_month else None,
        formats=[(key, label) for key, (_ext, _type, label) in FORMATS.items()],
        hub=stats.hub_url() if stats else None, waiting=stats.waiting_reports() if stats else 0,
        message=message, error=error, form=form or {}), status


@bp.get("/statistiques/export")
@auth.required
def statistics_export():
    fmt = request.args.get("format", "")
    month = requested_month(date.today())
    if month is None:
        return bad_month_page()
    if fmt not in FORMATS:
        return stats_error(_m("Format inconnu : choisissez CSV (;), CSV (,), XLSX ou JSON signé."),
                           400)
    stats = context.stats()
    if stats is None or not stats.counting:
        return stats_error(_m(NO_DATA), 404)
    extension, mimetype, _label = FORMATS[fmt]
    body = stats.export(month, fmt)
    context.audit().record("stats_exported", f"indicateurs {month}, format {fmt}")
    name = f"indicateurs-{month}{'-virgule' if fmt == 'csv-comma' else ''}.{extension}"
    response = Response(body, content_type=mimetype)
    # RFC 6266 header written (and quoted when needed) by the framework, never by hand.
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response
