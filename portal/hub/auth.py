"""Staff login: scrypt password hashes, a lockout that grows with each failure, server-side
sessions, CSRF tokens."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

from flask import abort, current_app, g, redirect, request, session, url_for

from portal.auth import hash_password, verify_password  # one scrypt format for every login

from .db import Database

MIN_PASSWORD = 10
FREE_FAILURES = 3          # failures allowed before any waiting
MAX_LOCK_SECONDS = 3600.0
SESSION_IDLE_SECONDS = 30 * 60        # a staff session unused this long ends
SESSION_MAX_SECONDS = 12 * 3600       # and none lasts longer than a working day


_DUMMY = hash_password("not a real password, only for equal timing")


def set_password(db: Database, username: str, password: str) -> None:
    """Create or reset a staff account."""
    username = username.strip()
    if not username or len(username) > 64:
        raise ValueError("user name must have 1 to 64 characters")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must have at least {MIN_PASSWORD} characters")
    db.create_schema()
    with db.transaction():
        db.execute("INSERT INTO staff (username, password_hash) VALUES (?, ?)"
                   " ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash",
                   (username, hash_password(password)))
        # A new password ends every session opened with the old one.
        db.execute("DELETE FROM staff_sessions WHERE username = ?", (username,))


def lock_delay(failures: int) -> float:
    """Seconds to wait after this many consecutive failures: 0, 0, 0, 5, 10, 20... up to 1 h."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(MAX_LOCK_SECONDS, 5.0 * 2 ** (failures - FREE_FAILURES))


def check_login(db: Database, username: str, password: str,
                now: float | None = None) -> tuple[bool, float]:
    """(accepted, seconds to wait). A locked account is refused without checking the password."""
    now = time.time() if now is None else now
    row = db.one("SELECT failures, locked_until FROM login_failures WHERE username = ?",
                 (username,))
    failures, locked_until = row if row else (0, 0.0)
    if locked_until > now:
        return False, locked_until - now
    account = db.one("SELECT password_hash FROM staff WHERE username = ?", (username,))
    if verify_password(account[0] if account else _DUMMY, password) and account:
        db.execute("DELETE FROM login_failures WHERE username = ?", (username,))
        return True, 0.0
    failures += 1
    until = now + lock_delay(failures)
    db.execute("INSERT INTO login_failures (username, failures, locked_until) VALUES (?, ?, ?)"
               " ON CONFLICT (username) DO UPDATE SET failures = excluded.failures,"
               " locked_until = excluded.locked_until", (username, failures, until))
    return False, until - now


class ClientThrottle:
    """Failures per client address, in memory only: slows a password spray across user names."""

    def __init__(self, limit: int = 1000):
        self._failures: dict[str, tuple[int, float]] = {}
        self._limit = limit

    def wait(self, client: str, now: float | None = None) -> float:
        _failures, until = self._failures.get(client, (0, 0.0))
        return max(0.0, until - (time.time() if now is None else now))

    def failed(self, client: str, now: float | None = None) -> None:
        failures = self._failures.pop(client, (0, 0.0))[0] + 1
        if len(self._failures) >= self._limit:
            self._failures.pop(next(iter(self._failures)))
        # Twice the per-account allowance before waiting: colleagues behind one address.
        delay = lock_delay(max(0, failures - FREE_FAILURES))
        self._failures[client] = (failures, (time.time() if now is None else now) + delay)

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Every POST form (outside the signed API) must carry this session's token."""
    if request.method != "POST" or request.path.startswith("/api/"):
        return
    sent = request.form.get("csrf_token", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, description="Jeton de sécurité absent ou périmé : rechargez la page.")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(db: Database, username: str, now: float | None = None) -> str:
    """A new server-side session; the cookie carries only its random token."""
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    db.execute("INSERT INTO staff_sessions (token_hash, username, created_at, last_seen)"
               " VALUES (?, ?, ?, ?)", (_token_hash(token), username, now, now))
    return token


def close_session(db: Database, token: str | None) -> None:
    if token:
        db.execute("DELETE FROM staff_sessions WHERE token_hash = ?", (_token_hash(token),))


def session_user(db: Database, token: str | None, now: float | None = None,
                 idle: float = SESSION_IDLE_SECONDS,
                 longest: float = SESSION_MAX_SECONDS) -> str | None:
    """The staff member behind this token, if the session is alive (and touch it)."""
    if not token:
        return None
    now = time.time() if now is None else now
    key = _token_hash(token)
    row = db.one("SELECT username, created_at, last_seen FROM staff_sessions"
                 " WHERE token_hash = ?", (key,))
    if row is None:
        return None
    username, created_at, last_seen = row
    if now - last_seen > idle or now - created_at > longest:
        db.execute("DELETE FROM staff_sessions WHERE token_hash = ?", (key,))
        return None
    db.execute("UPDATE staff_sessions SET last_seen = ? WHERE token_hash = ?", (now, key))
    return username


def load_user() -> None:
    from . import get_db
    if request.path.startswith("/api/"):
        g.user = None  # terminals sign their reports; no staff session there
        return
    g.user = session_user(get_db(), session.get("sid"),
                          idle=current_app.config.get("HUB_SESSION_IDLE", SESSION_IDLE_SECONDS),
                          longest=current_app.config.get("HUB_SESSION_MAX", SESSION_MAX_SECONDS))


def login_required(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not g.get("user"):
            return redirect(url_for("staff.login", next=request.path))
        return view(*args, **kwargs)
    return wrapped
