"""Staff pages of the register: places (created once), codes for a registered place,
terminals (named, last report, renamed or revoked, both audited), one association's figures."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from core.charts import bar_chart
from core.vocabulary import SESSIONS_NOT_PEOPLE

from . import audit, get_db
from .auth import login_required
from .consolidate import Register
from .enrolment import create_code, pending_codes
from .months import checked_month, local_time, month_label
from .places import (
    FIELDS,
    PlaceError,
    all_places,
    create_place,
    get_place,
    neighbourhood_of,
    update_place,
)
from .staff import autonomy_items, today, trend_items
from .summary import summary

bp = Blueprint("register", __name__)


def chosen_month(register: Register) -> str:
    """The `month` asked for (400 if malformed), else the last complete one, else this one."""
    return checked_month(request.args.get("month")) or register.default_month() \
        or register.current


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
    # Terminals still trusted, per place (without loading every report as the Register would).
    counts = dict(db.all("SELECT place_id, COUNT(*) FROM terminals"
                         " WHERE COALESCE(revoked_at, '') = '' GROUP BY place_id"))
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


@bp.get("/association/<place_id>")
@login_required
def association_page(place_id: str):
    """One association for the monthly meeting: this month against last month and the same
    month last year, top themes, help and accompanied rates, quarter and year totals."""
    db = get_db()
    place = get_place(db, place_id) or abort(404, description="Ce lieu n'existe pas.")
    register = Register(db, today())
    month = chosen_month(register)
    figures = summary(register, {place_id}, month)
    trend = trend_items(register, place_id)
    return render_template(
        "hub/association.html", place=place, month=month, figures=figures,
        state=register.month_state(month),
        trend_svg=bar_chart("trend", f"Sessions par mois, {place.name}", trend), trend=trend,
        themes_svg=bar_chart("themes", f"Thématiques les plus ouvertes, {month_label(month)}",
                             figures["themes"]),
        months=register.months[::-1], sessions_not_people=SESSIONS_NOT_PEOPLE,
        autonomy=autonomy_items(register, place_id))


@bp.get("/association/<place_id>/rapport")
@login_required
def monthly_report(place_id: str):
    """One page per association and month for the monthly meeting: printed or saved as PDF
    from the browser, with no external resource (styles inline, no image, no script)."""
    db = get_db()
    place = get_place(db, place_id) or abort(404, description="Ce lieu n'existe pas.")
    register = Register(db, today())
    month = chosen_month(register)
    return render_template(
        "hub/report.html", place=place, month=month, figures=summary(register, {place_id}, month),
        state=register.month_state(month), trend=trend_items(register, place_id)[-12:],
        produced=local_time(audit.now_iso()), sessions_not_people=SESSIONS_NOT_PEOPLE)


def _group(register: Register, choice: str) -> tuple[str, set[str]] | None:
    """`p:<place id>` or `q:<neighbourhood>` -> (title, place ids)."""
    kind, _sep, value = choice.partition(":")
    if kind == "p" and value in register.places:
        return register.places[value].name, {value}
    if kind == "q":
        ids = {p.id for p in register.places.values()
               if neighbourhood_of(p) == value}
        if ids:
            return f"Quartier {value}", ids
    return None


@bp.get("/compare")
@login_required
def compare_page():
    """Two associations, or two neighbourhoods, side by side for one month."""
    register = Register(get_db(), today())
    month = chosen_month(register)
    choices = [(f"p:{p.id}", p.name) for p in sorted(register.places.values(),
                                                       key=lambda p: p.name.casefold())]
    quartiers = sorted({neighbourhood_of(p) for p in register.places.values()},
                       key=str.casefold)
    choices += [(f"q:{name}", f"Quartier : {name}") for name in quartiers]
    sides = []
    for key in ("a", "b"):
        picked = request.args.get(key, "")
        if picked:
            group = _group(register, picked)
            if group is None:
                abort(400, description="Choisissez une association ou un quartier de la liste.")
            sides.append({"key": picked, "title": group[0],
                          **summary(register, group[1], month)})
    return render_template("hub/compare.html", month=month, months=register.months[::-1],
                           choices=choices, sides=sides, picked=[s["key"] for s in sides],
                           state=register.month_state(month),
                           sessions_not_people=SESSIONS_NOT_PEOPLE)


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
    places = register.places
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
