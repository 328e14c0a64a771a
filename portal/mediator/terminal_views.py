"""Terminal control: end the session now, accompanied mode, audit log, blocked hosts."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from core.session_states import IN_SESSION
from policies import (
    Allowlist,
    HostPatternError,
    Policy,
    SessionLimits,
    Site,
    check_breadth,
    parse_host_pattern,
)
from portal.catalogue import get_policy
from portal.security import is_local
from portal.session import SessionPort

from . import auth, bp, context
from .access import check_password, refusal
from .catalogue_views import add_host_to_site
from .french import host_error_text
from .i18n import _m

ACCOMPANIED_ID = "accompagne"


@bp.post("/terminer")
@auth.required
def end_session():
    port = context.port()
    if port.state() not in IN_SESSION:
        return redirect(url_for("mediator.status", message="no_session"), 303)
    port.end_now("mediator")
    context.audit().record("session_ended", "session terminée par le médiateur")
    return redirect(url_for("mediator.status", message="ended"), 303)


@bp.route("/accompagne", methods=["GET", "POST"])
@auth.required
def accompanied():
    port = context.port()
    policy = get_policy()
    errors: dict[str, str] = {}
    form = request.form
    if request.method == "POST":
        errors = _unlock(port, policy, form)
        if not errors and is_local(request.remote_addr):
            # On the terminal the resident takes the keyboard back: never leave the area open.
            auth.logout()
            return redirect(url_for("mediator.login", message="unlocked"), 303)
        if not errors:
            return redirect(url_for("mediator.accompanied", message="unlocked"), 303)
    return render_template("mediator/accompanied.html", sites=policy.sites, errors=errors,
                           form=form, active=port.state() in IN_SESSION,
                           unlocked=port.unlocked_site(), message=request.args.get("message")), \
        400 if errors else 200


def _unlock(port: SessionPort, policy: Policy, form) -> dict[str, str]:
    """Validate and apply one unlock; the errors by field, empty on success."""
    attempt = check_password(form.get("password", ""))
    if not attempt.accepted:
        return {"password": refusal(attempt) + " " + _m("Le site n'a pas été débloqué.")}
    if port.state() not in IN_SESSION:
        return {"_": _m("Aucune session n'est en cours : le mode accompagné ne sert que "
                        "pendant une session.")}
    site_id, host = form.get("site", ""), form.get("host", "").strip()
    if host:
        try:
            pattern = parse_host_pattern(host)
            check_breadth(pattern)  # the same rules as the catalogue: no *.github.io, no IP
        except HostPatternError as exc:
            return {"host": host_error_text(str(exc))}
        site_id, hosts = ACCOMPANIED_ID, (pattern.text,)
    elif policy.site(site_id) is not None:
        hosts = tuple(h.text for h in policy.site(site_id).hosts)
    else:
        return {"site": _m("Choisissez un site du catalogue ou tapez une adresse.")}
    port.unlock_site(site_id, hosts)
    # A typed address could say something about the resident's business: not written down.
    what = "une adresse tapée" if site_id == ACCOMPANIED_ID else f"site {site_id}"
    context.audit().record("accompanied_unlock", f"{what}, pour la session en cours")
    return {}


def unlocked_allows(port: SessionPort, url: str) -> bool:
    """Would the accompanied unlock of this session open this URL (for the tester and tests)."""
    unlocked = port.unlocked_site()
    if unlocked is None:
        return False
    site = Site(unlocked[0], unlocked[0], "x", "https://invalid.invalid/",
                tuple(parse_host_pattern(h) for h in unlocked[1]))
    return Allowlist(Policy(1, SessionLimits(), (), (site,))).decide(url).allowed


ACTIONS = {
    "login": "Connexion", "logout": "Déconnexion", "login_refused": "Connexion refusée",
    "password_set": "Mot de passe changé", "site_added": "Site ajouté",
    "site_changed": "Site modifié", "site_removed": "Site supprimé", "site_moved": "Site déplacé",
    "category_added": "Catégorie ajoutée",
    "category_changed": "Catégorie modifiée", "category_removed": "Catégorie supprimée",
    "category_moved": "Catégorie déplacée", "site_host_added": "Adresse ajoutée à un site",
    "rollback": "Retour à une version précédente", "catalogue_imported": "Catalogue importé",
    "settings_changed": "Réglages modifiés",
    "session_limits_changed": "Limites de session modifiées",
    "logo_changed": "Logo changé", "session_ended": "Session terminée par le médiateur",
    "accompanied_unlock": "Mode accompagné : site débloqué",
    "stats_exported": "Indicateurs téléchargés",
    "hub_enrolled": "Borne inscrite auprès du financeur",
    "hub_enrol_refused": "Inscription auprès du financeur refusée",
    "report_pushed": "Rapport envoyé au financeur",
}


@bp.get("/journal")
@auth.required
def audit_log():
    labels = {key: _m(text) for key, text in ACTIONS.items()}
    return render_template("mediator/audit.html", entries=context.audit().entries(), labels=labels)


@bp.get("/adresses-bloquees")
@auth.required
def blocked():
    return _blocked_page(request.args.get("message"), None)


def _blocked_page(message: str | None, error: str | None, status: int = 200):
    """Rows are (host, count[, site id[, day]]): without a site id, the mediator picks the site."""
    policy = get_policy()
    rows = []
    for row in context.blocked_hosts():
        host, count, site_id, day = (*row, None, None)[:4]
        site = policy.site(site_id) if site_id else None
        rows.append({"host": host, "count": count, "site_id": site.id if site else None,
                     "day": day or "", "site_name": site.name if site else ""})
    return render_template("mediator/blocked.html", rows=rows, sites=policy.sites, message=message,
                           error=error), status


@bp.post("/adresses-bloquees/ajouter")
@auth.required
def blocked_add():
    problem = add_host_to_site(request.form.get("site_id", ""), request.form.get("host", ""))
    if problem:
        return _blocked_page(None, problem, 400)
    return redirect(url_for("mediator.blocked", message="added"), 303)
