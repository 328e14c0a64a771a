"""The terminals' API: enrolment with a one-time code, and signed monthly reports."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from . import enrolment, get_db, ingest

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.post("/enrol")
def enrol():
    """A terminal trades a one-time code for trust in its public key."""
    return jsonify(enrolment.enrol(get_db(), request.get_json(silent=True))), 201


@bp.post("/reports")
def reports():
    """Store a signed report; newer versions replace older ones, anything else is refused."""
    return jsonify(ingest.ingest(get_db(), request.get_json(silent=True))), 201
