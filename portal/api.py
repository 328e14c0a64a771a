"""JSON for the launcher and supervisor on this machine: state, time left, documents, actions."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from core.events import Event

from . import documents
from .catalogue import get_policy
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


@bp.get("/time-left")
def time_left():
    return jsonify(seconds_left=get_session().seconds_left())


@bp.get("/documents")
def document_list():
    files = documents.list_documents(get_session().documents_dir())
    return jsonify(documents=[{"name": d.name, "size": d.size, "kind": d.kind} for d in files])


@bp.post("/tiles/<site_id>/open")
def open_tile(site_id: str):
    site = get_policy().site(site_id)
    if site is None:
        abort(404)
    get_session().emit(Event("tile_opened", site_id=site.id))
    return jsonify(url=site.url)


@bp.post("/help")
def help_request():
    get_session().request_help()
    return jsonify(help_requested=True)
