"""JSON on this machine: the session state and documents, for the "Session effacée" page."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from . import documents
from .security import is_local
from .session import get_session

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.before_request
def local_callers_only() -> None:
    if not is_local(request.remote_addr):
        abort(403)


@bp.get("/state")
def state():
    port = get_session()
    return jsonify(state=port.state(), warning=port.warning(), seconds_left=port.seconds_left(),
                   language=port.language(), help_requested=port.help_requested())


@bp.get("/documents")
def document_list():
    files = documents.list_documents(get_session().documents_dir())
    return jsonify(documents=[{"name": d.name, "size": d.size, "kind": d.kind} for d in files])
