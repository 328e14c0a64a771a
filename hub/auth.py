"""The hub's staff login: accounts and server-side sessions in the hub's database, attempts
counted there (so every worker process sees them) with the one lockout rule of core.throttle,
hashes from core.passwords and CSRF tokens from core.csrf."""

from __future__ import annotations

import functools
import hashlib
import secrets
import threading
import time
from collections.abc import Callable

from flask import abort, current_app, g, redirect, request, session, url_for

from core import csrf
from core.passwords import hash_password, verify_password
from core.throttle import FREE_FAILURES, lock_delay

from .db import Database

MIN_PASSWORD = 10
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


def reserve_attempt(db: Database, username: str, now: float) -> tuple[int, float]:
    """Count this attempt, in one transaction, before any password is checked.

    Returns (attempts counted so far, seconds still locked). Parallel attempts each get their
    own number, so the lock falls after FREE_FAILURES of them whatever the timing; an attempt
    made while locked is counted but does not lengthen the lock."""
    with db.transaction():
        failures, locked_until = db.one(
            "INSERT INTO login_failures (username, failures, locked_until) VALUES (?, 1, 0)"
            " ON CONFLICT (username) DO UPDATE SET failures = login_failures.failures + 1"
            " RETURNING failures, locked_until", (username,))
        if locked_until > now:
            return failures, locked_until - now
        db.execute("UPDATE login_failures SET locked_until = ? WHERE username = ?",
                   (now + lock_delay(failures), username))
    return failures, 0.0


def check_login(db: Database, username: str, password: str, now: float | None = None,
                refuse: bool = False) -> tuple[bool, float]:
    """(accepted, seconds to wait). The attempt is counted first; a locked account (or
    `refuse`, when the client itself must wait) is refused without checking the password."""
    now = time.time() if now is None else now
    attempt, wait = reserve_attempt(db, username, now)
    if wait > 0 or refuse:
        return False, wait
    account = db.one("SELECT password_hash FROM staff WHERE username = ?", (username,))
    if verify_password(account[0] if account else _DUMMY, password) and account:
        # Forget the failures, unless attempts were counted meanwhile: those still count.
        forgotten = db.execute("DELETE FROM login_failures WHERE username = ? AND failures = ?",
                               (username, attempt))
        if forgotten.rowcount != 1:
            db.execute("UPDATE login_failures SET failures = failures - 1 WHERE username = ?",
                       (username,))
        return True, 0.0
    row = db.one("SELECT locked_until FROM login_failures WHERE username = ?", (username,))
    return False, max(0.0, (row[0] if row else 0.0) - now)


class ClientThrottle:
    """Attempts per client address, in memory only: slows a password spray across user names.
    Like the account lock, an attempt is counted (under a lock) before anything is checked."""

    def __init__(self, limit: int = 1000):
        self._failures: dict[str, tuple[int, float]] = {}
        self._limit = limit
        self._lock = threading.Lock()

    def wait(self, client: str, now: float | None = None) -> float:
        with self._lock:
            _failures, until = self._failures.get(client, (0, 0.0))
        return max(0.0, until - (time.time() if now is None else now))

    def reserve(self, client: str, now: float | None = None) -> float:
        """Count an attempt from this client; seconds it must still wait (0: go ahead)."""
        now = time.time() if now is None else now
        with self._lock:
            failures, until = self._failures.pop(client, (0, 0.0))
            failures += 1
            if len(self._failures) >= self._limit:
                self._failures.pop(next(iter(self._failures)))
            if until <= now:
                # Twice the per-account allowance before waiting: colleagues behind one address.
                until = now + lock_delay(max(0, failures - FREE_FAILURES))
                self._failures[client] = (failures, until)
                return 0.0
            self._failures[client] = (failures, until)
            return until - now

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def csrf_token() -> str:
    return csrf.session_token(session)


def check_csrf() -> None:
    """Every POST form (outside the signed API) must carry this session's token."""
    if request.method != "POST" or request.path.startswith("/api/"):
        return
    if not csrf.token_matches(request.form.get(csrf.FIELD), session):
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
