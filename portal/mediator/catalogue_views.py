"""Catalogue editor: sites and categories, live validation, tester, history, import/export."""

from __future__ import annotations

import difflib
import tomllib
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from policies import Allowlist, PolicyError, PolicyIssue, parse_policy
from portal.catalogue import get_policy
from portal.icons import SITE_PICTOGRAMS

from ..limits import CATALOGUE_LIMIT
from . import auth, bp, context, drafts
from .access import GRANT, keeper
from .french import decision_text, issue_text
from .i18n import _m
from .terminal import KeeperError, SecretsUnavailable

IMPORT_LIMIT = CATALOGUE_LIMIT
MAX_ADDRESS = 2000  # the forms' maxlength for an address to test
TABLES = {"sites": "site", "categories": "category"}


# ---------------------------------------------------------------------------------- load / save
def _pictograms() -> list[tuple[str, str]]:
    """The visual picker's choices: every site pictogram with its plain-French label."""
    return [(name, _m(label)) for name, label in SITE_PICTOGRAMS.items()]


def current_doc() -> dict[str, Any]:
    """The catalogue in force, as an editable document."""
    store = context.store()
    if store.path.exists():
        try:
            return drafts.from_bytes(store.path.read_bytes())
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            pass
    return drafts.from_policy(get_policy())


def save_bytes(data: bytes, action: str, detail: str) -> list[PolicyIssue]:
    """Validate, sign when a key is configured, save atomically, show it now. Issues on refusal."""
    store = context.store()
    if store.path.exists() and store.path.read_bytes() == data:
        return []  # nothing changed: no new version in the history
    holder, grant = keeper(), auth.secret(GRANT)
    sign = (lambda raw: holder.sign_policy(grant, raw)) if holder.policy_signing() \
        else (lambda raw: None)
    try:
        parse_policy(data, "<catalogue>")
        signature = sign(data)
        store.validate(data, signature)
        if not store.path.exists():  # keep the catalogue in force as version 1, so it can come back
            baseline = drafts.to_toml(current_doc()).encode()
            store.save(baseline, sign(baseline))
        policy = store.save(data, signature)
    except PolicyError as exc:
        return exc.issues
    except (KeeperError, SecretsUnavailable):  # an expired grant, or the service is down
        return [PolicyIssue("signing_refused", "the catalogue could not be signed")]
    show_policy(policy)
    context.audit().record(action, detail)
    return []


def show_policy(policy) -> None:
    """The portal's tiles now, and the supervisor told (its window holds the old allowlist)."""
    current_app.extensions["kiosk_policy"].replace(policy)
    context.port().policy_changed()


def save_doc(doc: dict[str, Any], action: str, detail: str) -> list[PolicyIssue]:
    return save_bytes(drafts.to_toml(doc).encode(), action, detail)


def add_host_to_site(site_id: str, host: str) -> str | None:
    """One click from the blocked-hosts view; a French reason when refused."""
    doc = current_doc()
    site = drafts.find(doc, "site", site_id)
    if site is None:
        return _m("Ce site n'existe plus dans le catalogue.")
    if host in site.get("hosts", []):
        return None
    new = dict(site, hosts=[*site.get("hosts", []), host])
    issues = save_doc(drafts.with_entry(doc, "site", new, site_id), "site_host_added",
                      f"{host} -> site {site_id}")
    return " ".join(issue_text(i) for i in issues) or None


# ---------------------------------------------------------------------------------- overview
@bp.get("/catalogue")
@auth.required
def catalogue():
    doc = current_doc()
    address = request.args.get("adresse", "").strip()[:MAX_ADDRESS]
    verdict = None
    if address:
        policy = get_policy()
        names = {s.id: s.name for s in (*policy.sites, *policy.shared)}
        verdict = decision_text(Allowlist(policy).decide(address), names)
    categories = doc.get("category", [])
    known = {c["id"] for c in categories}
    orphans = [s for s in doc.get("site", []) if s.get("category") not in known]
    return render_template("mediator/catalogue.html", categories=categories, doc=doc,
                           orphans=orphans, warnings=[issue_text(w) for w in get_policy().warnings],
                           address=address, verdict=verdict, message=request.args.get("message"))


@bp.post("/catalogue/<kind>/<entry_id>/deplacer")
@auth.required
def move(kind: str, entry_id: str):
    table = _table(kind)
    step = -1 if request.form.get("direction") == "up" else 1
    doc = current_doc()
    issues = save_doc(drafts.moved(doc, table, entry_id, step), f"{table}_moved",
                      f"{table} {entry_id}")
    return _back(issues, "moved")


@bp.post("/catalogue/<kind>/<entry_id>/supprimer")
@auth.required
def remove(kind: str, entry_id: str):
    table = _table(kind)
    doc = current_doc()
    if drafts.find(doc, table, entry_id) is None:
        return _back([], "missing")
    if table == "category" and any(s.get("category") == entry_id for s in doc.get("site", [])):
        return render_catalogue_error(_m("Cette catégorie contient encore des sites : "
                                         "déplacez-les ou supprimez-les d'abord."))
    issues = save_doc(drafts.without_entry(doc, table, entry_id), f"{table}_removed",
                      f"{table} {entry_id}")
    return _back(issues, "removed")


def _table(kind: str) -> str:
    if kind not in TABLES:
        abort(404)
    return TABLES[kind]


def _back(issues: list[PolicyIssue], message: str):
    if issues:
        return render_catalogue_error(" ".join(issue_text(i) for i in issues))
    return redirect(url_for("mediator.catalogue", message=message), 303)


def render_catalogue_error(text: str):
    doc = current_doc()
    return render_template("mediator/catalogue.html", categories=doc.get("category", []), doc=doc,
                           orphans=[], address="", verdict=None, message=None, error=text), 400


# ---------------------------------------------------------------------------------- site form
def _site_check(form, site_id: str | None) -> tuple[dict, dict, dict | None]:
    """(site table, errors by field, document with the site) for a submitted form."""
    doc = current_doc()
    taken = drafts.taken_ids(doc, "site") - ({site_id} if site_id else set())
    site, errors = drafts.site_from_form(form, site_id, taken)
    # The site alone first, so every error belongs to this form; then the whole catalogue.
    alone = {"version": 1, "category": doc.get("category", []), "site": [site]}
    _policy, issues = drafts.validate(alone)
    if not issues:
        new_doc = drafts.with_entry(doc, "site", site, site_id)
        _policy, issues = drafts.validate(new_doc)
    else:
        new_doc = None
    for name, messages in drafts.field_errors(issues, "site").items():
        if name == "hosts" and "hosts" in errors:
            continue  # the per-line messages already say it, with the line
        errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))
    return site, errors, None if errors else new_doc


def _tested_address(site: dict) -> str | None:
    """What the site being edited would decide for the form's test address, if one was typed."""
    url = request.form.get("test_url", "").strip()[:MAX_ADDRESS]
    if not url:
        return None
    policy, issues = drafts.validate({"version": 1, "category": [{"id": "x", "label": "x"}],
                                      "site": [dict(site, category="x")]})
    if policy is None:
        return _m("Corrigez d'abord les adresses autorisées pour pouvoir tester.")
    return decision_text(Allowlist(policy).decide(url), {site["id"]: site.get("name", "")})


def _site_form(site: dict, errors: dict, site_id: str | None, tested: str | None = None,
               status: int = 200):
    doc = current_doc()
    return render_template("mediator/site_form.html", site=site, errors=errors, site_id=site_id,
                           categories=doc.get("category", []), icons=_pictograms(),
                           tested=tested, test_url=request.form.get("test_url", "")), status


@bp.route("/catalogue/sites/nouveau", methods=["GET", "POST"])
@auth.required
def site_new():
    return _site_view(None)


@bp.route("/catalogue/sites/<site_id>/modifier", methods=["GET", "POST"])
@auth.required
def site_edit(site_id: str):
    return _site_view(site_id)


def _site_view(site_id: str | None):
    existing = drafts.find(current_doc(), "site", site_id) if site_id else {"hosts": []}
    if existing is None:
        abort(404)
    if request.method == "GET":
        return _site_form(existing, {}, site_id)
    site, errors, new_doc = _site_check(request.form, site_id)
    tested = _tested_address(site)
    if errors or request.form.get("action") == "check":
        return _site_form(site, errors, site_id, tested, 400 if errors else 200)
    action = "site_changed" if site_id else "site_added"
    issues = save_doc(new_doc, action, f"site {site['id']} ({site['name']})")
    if issues:
        return _site_form(site, drafts.field_errors(issues, "site"), site_id, tested, 400)
    return redirect(url_for("mediator.catalogue", message="saved"), 303)


@bp.post("/catalogue/verifier")
@auth.required
def site_check():
    """Live validation for the site form: errors by field, the tile preview, the tester's answer."""
    site_id = request.form.get("site_id") or None
    site, errors, _doc = _site_check(request.form, site_id)
    return jsonify(errors=errors,
                   tested=_tested_address(site),
                   tile={"name": site.get("name", ""), "text": site.get("description", ""),
                         "icon": site.get("icon", "")})


# ---------------------------------------------------------------------------------- categories
@bp.route("/catalogue/categories/nouvelle", methods=["GET", "POST"])
@auth.required
def category_new():
    return _category_view(None)


@bp.route("/catalogue/categories/<category_id>/modifier", methods=["GET", "POST"])
@auth.required
def category_edit(category_id: str):
    return _category_view(category_id)


def _category_view(category_id: str | None):
    doc = current_doc()
    if category_id is not None and drafts.find(doc, "category", category_id) is None:
        abort(404)
    if request.method == "GET":
        category = drafts.find(doc, "category", category_id) if category_id else {}
        return render_template("mediator/category_form.html", category=category, errors={},
                               category_id=category_id, icons=_pictograms())
    taken = drafts.taken_ids(doc, "category") - ({category_id} if category_id else set())
    category, errors = drafts.category_from_form(request.form, category_id, taken)
    if not errors:
        issues = save_doc(drafts.with_entry(doc, "category", category, category_id),
                          "category_changed" if category_id else "category_added",
                          f"catégorie {category['id']} ({category['label']})")
        errors = drafts.field_errors(issues, "category")
        if not errors:
            return redirect(url_for("mediator.catalogue", message="saved"), 303)
    return render_template("mediator/category_form.html", category=category, errors=errors,
                           category_id=category_id, icons=_pictograms()), 400


# ---------------------------------------------------------------------------------- history
def _version_label(name: str) -> str:
    parts = name.split("-")
    if len(parts) >= 2 and len(parts[1]) == 16:
        stamp = parts[1]
        return (f"n° {int(parts[0])} — {stamp[6:8]}/{stamp[4:6]}/{stamp[:4]} "
                f"{stamp[9:11]}:{stamp[11:13]} UTC")
    return name


def _normalised(data: bytes) -> str:
    """The file as the editor writes it, so comments and layout never show up as changes."""
    try:
        return drafts.to_toml(drafts.from_bytes(data))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return data.decode("utf-8", "replace")


def _diff(old: bytes, new: bytes) -> list[tuple[str, str]]:
    """(css class, line) of a unified diff from an earlier version to the one in force."""
    lines = difflib.unified_diff(_normalised(old).splitlines(), _normalised(new).splitlines(),
                                 "version choisie", "version en service", n=1, lineterm="")
    result = []
    for line in list(lines)[2:]:
        kind = {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], "same")
        result.append((kind, line))
    return result


def _summary(old: bytes, new: bytes) -> list[str]:
    """What going back to `old` would change, in words: sites and categories by name."""
    try:
        before, after = drafts.from_bytes(old), drafts.from_bytes(new)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []
    lines = []
    for table, added, removed, changed in (
            ("site", _m("Sites ajoutés depuis"), _m("Sites retirés depuis"),
             _m("Sites modifiés depuis")),
            ("category", _m("Catégories ajoutées depuis"), _m("Catégories retirées depuis"),
             _m("Catégories modifiées depuis"))):
        old_entries = {e.get("id"): e for e in before.get(table, [])}
        new_entries = {e.get("id"): e for e in after.get(table, [])}
        name = "name" if table == "site" else "label"
        for label, ids, source in ((added, new_entries.keys() - old_entries.keys(), new_entries),
                                   (removed, old_entries.keys() - new_entries.keys(), old_entries),
                                   (changed, {i for i in old_entries.keys() & new_entries.keys()
                                              if old_entries[i] != new_entries[i]}, new_entries)):
            if ids:
                lines.append(f"{label} : "
                             + ", ".join(sorted(str(source[i].get(name, i)) for i in ids)))
    if before.get("session") != after.get("session"):
        lines.append(_m("Limites de session modifiées depuis."))
    return lines


@bp.get("/catalogue/historique")
@auth.required
def history():
    store = context.store()
    current = store.path.read_bytes() if store.path.exists() else b""
    versions = []
    for path in store.history()[:30]:
        old = path.read_bytes()
        versions.append({"name": path.name, "label": _version_label(path.name),
                         "diff": _diff(old, current), "summary": _summary(old, current)})
    return render_template("mediator/history.html", versions=versions,
                           message=request.args.get("message"), error=None)


@bp.post("/catalogue/historique/restaurer")
@auth.required
def rollback():
    store = context.store()
    wanted = request.form.get("version", "")
    version = next((p for p in store.history() if p.name == wanted), None)
    if version is None:
        return render_template("mediator/history.html", versions=[], message=None,
                               error=_m("Cette version n'existe pas (ou plus).")), 400
    try:
        policy = store.rollback(version)
    except PolicyError as exc:
        return render_template("mediator/history.html", versions=[], message=None,
                               error=" ".join(issue_text(i) for i in exc.issues)), 400
    show_policy(policy)
    context.audit().record("rollback", f"retour à la version {_version_label(wanted)}")
    return redirect(url_for("mediator.history", message="restored"), 303)


# ---------------------------------------------------------------------------------- import / export
@bp.get("/catalogue/exporter")
@auth.required
def export_catalogue():
    store = context.store()
    data = store.path.read_bytes() if store.path.exists() \
        else drafts.to_toml(current_doc()).encode()
    return Response(data, mimetype="application/toml",
                    headers={"Content-Disposition": 'attachment; filename="catalogue.toml"'})


@bp.route("/catalogue/importer", methods=["GET", "POST"])
@auth.required
def import_catalogue():
    if request.method == "GET":
        return render_template("mediator/import.html", errors=[])
    upload = request.files.get("file")
    data = upload.read(IMPORT_LIMIT + 1) if upload else b""
    if not data:
        errors = [_m("Choisissez un fichier de catalogue (.toml).")]
    elif len(data) > IMPORT_LIMIT:
        errors = [_m("Ce fichier est trop gros pour un catalogue (256 Ko au plus).")]
    else:
        issues = save_bytes(data, "catalogue_imported", "catalogue importé depuis un fichier")
        errors = [_issue_with_line(i) for i in issues]
        if not errors:
            return redirect(url_for("mediator.catalogue", message="imported"), 303)
    return render_template("mediator/import.html", errors=errors), 400


def _issue_with_line(issue: PolicyIssue) -> str:
    text = issue_text(issue)
    return _m("Ligne %(n)s : %(text)s", n=issue.line, text=text) if issue.line else text
