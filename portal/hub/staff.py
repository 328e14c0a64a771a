"""The funder's staff pages: login, consolidated table with charts, downloads, enrolment codes."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)

from kiosk.export import THEMATIC_LABELS, header_of, to_csv, to_xlsx

from . import audit, get_db
from .auth import (
    ClientThrottle,
    check_login,
    close_session,
    login_required,
    open_session,
    safe_next,
)
from .charts import bar_chart
from .consolidate import consolidated, months, terminals
from .enrolment import create_code, pending_codes
from .months import checked_month

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
            return redirect(safe_next(request.args.get("next", "")) or url_for("staff.index"))
        error = ("Identifiant ou mot de passe incorrect." if wait <= 0 else
                 f"Trop d'essais. Réessayez dans {int(wait) + 1} secondes.")
    return render_template("hub/login.html", error=error), 401 if error else 200


@bp.post("/logout")
def logout():
    """Ends the session on the server: a copy of the cookie is worth nothing afterwards."""
    close_session(get_db(), session.get("sid"))
    session.clear()
    return redirect(url_for("staff.login"))


def _charts(rows: list[dict]) -> list[dict]:
    """Sessions per association, and tile opens per thematic, for the selected rows."""
    per_association: dict[str, int] = {}
    per_theme: dict[str, int] = {}
    for row in rows:
        name = row["Association"]
        per_association[name] = per_association.get(name, 0) + row["Sessions commencées"]
        for label in THEMATIC_LABELS.values():
            per_theme[label] = per_theme.get(label, 0) + row[f"Thématique : {label}"]
    themes = [(label, n) for label, n in per_theme.items() if n]
    return [
        {"id": "sessions", "title": "Sessions par association",
         "items": sorted(per_association.items())},
        {"id": "themes", "title": "Ouvertures par thématique",
         "items": sorted(themes, key=lambda item: -item[1])},
    ]


def _sessions_per_month(rows: list[dict]) -> list[tuple[str, int]]:
    """The last 12 months with reports, oldest first."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["Mois"]] = totals.get(row["Mois"], 0) + row["Sessions commencées"]
    return sorted(totals.items())[-12:]


@bp.get("/")
@login_required
def index():
    """The consolidated table by association and month."""
    db = get_db()
    available = months(db)
    month = request.args.get("month") or (available[0] if available else None)
    rows = consolidated(db, month) if month else []
    trend = {"id": "months", "title": "Sessions par mois, toutes associations",
             "items": _sessions_per_month(consolidated(db))}
    charts = [dict(c, svg=bar_chart(c["id"], c["title"], c["items"]))
              for c in [*_charts(rows), trend]]
    return render_template("hub/index.html", rows=rows, months=available, month=month,
                           charts=charts, header=header_of(rows))


@bp.get("/export.<fmt>")
@login_required
def export(fmt: str):
    """The consolidated table as CSV (`;`, or `,` with ?sep=comma) or XLSX."""
    month = checked_month(request.args.get("month"))
    if fmt not in ("csv", "xlsx"):
        abort(404, description="Format inconnu : CSV ou Excel (xlsx).")
    rows = consolidated(get_db(), month)
    name = f"indicateurs-{month or 'tous'}"
    if fmt == "csv":
        data = to_csv(rows, "," if request.args.get("sep") == "comma" else ";")
        mime = "text/csv"
    else:
        data = to_xlsx(rows)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    # send_file writes Content-Disposition per RFC 6266 (quoted, filename* when needed).
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True,
                     download_name=f"{name}.{fmt}", max_age=0)


@bp.route("/terminals", methods=["GET", "POST"])
@login_required
def terminals_page():
    """Enrolled terminals; create a one-time enrolment code for an association."""
    code = None
    if request.method == "POST":
        try:
            code = create_code(get_db(), request.form.get("association", ""))
        except ValueError:
            flash("Indiquez le nom de l'association (200 caractères au plus).")
    return render_template("hub/terminals.html", code=code, terminals=terminals(get_db()),
                           codes=pending_codes(get_db()), user=g.user)


@bp.post("/terminals/<terminal_id>/revoke")
@login_required
def revoke_terminal(terminal_id: str):
    """Stop trusting a terminal (stolen, replaced): its reports are refused from now on and its
    id may be enrolled again with a new code. Stored reports stay where they are."""
    db = get_db()
    with db.transaction():
        changed = db.execute("UPDATE terminals SET revoked_at = ? WHERE terminal_id = ?"
                             " AND revoked_at IS NULL", (audit.now_iso(), terminal_id))
        if changed.rowcount == 1:
            audit.record(db, g.user, "revoke", terminal_id)
    flash("Borne révoquée : ses rapports sont refusés ; elle peut être inscrite à nouveau."
          if changed.rowcount == 1 else "Cette borne n'existe pas ou est déjà révoquée.")
    return redirect(url_for("staff.terminals_page"))
