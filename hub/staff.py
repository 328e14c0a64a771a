"""The funder's staff pages: login, consolidated table with charts, downloads, enrolment codes."""

from __future__ import annotations

import io
from datetime import date, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)

from core.charts import bar_chart
from core.counters import SMALL_COUNT_THRESHOLD
from core.redirect import same_site_path
from core.spreadsheets import header_of, table_file
from core.vocabulary import SESSIONS_NOT_PEOPLE, THEMATIC_LABELS

from . import get_db
from .auth import (
    ClientThrottle,
    check_login,
    close_session,
    login_required,
    open_session,
)
from .consolidate import IDENTITY, Register, add_figures
from .months import MONTH, PARIS, checked_period, month_label

bp = Blueprint("staff", __name__)


def _throttle() -> ClientThrottle:
    from flask import current_app
    return current_app.extensions.setdefault("hub_login_throttle", ClientThrottle())


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Staff sign in; failures lock the account for a growing delay."""
    error = None
    if request.method == "POST":
        client = request.remote_addr or "?"
        username = request.form.get("username", "").strip()[:64]
        client_wait = _throttle().reserve(client)
        accepted, wait = check_login(get_db(), username, request.form.get("password", ""),
                                     refuse=client_wait > 0)
        wait = max(wait, client_wait)
        if accepted:
            _throttle().succeeded(client)
            close_session(get_db(), session.get("sid"))
            session.clear()
            session["sid"] = open_session(get_db(), username)
            return redirect(same_site_path(request.args.get("next", ""))
                            or url_for("staff.index"))
        error = ("Identifiant ou mot de passe incorrect." if wait <= 0 else
                 f"Trop d'essais. Réessayez dans {_delay(wait)}.")
    return render_template("hub/login.html", error=error), 401 if error else 200


def _delay(seconds: float) -> str:
    """`12 secondes`, `3 minutes`: what a person reads, not 3601 seconds."""
    if seconds < 90:
        return f"{int(seconds) + 1} secondes"
    return f"{int(seconds // 60) + 1} minutes"


@bp.post("/logout")
def logout():
    """Ends the session on the server: a copy of the cookie is worth nothing afterwards."""
    close_session(get_db(), session.get("sid"))
    session.clear()
    return redirect(url_for("staff.login"))


def today() -> date:
    """The hub's today, in the funder's time zone (tests may pin it with HUB_TODAY)."""
    pinned = current_app.config.get("HUB_TODAY")
    return pinned if pinned else datetime.now(PARIS).date()


def theme_items(figures: dict | None) -> list[tuple[str, int]]:
    themes = (figures or {}).get("tile_thematic", {})
    items = [(THEMATIC_LABELS.get(key, key), n) for key, n in themes.items() if n]
    return sorted(items, key=lambda item: (-item[1], item[0]))


def trend_items(register: Register,
                place_id: str | None = None) -> list[tuple[str, int | None]]:
    """The trend's bars, each month saying when it has no report, is partial or unfinished."""
    return [(month_label(t["month"])
             + (" (en cours, incomplet)" if t["state"] == "en cours" else "")
             + (" (partiel)" if t["state"] == "partiel" else ""), t["sessions"])
            for t in register.trend(place_id=place_id)]


def autonomy_items(register: Register, place_id: str) -> list[tuple[str, str]]:
    """Month after month, the share of sessions done alone (no site unlocked, no help answered)
    among those the terminal could tell; too few sessions to say it without pointing at someone
    read as such (the same threshold as the exports' small counts)."""
    items = []
    for entry in register.trend(place_id=place_id):
        label = month_label(entry["month"]) + (" (en cours)" if entry["state"] == "en cours"
                                               else "")
        counts = entry["autonomy"]
        if counts is None:
            items.append((label, "aucun rapport"))
            continue
        alone, helped = counts.get("alone", 0), counts.get("accompanied", 0)
        if alone + helped == 0:
            items.append((label, "non mesurée"))
        elif alone + helped < SMALL_COUNT_THRESHOLD:
            items.append((label, f"moins de {SMALL_COUNT_THRESHOLD} sessions"))
        else:
            items.append((label, f"{round(100 * alone / (alone + helped))} %"))
    return items


def _charts(register: Register, month: str) -> list[dict]:
    """Sessions per association (missing reports said so), opens per thematic, the trend."""
    cells = register.cells(month)
    per_place = [(c.place.name + (f" ({c.missing} rapport(s) manquant(s))"
                                  if c.missing and c.figures else ""), c.sessions())
                 for c in cells]
    total: dict = {}
    for cell in cells:
        add_figures(total, cell.figures or {})
    return [
        {"id": "sessions", "title": f"Sessions par association, {month_label(month)}",
         "items": per_place},
        {"id": "themes", "title": f"Ouvertures par thématique, {month_label(month)}",
         "items": theme_items(total)},
        {"id": "months", "title": "Sessions par mois, toutes associations",
         "items": trend_items(register)},
    ]


@bp.get("/")
@login_required
def index():
    """The consolidated table for one month (by default the last complete one)."""
    from .summary import period_lines

    register = Register(get_db(), today())
    month = checked_period(request.args.get("month")) or register.default_month()
    rows = register.table(month) if month else []
    charts = [dict(c, svg=bar_chart(c["id"], c["title"], c["items"]))
              for c in (_charts(register, month) if month else [])]
    return render_template("hub/index.html", rows=rows, months=register.months[::-1],
                           month=month, state=register.month_state(month) if month else None,
                           charts=charts, header=header_of(rows, IDENTITY),
                           row_ids=[c.place.id for c in register.cells(month)] if month else [],
                           quartiers=period_lines(register, month) if month else [],
                           quarters=register.quarters()[::-1],
                           link_month=month if month and MONTH.match(month) else None,
                           print_columns=PRINT_COLUMNS,
                           sessions_not_people=SESSIONS_NOT_PEOPLE)


PRINT_COLUMNS = 9  # columns per printed slice of the wide table (A4 landscape)

EXPORTS = {
    "csv": ("text/csv", "pointvirgule"),
    "csv-comma": ("text/csv", "virgule"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ""),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ""),
}


@bp.get("/export.<fmt>")
@login_required
def export(fmt: str):
    """The consolidated table as CSV (`;`, or `,` with ?sep=comma), XLSX or ODS."""
    month = checked_period(request.args.get("month"))
    if fmt == "csv" and request.args.get("sep") == "comma":
        fmt = "csv-comma"
    if fmt not in EXPORTS:
        abort(404, description="Format inconnu : CSV, Excel (xlsx) ou OpenDocument (ods).")
    rows = Register(get_db(), today()).table(month)
    mime, suffix = EXPORTS[fmt]
    data = table_file(rows, fmt, IDENTITY)
    extension = fmt.split("-")[0]
    name = "-".join(part for part in ("indicateurs", month or "tous-les-mois", suffix) if part)
    # send_file writes Content-Disposition per RFC 6266 (quoted, filename* when needed).
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True,
                     download_name=f"{name}.{extension}", max_age=0)
