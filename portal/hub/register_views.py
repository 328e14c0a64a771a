"""Staff pages of the register: places (created once), codes for a registered place,
terminals (named, last report, renamed or revoked, both audited), one association's figures."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from kiosk.vocabulary import SESSIONS_NOT_PEOPLE

from . import audit, get_db
from .auth import login_required
from .charts import bar_chart
from .consolidate import Register, add_figures, shift
from .enrolment import create_code, pending_codes
from .months import checked_month, local_time, month_label
from .places import FIELDS, PlaceError, all_places, create_place, get_place, update_place
from .staff import theme_items, today, trend_items

bp = Blueprint("register", __name__)


@bp.route("/places", methods=["GET", "POST"])
@login_required
def places_page():
    """The register: every association once, with where it is."""
    db = get_db()
    error, values = None, {}
    if request.method == "POST":
        values = {column: request.form.get(column, "") for column, _l, _n in FIELDS}
        try:
            place = create_place(db, g.user, values)
        except PlaceError as exc:
            error = str(exc)
        else:
            flash(f"« {place.name} » est enregistrée : vous pouvez créer ses codes d'inscription.")
            return redirect(url_for("register.places_page"))
    register = Register(db, today())
    counts: dict[str, int] = {}
    for row in register.terminals:
        if not row[4]:
            counts[row[1]] = counts.get(row[1], 0) + 1
    return render_template("hub/places.html", places=all_places(db), fields=FIELDS,
                           values=values, error=error, counts=counts), 400 if error else 200


@bp.route("/places/<place_id>", methods=["GET", "POST"])
@login_required
def place_page(place_id: str):
    """Correct a place's fields (audited)."""
    db = get_db()
    place = get_place(db, place_id) or abort(404, description="Ce lieu n'existe pas.")
    error = None
    values = {column: getattr(place, column) for column, _l, _n in FIELDS}
    if request.method == "POST":
        values = {column: request.form.get(column, "") for column, _l, _n in FIELDS}
        try:
            update_place(db, g.user, place_id, values)
        except PlaceError as exc:
            error = str(exc)
        else:
            flash("Modifications enregistrées.")
            return redirect(url_for("register.association_page", place_id=place_id))
    return render_template("hub/place_edit.html", place=place, fields=FIELDS, values=values,
                           error=error), 400 if error else 200


def _rate(part: int, whole: int | None) -> str:
    return "—" if not whole else str(round(100 * part / whole))


@bp.get("/association/<place_id>")
@login_required
def association_page(place_id: str):
    """One association for the monthly meeting: this month against last month and the same
    month last year, top themes, help and accompanied rates, quarter and year totals."""
    db = get_db()
    place = get_place(db, place_id) or abort(404, description="Ce lieu n'existe pas.")
    register = Register(db, today())
    month = checked_month(request.args.get("month")) or register.default_month() \
        or register.current

    def cell(m: str):
        return register.place_cell(place_id, m) if m in register.months else None

    def sessions(m: str) -> int | None:
        found = cell(m)
        return found.sessions() if found else None

    now = cell(month)
    figures = now.figures if now else None
    started = sessions(month)
    comparisons = []
    for label, other in (("Mois précédent", shift(month, -1)),
                         ("Même mois l'an dernier", shift(month, -12))):
        before = sessions(other)
        change = None if before is None or started is None else started - before
        comparisons.append({"label": label, "month": other, "sessions": before,
                            "change": change})
    quarter_start = shift(month, -((int(month[5:7]) - 1) % 3))
    periods = []
    for label, months in (("Trimestre", [shift(quarter_start, n) for n in range(3)]),
                          ("Année", [f"{month[:4]}-{n:02d}" for n in range(1, 13)])):
        counted = [m for m in months if m <= month and sessions(m) is not None]
        periods.append({"label": label, "sessions": sum(sessions(m) for m in counted),
                        "months": len(counted),
                        "expected": len([m for m in months if m <= month])})
    total: dict = add_figures({}, figures or {})
    themes = theme_items(total)[:5]
    trend = trend_items(register, place_id)
    return render_template(
        "hub/association.html", place=place, month=month, cell=now,
        state=register.month_state(month), started=started, comparisons=comparisons,
        periods=periods, themes=themes,
        help_rate=_rate(total.get("help_requested", 0), started),
        accompanied_rate=_rate(total.get("accompanied_unlock", 0), started),
        trend_svg=bar_chart("trend", f"Sessions par mois, {place.name}", trend), trend=trend,
        themes_svg=bar_chart("themes", f"Thématiques les plus ouvertes, {month_label(month)}",
                             themes),
        months=register.months[::-1], sessions_not_people=SESSIONS_NOT_PEOPLE)


@bp.route("/terminals", methods=["GET", "POST"])
@login_required
def terminals_page():
    """Codes are made for a registered place; terminals are named and can be revoked."""
    db = get_db()
    code = None
    if request.method == "POST":
        try:
            code = create_code(db, request.form.get("place_id", ""))
        except ValueError:
            flash("Choisissez une association du registre (enregistrez-la d'abord).")
    register = Register(db, today())
    places = {place.id: place for place in all_places(db)}
    terminals = [{"id": tid, "place": places.get(place_id), "name": name or "Borne",
                  "enrolled": local_time(enrolled), "revoked": local_time(revoked) if revoked
                  else None, "last_report": local_time(register.last_report(tid))}
                 for tid, place_id, name, enrolled, revoked, _a in register.terminals]
    terminals.sort(key=lambda t: ((t["place"].name.casefold() if t["place"] else ""), t["name"]))
    codes = [(a, local_time(c), local_time(e)) for a, c, e in pending_codes(db)]
    return render_template("hub/terminals.html", code=code, terminals=terminals, codes=codes,
                           places=list(places.values()))


@bp.post("/terminals/<terminal_id>/rename")
@login_required
def rename_terminal(terminal_id: str):
    name = " ".join(request.form.get("name", "").split())
    db = get_db()
    if not name or len(name) > 80:
        flash("Le nom d'une borne a de 1 à 80 caractères.")
        return redirect(url_for("register.terminals_page"))
    with db.transaction():
        old = db.one("SELECT name FROM terminals WHERE terminal_id = ?", (terminal_id,))
        if old is None:
            abort(404, description="Cette borne n'existe pas.")
        db.execute("UPDATE terminals SET name = ? WHERE terminal_id = ?", (name, terminal_id))
        audit.record(db, g.user, "rename", terminal_id, f"{old[0]} -> {name}")
    flash(f"Borne renommée « {name} ».")
    return redirect(url_for("register.terminals_page"))


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
    return redirect(url_for("register.terminals_page"))
