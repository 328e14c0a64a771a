"""The Flask app: resident pages, the local JSON API and the mediator area.

Blueprints, one per audience: `resident` (/), `api` (/api, loopback callers only), `mediator`
(/mediateur). The funder's hub is its own app (`hub.create_hub_app`).
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from flask import Flask

from policies import default_policy_path

from . import errors, i18n, live, security
from .catalogue import PolicySource
from .limits import FORM_LIMIT as MAX_BODY  # residents send tiny forms; bigger: 413
from .session import MemorySession, SessionPort


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the portal: defaults, then instance/portal.toml, then `test_config`."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        # a path, a policies.Policy, or a callable giving the policy in force (the store's)
        PORTAL_POLICY=str(default_policy_path()),
        # Startup values of the live settings (portal.live); PORTAL_SETTINGS, a
        # core.live_settings.LiveSettings, replaces them (the supervisor's, on a terminal).
        PORTAL_ASSOCIATION="Espace numérique",
        PORTAL_LOGO=None,                           # path to a PNG or JPEG image, or None
        PORTAL_LANGUAGES=("fr", "en", "ar"),
        PORTAL_PRINTING=True,                       # the mediator's "printing" setting
        PORTAL_SETTINGS=None,
        PORTAL_DOCUMENTS_DIR=None,                  # used by the in-memory session only
        PORTAL_SESSION=None,                        # a SessionPort; in-memory when None
        PORTAL_SECRET=None,
        MAX_CONTENT_LENGTH=MAX_BODY,
        MAX_FORM_MEMORY_SIZE=MAX_BODY,
        BABEL_DEFAULT_LOCALE=i18n.SOURCE,
        JSON_AS_ASCII=False,
    )
    if test_config is None:
        app.config.from_file("portal.toml", load=tomllib.load, text=False, silent=True)
    else:
        app.config.from_mapping(test_config)
    app.config["SECRET_KEY"] = app.config["PORTAL_SECRET"] or os.urandom(32)
    app.extensions["kiosk_policy"] = PolicySource(app.config["PORTAL_POLICY"])
    app.extensions["kiosk_session"] = _session_port(app)
    live.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    _register_blueprints(app)
    return app


def _session_port(app: Flask) -> SessionPort:
    port = app.config["PORTAL_SESSION"]
    if port is not None:
        if not isinstance(port, SessionPort):  # the whole contract, or the portal refuses to start
            raise TypeError(f"PORTAL_SESSION must be a portal.session.SessionPort, "
                            f"not {type(port).__name__}")
        return port
    folder = app.config["PORTAL_DOCUMENTS_DIR"] \
        or Path(tempfile.gettempdir()) / "kiosk-portal-downloads"
    return MemorySession(folder)


def _register_blueprints(app: Flask) -> None:
    from . import api, mediator, resident, templating

    templating.init_app(app)
    app.register_blueprint(resident.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(mediator.bp)
