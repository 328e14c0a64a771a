"""Response headers and request checks every portal page gets."""

from __future__ import annotations

import ipaddress

from flask import Flask, abort, request

# No inline script or style anywhere: everything comes from /static on this origin.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'self'")
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def is_local(addr: str | None) -> bool:
    """True when the caller is on this machine (launcher, supervisor, the kiosk window)."""
    try:
        ip = ipaddress.ip_address((addr or "").split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def cross_site() -> bool:
    """True for a request another site's page made the browser send (a form aimed at us)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and origin.rstrip("/") != request.host_url.rstrip("/")


def check_request() -> None:
    """Refuse oversized bodies before reading them, and forms sent from other sites."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)
    if request.method in UNSAFE_METHODS:
        if cross_site():
            abort(403)
        # Read the body now, within the limit: a chunked body has no length to check up front.
        request.form  # noqa: B018
        request.get_data(cache=True)


def add_headers(response):
    """Strict CSP, no caching of a resident's pages, no referrer leaking to sites."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.before_request(check_request)
    app.after_request(add_headers)
