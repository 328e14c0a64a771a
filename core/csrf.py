"""CSRF tokens for every staff area (the terminal's mediator pages, the funder's hub): one random
token per browser session, sent back with every form, compared in constant time."""

from __future__ import annotations

import hmac
import secrets

FIELD = "csrf_token"       # the hidden form field
HEADER = "X-CSRF-Token"    # or this header (fetch requests)
SESSION_KEY = "csrf"       # where the browser session keeps its token


def new_token() -> str:
    return secrets.token_urlsafe(32)


def session_token(session: dict) -> str:
    """This browser session's token, created on first use."""
    if SESSION_KEY not in session:
        session[SESSION_KEY] = new_token()
    return session[SESSION_KEY]


def token_matches(sent: str | None, session: dict) -> bool:
    """True only when a token was sent and equals the session's one."""
    expected = session.get(SESSION_KEY) or ""
    return bool(sent) and bool(expected) and hmac.compare_digest(sent, expected)
