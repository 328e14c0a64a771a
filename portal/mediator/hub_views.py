"""The funder's hub, from the statistics page: enrol this terminal, send the report now."""

from __future__ import annotations

import http.client
import logging
from datetime import date
from urllib.parse import urlsplit

from flask import redirect, request, url_for

from . import auth, bp, context
from .i18n import _m
from .stats_views import NO_DATA, statistics_page
from .terminal import HubRefused

log = logging.getLogger(__name__)
NETWORK_ERRORS = (OSError, ValueError, http.client.HTTPException)  # unreachable, or not a hub
NOT_ENROLLED = ("La borne n'est inscrite auprès d'aucun hub : inscrivez-la d'abord avec le code "
                "du financeur.")
WAITING = "Les rapports attendent dans la boîte d'envoi et partiront automatiquement."

HUB_ERRORS = {  # the hub's stable error codes, told in French
    "invalid_code": "Le hub a refusé le code : il est inconnu, expiré ou déjà utilisé. "
                    "Demandez un nouveau code au financeur.",
    "malformed": "Le hub n'a pas compris la demande de la borne (demande mal formée).",
    "unknown_terminal": "Le hub ne connaît pas cette borne : inscrivez-la d'abord avec un code.",
    "invalid_signature": "Le hub a refusé la signature du rapport : la clé de la borne a "
                         "peut-être changé. Inscrivez la borne à nouveau.",
    "unsupported_schema": "Le hub ne connaît pas ce format de rapport : il doit être mis à jour.",
    "already_enrolled": "Cette borne est déjà inscrite auprès du hub. Pour la rattacher à une "
                        "autre association, demandez au financeur de la révoquer d'abord.",
    "revoked_terminal": "Le financeur a révoqué cette borne : demandez-lui un nouveau code, "
                        "puis inscrivez-la à nouveau.",
}


def hub_error_text(error: str) -> str:
    """A French sentence for the hub's refusal; an unknown code is quoted, never a traceback."""
    if error in HUB_ERRORS:
        return _m(HUB_ERRORS[error])
    if error.startswith("the hub answered "):  # no JSON error: probably not a hub at all
        return _m("Cette adresse ne répond pas comme un hub de collecte (code %(status)s) : "
                  "vérifiez-la auprès du financeur.", status=error.rsplit(" ", 1)[-1][:3])
    return _m("Le hub a refusé la demande (réponse : %(error)s).", error=error[:200])


def unreachable_text(url: str) -> str:
    return _m("Le hub %(url)s ne répond pas. Vérifiez l'adresse et la connexion à internet, "
              "puis réessayez.", url=url)


def clean_url(value: str) -> str | None:
    """An http(s) address with a host name, without trailing slash; None otherwise."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(value) > 300:
        return None
    if parts.query or parts.fragment or " " in value:
        return None
    return value.rstrip("/")


@bp.post("/statistiques/inscription")
@auth.required
def hub_enrol():
    form = {"hub": request.form.get("hub", ""), "code": request.form.get("code", "")}
    url, code = clean_url(form["hub"]), form["code"].strip()
    if url is None:
        return statistics_page(error=_m("Adresse du hub non valide. Exemple : "
                                        "https://indicateurs.exemple.fr"), status=400, form=form)
    if not code or len(code) > 100:
        return statistics_page(error=_m("Tapez le code d'inscription donné par le financeur."),
                               status=400, form=form)
    stats = context.stats()
    if stats is None:
        return statistics_page(error=_m(NO_DATA), status=400, form=form)
    try:
        answer = stats.enrol(url, code, context.config()["association_name"])
    except HubRefused as exc:
        context.audit().record("hub_enrol_refused", f"hub {urlsplit(url).hostname}")
        return statistics_page(error=hub_error_text(str(exc)), status=400, form=form)
    except NETWORK_ERRORS as exc:
        log.warning("mediator: hub enrolment failed (%s)", type(exc).__name__)
        return statistics_page(error=unreachable_text(url), status=502, form=form)
    context.audit().record("hub_enrolled", f"hub {urlsplit(url).hostname}")
    association = str(answer.get("association", ""))[:200]
    return redirect(url_for("mediator.statistics", message="enrolled", association=association),
                    303)


@bp.post("/statistiques/envoyer")
@auth.required
def hub_push():
    stats = context.stats()
    url = stats.hub_url() if stats else None
    if url is None:
        return statistics_page(error=_m(NOT_ENROLLED), status=400)
    if not stats.counting:
        return statistics_page(error=_m(NO_DATA), status=400)
    try:
        result = stats.push_now(date.today())
    except NETWORK_ERRORS as exc:
        log.warning("mediator: report push failed (%s)", type(exc).__name__)
        return statistics_page(error=_m("L'envoi a échoué sur la borne (%(error)s). Réessayez plus "
                                        "tard ; rien n'est perdu.", error=type(exc).__name__),
                               status=500)
    context.audit().record("report_pushed", f"{len(result.sent)} rapport(s) envoyé(s), "
                                            f"{len(result.kept)} en attente")
    if result.done:
        return redirect(url_for("mediator.statistics", message="sent", n=len(result.sent)), 303)
    if any("unreachable" in e for e in result.errors):
        return statistics_page(error=f"{unreachable_text(url)} {_m(WAITING)}", status=502)
    refusal = result.errors[0].split(" ", 2)[-1] if result.errors else ""
    return statistics_page(error=hub_error_text(refusal or "?"), status=502)
