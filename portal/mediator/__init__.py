"""The mediator area (/mediateur): catalogue, settings, terminal status, accompanied mode, audit.

Reachable from the terminal itself, and from the association's network only when the
`mediator_network_access` setting is on. Every page but the login needs the mediator password;
every POST carries the session's CSRF token; starting a resident session logs the mediator out.
"""

from __future__ import annotations

from flask import Blueprint, abort, request, session

from core.config import SettingError
from portal.auth import StaffAuth
from portal.security import is_local

from ..limits import UPLOAD_LIMIT
from . import context, i18n

bp = Blueprint("mediator", __name__, url_prefix="/mediateur")
bp.record_once(lambda state: i18n.init_app(state.app))
auth = StaffAuth("mediator", "mediator.login")
MARKER = "mediator_marker"


@bp.url_value_preprocessor
def _allow_uploads(endpoint, values) -> None:
    """Runs before the app's size check: only the two upload forms may send more than 64 KB."""
    if endpoint in ("mediator.logo", "mediator.import_catalogue"):
        request.max_content_length = UPLOAD_LIMIT
        request.max_form_memory_size = UPLOAD_LIMIT


@bp.before_request
def _network_gate() -> None:
    """Loopback always; other addresses only when the setting allows it (a broken config: no)."""
    if is_local(request.remote_addr):
        return
    try:
        allowed = context.config()["mediator_network_access"]
    except SettingError:
        allowed = False
    if not allowed:
        abort(403)


auth.init_blueprint(bp)


@bp.before_request
def _resident_session_logs_out() -> None:
    """A login made on the terminal before the running resident session started is over (the
    resident must never find it). A mediator's own computer on the network keeps its login, so
    the terminal page there goes on showing help requests while residents come and go."""
    if not auth.has_login() or not is_local(request.remote_addr):
        return
    marker = context.port().session_marker()
    if marker is not None and session.get(MARKER) != marker:
        auth.logout()
        session.pop(MARKER, None)


def remember_session_marker() -> None:
    session[MARKER] = context.port().session_marker()


from . import (  # noqa: E402,F401  (routes)
    access,
    catalogue_views,
    hub_views,
    settings_views,
    stats_views,
    terminal_views,
)

auth.on_revoke = access.revoke_grant
auth.still_valid = access.grant_alive
