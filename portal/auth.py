"""The Flask side of the portal's staff login (the mediator area).

Hashing (core.passwords) and the persisted throttle (core.throttle) are shared with the secrets
keeper and the funder's hub; here: per-session CSRF tokens checked before every POST
(core.csrf), and logins kept on the server (the signed, HttpOnly, SameSite=Strict cookie holds
only a random id) with idle and absolute lifetimes, revoked at logout and at a password change.
"""

from __future__ import annotations

import functools
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Flask, abort, current_app, redirect, request, session, url_for

from core import csrf

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


# ---------------------------------------------------------------------------------- sessions
ABSOLUTE_SECONDS = 4 * 3600  # a login ends after this long, however active
MAX_LOGINS = 64              # live logins kept per area (the oldest is dropped beyond)


@dataclass
class StaffLogin:
    """One login, kept on the server: the browser holds only its random id."""

    user: str
    since: float
    seen: float
    idle_seconds: float
    secrets: dict[str, object]  # what must never reach the browser (the keeper's grant)


class LoginRegistry:
    """The live logins of one area of one app, in memory: a restart logs everyone out, a
    logout or a password change deletes the record, so a copied cookie is worth nothing."""

    def __init__(self, on_revoke: Callable[[StaffLogin], None] | None = None) -> None:
        self._logins: dict[str, StaffLogin] = {}
        self._lock = threading.Lock()
        self._on_revoke = on_revoke

    def create(self, login: StaffLogin) -> str:
        ident = secrets.token_urlsafe(32)
        with self._lock:
            self._logins[ident] = login
            dropped = [self._logins.pop(k) for k in list(self._logins)[:-MAX_LOGINS]]
        self._revoked(dropped)
        return ident

    def get(self, ident: object) -> StaffLogin | None:
        if not isinstance(ident, str):
            return None
        with self._lock:
            return self._logins.get(ident)

    def revoke(self, ident: object) -> None:
        with self._lock:
            login = self._logins.pop(ident, None) if isinstance(ident, str) else None
        self._revoked([login] if login else [])

    def revoke_all(self, keep: object = None) -> int:
        """Every login but `keep` (a password change); how many ended."""
        with self._lock:
            ended = [self._logins.pop(k) for k in list(self._logins) if k != keep]
        self._revoked(ended)
        return len(ended)

    def _revoked(self, logins: list[StaffLogin]) -> None:
        if self._on_revoke is not None:
            for login in logins:
                self._on_revoke(login)


class StaffAuth:
    """One staff area's login: a random id in the (signed, HttpOnly) cookie, everything else on
    the server, with an idle and an absolute lifetime. `on_revoke` runs for every login that ends
    (logout, expiry, password change) and `still_valid` is asked on each request (the mediator
    area: is the keeper's grant still alive?)."""

    def __init__(self, area: str, login_endpoint: str, *, idle_seconds: int = 15 * 60,
                 absolute_seconds: int = ABSOLUTE_SECONDS,
                 clock: Callable[[], float] | None = None,
                 on_revoke: Callable[[StaffLogin], None] | None = None,
                 still_valid: Callable[[StaffLogin], bool] | None = None):
        self.area = area
        self.login_endpoint = login_endpoint
        self.idle_seconds = idle_seconds
        self.absolute_seconds = absolute_seconds
        self._clock = clock
        self.on_revoke = on_revoke
        self.still_valid = still_valid
        self._id_key = f"{area}_login"

    def clock(self) -> float:
        """Now; tests may set AUTH_CLOCK in the app config to move time forward."""
        return (self._clock or current_app.config.get("AUTH_CLOCK") or time.time)()

    def registry(self) -> LoginRegistry:
        """This app's live logins for this area."""
        key = f"staff_logins_{self.area}"
        registry = current_app.extensions.get(key)
        if registry is None:
            registry = current_app.extensions.setdefault(
                key, LoginRegistry(lambda login: self.on_revoke and self.on_revoke(login)))
        return registry

    # ------------------------------------------------------------ login state
    def login(self, user: str, idle_seconds: int | None = None,
              secrets_kept: dict[str, object] | None = None) -> None:
        """Start a fresh login: a new id and a new CSRF token, so nothing seen before login is
        useful. `idle_seconds` shortens the idle lifetime of this login only (never lengthens it);
        `secrets_kept` stay on the server with the login."""
        self.logout()
        session.permanent = True
        now = self.clock()
        session[self._id_key] = self.registry().create(StaffLogin(
            user, now, now, min(idle_seconds or self.idle_seconds, self.idle_seconds),
            dict(secrets_kept or {})))
        session[csrf.SESSION_KEY] = csrf.new_token()

    def logout(self) -> None:
        """End this browser's login on the server too (a copy of the cookie is then useless)."""
        self.registry().revoke(session.pop(self._id_key, None))
        session.pop(csrf.SESSION_KEY, None)

    def revoke_others(self) -> int:
        """End every other login of the area (after a password change); how many ended."""
        return self.registry().revoke_all(keep=session.get(self._id_key))

    def has_login(self) -> bool:
        """A login id in this browser's cookie (alive or not): cheap, asks nobody."""
        return self._id_key in session

    def current(self, touch: bool = True) -> StaffLogin | None:
        """This browser's live login, or None (an expired or revoked one is dropped).
        touch=False: a page polling by itself does not count as the mediator being there, so
        it never keeps an idle login alive."""
        ident = session.get(self._id_key)
        login = self.registry().get(ident)
        if login is None:
            if ident is not None:
                session.pop(self._id_key, None)
            return None
        now = self.clock()
        if now - login.seen > login.idle_seconds or now - login.since > self.absolute_seconds \
                or (self.still_valid is not None and not self.still_valid(login)):
            self.logout()
            return None
        if touch:
            login.seen = now
        return login

    def user(self) -> str | None:
        """The logged-in user, or None (also after the idle or absolute lifetime)."""
        login = self.current()
        return login.user if login else None

    def secret(self, name: str) -> object | None:
        """A value kept on the server with this browser's live login."""
        login = self.registry().get(session.get(self._id_key))
        return login.secrets.get(name) if login else None

    def keep_secret(self, name: str, value: object) -> None:
        """Replace a value kept with this browser's login (a new grant after a password change)."""
        login = self.registry().get(session.get(self._id_key))
        if login is not None:
            login.secrets[name] = value

    def required(self, view: Callable) -> Callable:
        """Decorator: redirect to the login page unless logged in."""
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if self.user() is None:
                return redirect(url_for(self.login_endpoint, next=request.path))
            return view(*args, **kwargs)
        return wrapped

    # ------------------------------------------------------------ CSRF
    @staticmethod
    def csrf_token() -> str:
        """This browser session's token (created on first use)."""
        return csrf.session_token(session)

    @staticmethod
    def check_csrf() -> None:
        """Refuse an unsafe request without this session's token (form field or header)."""
        if request.method not in UNSAFE:
            return
        sent = request.form.get(csrf.FIELD) or request.headers.get(csrf.HEADER)
        if not csrf.token_matches(sent, session):
            abort(400, description="csrf")

    def init_blueprint(self, bp: Blueprint) -> None:
        """CSRF on every unsafe request of the blueprint, token in its templates, cookie flags."""
        bp.before_request(self.check_csrf)
        bp.record_once(lambda state: secure_cookie(state.app, self.idle_seconds))


def secure_cookie(app: Flask, idle_seconds: int) -> None:
    """HttpOnly, SameSite=Strict, expiring after the idle lifetime (refreshed on each request)."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    app.config["PERMANENT_SESSION_LIFETIME"] = idle_seconds
    app.config["SESSION_REFRESH_EACH_REQUEST"] = True
    app.jinja_env.globals["csrf_token"] = StaffAuth.csrf_token  # also inside imported macros
