"""Login, logout and the pages every mediator action starts from."""

from __future__ import annotations

import math

from flask import jsonify, redirect, render_template, request, session, url_for

from core.passwords import MAX_PASSWORD
from core.redirect import same_site_path
from core.session_states import IN_SESSION
from core.throttle import Attempt
from portal.auth import StaffLogin
from portal.security import is_local

from . import auth, bp, context, online, remember_session_marker
from .i18n import _m, _mn
from .terminal import SecretsKeeper, SecretsUnavailable

GRANT = "grant"  # the keeper's grant, kept with the login on the server (never in the cookie)
SHORT_IDLE = 2 * 60


def safe_next(target: str | None) -> str:
    """Only a page of this area: never an open redirect (see core.redirect.same_site_path)."""
    path = same_site_path(target or "")
    if path and path.startswith("/mediateur") and "//" not in path:
        return path
    return url_for("mediator.status")


def keeper() -> SecretsKeeper:
    """Who holds the password hash and keys: the secrets service on an installed terminal."""
    return context.keeper()


def has_password() -> bool:
    return keeper().has_password()


def as_attempt(answer: dict) -> Attempt:
    """A keeper's answer (which may also carry a grant or an error code) as an Attempt."""
    return Attempt(**{k: v for k, v in answer.items() if k in Attempt.__annotations__})


def _checked(password: str) -> tuple[Attempt, str | None]:
    """Every password check of the area goes through the keeper's persisted throttle; an
    accepted one also brings a grant (needed to sign a catalogue)."""
    answer = keeper().check_password(password[:MAX_PASSWORD])
    return as_attempt(answer), answer.get("grant")


def check_password(password: str) -> Attempt:
    """A check that is not a login (accompanied mode): its grant is given back at once."""
    attempt, grant = _checked(password)
    if grant:
        keeper().revoke(grant)
    return attempt


def revoke_grant(login: StaffLogin) -> None:
    """A login ended (logout, lifetime, password change): its grant ends with it."""
    grant = login.secrets.get(GRANT)
    if grant:
        keeper().revoke(grant)


def grant_alive(login: StaffLogin) -> bool:
    """Asked on every page: a grant the keeper dropped (its password was changed, even from the
    command line, or the service restarted) ends the login."""
    return bool(keeper().touch_grant(login.secrets.get(GRANT)))


def refusal(attempt) -> str:
    """The French reason a password check failed."""
    return _login_error(attempt)


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    stored = has_password()
    if request.method == "GET":
        return render_template("mediator/login.html", no_password=not stored,
                               next=request.args.get("next", ""), error=None,
                               message=request.args.get("message"))
    attempt, grant = _checked(request.form.get("password", ""))
    if not attempt.accepted:
        context.audit().record("login_refused",
                               "verrouillé" if attempt.locked else "mot de passe incorrect")
        return render_template("mediator/login.html", no_password=not stored,
                               next=request.form.get("next", ""), error=_login_error(attempt),
                               message=None), 403 if attempt.locked else 401
    # On the terminal during a resident's session (accompanied mode), the area closes itself fast.
    during_session = is_local(request.remote_addr) \
        and context.port().state() in IN_SESSION
    auth.login("mediateur", idle_seconds=SHORT_IDLE if during_session else None,
               secrets_kept={GRANT: grant})
    remember_session_marker()
    session["mediator_failures"] = attempt.failures_before
    context.audit().record("login", f"{attempt.failures_before} essai(s) refusé(s) avant")
    return redirect(safe_next(request.form.get("next")), 303)


def _login_error(attempt) -> str:
    wait = _wait_text(attempt.wait_seconds)
    if attempt.locked:
        return _m("Trop d'essais manqués. Attendez %(wait)s avant de réessayer.", wait=wait)
    if attempt.wait_seconds > 0:
        return _m("Mot de passe incorrect. Prochain essai possible dans %(wait)s.", wait=wait)
    return _m("Mot de passe incorrect.")


def _wait_text(seconds: float) -> str:
    """'45 secondes', '3 minutes': the lockout goes up to an hour, never '3600 secondes'."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 120:
        return _mn("%(num)s seconde", "%(num)s secondes", seconds)
    minutes = math.ceil(seconds / 60)
    return _mn("%(num)s minute", "%(num)s minutes", minutes)


@bp.post("/deconnexion")
def logout():
    if auth.user():
        context.audit().record("logout")
        context.port().mediator_left()
    auth.logout()  # the login's record and its grant end on the server
    return redirect(url_for("mediator.login"), 303)


STATE_LABELS = {
    "welcome": "En attente d'une personne (accueil)", "active": "Session en cours",
    "warning": "Session en cours (compte à rebours affiché)",
    "ending": "Session en train de se terminer", "wiping": "Effacement en cours",
    "out_of_service": "Hors service : l'effacement n'a pas pu être vérifié",
}


def _info() -> dict:
    return context.port().terminal_status()


@bp.get("/")
@auth.required
def status():
    unlocked = context.port().unlocked_site()
    labels = {key: _m(text) for key, text in STATE_LABELS.items()}
    return render_template("mediator/status.html", info=_info(), unlocked=unlocked,
                           message=request.args.get("message"), states=labels,
                           online=online.check(context.config()["online_check"]))


@bp.get("/etat")
def live_status():
    """What the terminal page polls to update itself: state and the pending help request only.
    Polling never keeps an idle login alive (the page then asks to log in again)."""
    if auth.current(touch=False) is None:
        return jsonify(logged_in=False), 401
    info = _info()
    state = info.get("state")
    return jsonify(logged_in=True, state=state,
                   state_label=_m(STATE_LABELS[state]) if state in STATE_LABELS else state,
                   elapsed=duration(info.get("elapsed_seconds")),
                   help=bool(info.get("help_requested")),
                   help_waiting=duration(info.get("help_waiting_seconds")))


@bp.post("/aide/vue")
@auth.required
def help_seen():
    """"J'y vais": the help request is acknowledged (counted) and the alert stops."""
    done = context.port().acknowledge_help()
    return redirect(url_for("mediator.status", message="help_seen" if done else "no_help"), 303)


@bp.context_processor
def _failed_logins() -> dict:
    """Failed attempts before this login: shown once, on the first page after it,
    whichever it is."""
    return {"failures": session.pop("mediator_failures", 0) if auth.has_login() else 0}


@bp.app_template_filter("duration")
def duration(seconds) -> str:
    """'12 min 05 s' for an elapsed time."""
    if seconds is None:
        return "—"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def render_error(exc):
    """CSRF and access refusals inside the area, in the area's own words."""
    code = getattr(exc, "code", 400)
    return render_template("mediator/error.html", code=code), code


def secrets_unavailable(_exc):
    """Fail closed: no password check, no signature, and a message saying so."""
    return render_template("mediator/error.html", code=503), 503


bp.register_error_handler(400, render_error)
bp.register_error_handler(SecretsUnavailable, secrets_unavailable)
bp.register_error_handler(403, render_error)
