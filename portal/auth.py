"""Shared login machinery for the portal's staff areas (mediator now, the funder's hub later).

Scrypt password hashes whose parameters travel in the hash string, a login throttle persisted on
disk (lockout with a growing delay, survives a restart, failures reported at the next success),
per-session CSRF tokens checked before every POST, and logins kept on the server (the signed,
HttpOnly, SameSite=Strict cookie holds only a random id) with idle and absolute lifetimes,
revoked at logout and at a password change.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, redirect, request, session, url_for

from policies.store import atomic_write

SCHEME = "scrypt"
N, R, P, DKLEN = 2**14, 8, 1, 32
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class PasswordError(ValueError):
    """A new password is not acceptable; the message says why (in French, for mediators)."""


# ---------------------------------------------------------------------------------- hashing
def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """`scrypt$n$r$p$salt$digest` with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=DKLEN,
                            maxmem=256 * 1024 * 1024)
    return "$".join([SCHEME, str(n), str(r), str(p), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def verify_password(stored: str, password: str) -> bool:
    """Constant-time check; any malformed hash is simply a refusal."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest, validate=True)
        if scheme != SCHEME or not 2 <= int(n) <= 2**20 or int(r) > 64 or int(p) > 16:
            return False
        computed = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt, validate=True),
                                  n=int(n), r=int(r), p=int(p), dklen=len(expected),
                                  maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError, AttributeError):
        return False
    return hmac.compare_digest(computed, expected)


_DUMMY_HASH: str | None = None


def burn_time(password: str) -> None:
    """Spend as long as a real check, so 'no password set' is not told apart by timing."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("kiosk: no password set yet")
    verify_password(_DUMMY_HASH, password)


def check_new_password(password: str, again: str | None = None) -> str:
    """Validate a password being set; raise PasswordError with a plain French reason."""
    if again is not None and password != again:
        raise PasswordError("Les deux mots de passe ne sont pas identiques.")
    if len(password) < MIN_PASSWORD:
        raise PasswordError(f"Le mot de passe doit avoir au moins {MIN_PASSWORD} caractères.")
    if len(password) > MAX_PASSWORD:
        raise PasswordError("Le mot de passe est trop long.")
    if not password.strip():
        raise PasswordError("Le mot de passe ne peut pas être fait que d'espaces.")
    return password


# ---------------------------------------------------------------------------------- throttle
FREE_FAILURES = 3           # failures allowed before any waiting
MAX_ACCOUNTS = 1000         # tracked names (a hub may see many made-up user names): oldest dropped
BASE_DELAY = 5.0            # then 5 s, 10 s, 20 s... doubling
MAX_DELAY = 15 * 60.0       # never locks a mediator out for more than 15 minutes at a time


def lock_delay(failures: int) -> float:
    """Seconds to wait after this many consecutive failures: 0, 0, 0, 5, 10, 20... up to 15 min."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY, BASE_DELAY * 2 ** (failures - FREE_FAILURES))


@dataclass(frozen=True)
class Attempt:
    """The outcome of one login attempt."""

    accepted: bool
    wait_seconds: float = 0.0     # > 0: locked, try again after this long
    failures_before: int = 0      # failed attempts since the last success (shown after success)
    locked: bool = False          # refused without checking the password


_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _file_lock(path: Path) -> threading.Lock:
    """One lock per throttle file, shared by every request thread of the process."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path.resolve(), threading.Lock())


class Throttle:
    """Consecutive login failures per account, in a small JSON file so a restart resets nothing."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.clock = clock
        self._lock = _file_lock(self.path)

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(data).encode(), mode=0o600)  # order kept: oldest first

    def state(self, account: str) -> dict:
        entry = self._read().get(account)
        base = {"failures": 0, "unreported": 0, "locked_until": 0.0}
        return base | entry if isinstance(entry, dict) else base

    def wait_seconds(self, account: str) -> float:
        return max(0.0, float(self.state(account)["locked_until"]) - self.clock())

    def attempt(self, account: str, check: Callable[[], bool]) -> Attempt:
        """Run `check` unless locked; record the outcome. One attempt at a time per process."""
        with self._lock:
            wait = self.wait_seconds(account)
            if wait > 0:
                return Attempt(False, wait, locked=True)
            accepted = check()
            data = self._read()
            entry = self.state(account)
            if accepted:
                data.pop(account, None)
                self._write(data)
                return Attempt(True, failures_before=int(entry["unreported"]))
            entry["failures"] = int(entry["failures"]) + 1
            entry["unreported"] = int(entry["unreported"]) + 1
            delay = lock_delay(entry["failures"])
            entry["locked_until"] = self.clock() + delay
            data.pop(account, None)
            data[account] = entry  # newest last, so trimming drops the oldest
            self._write(dict(list(data.items())[-MAX_ACCOUNTS:]))
            return Attempt(False, delay)


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
        session["csrf"] = secrets.token_urlsafe(32)

    def logout(self) -> None:
        """End this browser's login on the server too (a copy of the cookie is then useless)."""
        self.registry().revoke(session.pop(self._id_key, None))
        session.pop("csrf", None)

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
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return session["csrf"]

    @staticmethod
    def check_csrf() -> None:
        """Refuse an unsafe request without this session's token (form field or header)."""
        if request.method not in UNSAFE:
            return
        sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
        expected = session.get("csrf") or ""
        if not sent or not expected or not hmac.compare_digest(sent, expected):
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
