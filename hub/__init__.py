"""The funder's hub: enrols terminals, receives their signed monthly reports, consolidates them.

A Flask app of its own (`create_hub_app`), separate from the resident/mediator portal.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets

from flask import Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException

from core.api_errors import error_body, http_error_code

from .db import Database
from .errors import ApiError

MAX_REPORT_BYTES = 64 * 1024

log = logging.getLogger(__name__)

# SHA-256 of session keys that were published (a hub database was once committed to the
# repository, its WAL holding `settings.secret_key`). A hub still using one gets a new key.
PUBLISHED_KEY_DIGESTS = frozenset({
    "6c4706de4400a009c1bcd90540a2a024d83ae0e9e1d6ba77870fb447edafd262",
})


def create_hub_app(database_url: str, test_config: dict | None = None) -> Flask:
    """Build the hub for this database (sqlite:///path or postgresql://...); no default here,
    so no caller ends up with a database in whatever directory it was started from."""
    app = Flask(__name__)
    db = Database(database_url)
    db.create_schema()
    app.config.from_mapping(
        SECRET_KEY=_secret_key(db),
        MAX_CONTENT_LENGTH=MAX_REPORT_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="kiosk_hub",
        # Behind HTTPS (production) set KIOSK_HUB_SECURE_COOKIE=1: the cookie never goes in clear.
        SESSION_COOKIE_SECURE=os.environ.get("KIOSK_HUB_SECURE_COOKIE") == "1",
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["hub_db"] = db

    from . import api, auth, register_views, staff
    from .months import local_time, month_label
    app.register_blueprint(api.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(register_views.bp)
    app.jinja_env.filters["month_label"] = month_label
    app.jinja_env.filters["local_time"] = local_time
    app.before_request(auth.load_user)
    app.before_request(auth.check_csrf)
    app.jinja_env.globals["csrf_token"] = auth.csrf_token
    app.register_error_handler(ApiError, lambda e: (jsonify(e.to_json()), e.status))
    app.register_error_handler(HTTPException, _http_error)
    app.after_request(_security_headers)
    return app


def _security_headers(response):
    """No scripts, no framing, no sniffing: the staff pages are plain HTML forms and SVG."""
    response.headers.setdefault(
        "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
        "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


def get_db() -> Database:
    from flask import current_app
    return current_app.extensions["hub_db"]


def is_published_key(key: str) -> bool:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return any(hmac.compare_digest(digest, known) for known in PUBLISHED_KEY_DIGESTS)


def _secret_key(db: Database) -> str:
    """One key per hub database, so sessions survive restarts and several workers agree.
    A key known to be public is replaced (every cookie it signed stops working)."""
    db.execute("INSERT INTO settings (name, value) VALUES ('secret_key', ?)"
               " ON CONFLICT (name) DO NOTHING", (secrets.token_hex(32),))
    key = db.one("SELECT value FROM settings WHERE name = 'secret_key'")[0]
    if is_published_key(key):
        log.warning("hub: the session key was a published one; replaced by a new random key")
        db.execute("UPDATE settings SET value = ? WHERE name = 'secret_key' AND value = ?",
                   (secrets.token_hex(32), key))
        key = db.one("SELECT value FROM settings WHERE name = 'secret_key'")[0]
    return key


FRENCH_ERRORS = {
    400: ("Demande incorrecte", "La demande n'a pas pu être comprise."),
    403: ("Accès refusé", "Vous n'avez pas accès à cette page."),
    404: ("Page introuvable", "Cette page n'existe pas (ou plus). Vérifiez l'adresse."),
    405: ("Action impossible", "Cette page ne s'utilise pas de cette façon."),
    413: ("Envoi trop volumineux", "Ce que vous avez envoyé dépasse la taille permise."),
    500: ("Erreur du hub", "Le hub a rencontré un problème ; réessayez dans un moment."),
}


def _http_error(error: HTTPException):
    """JSON under /api, a short French page elsewhere (our own aborts carry French text;
    Werkzeug's English descriptions are replaced)."""
    if request.path.startswith("/api/"):
        return jsonify(error_body(http_error_code(error.name), error.description or error.name)), \
            error.code
    g.setdefault("user", None)
    from flask import render_template
    title, message = FRENCH_ERRORS.get(error.code or 500, (f"Erreur {error.code}", ""))
    default = type(error).description
    if error.description and error.description != default:
        message = error.description
    return render_template("hub/error.html", error=error, title=title,
                           message=message), error.code
