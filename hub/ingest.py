"""Receive a signed monthly report: check shape, signature and version, store it idempotently."""

from __future__ import annotations

import base64
import json
import re
import uuid

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from core.counters import check_figures

from .audit import now_iso
from .db import Database
from .errors import ApiError

SCHEMA_VERSIONS = (1,)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

def parse_envelope(body: object) -> tuple[bytes, bytes, dict]:
    """(payload bytes, signature, decoded report) from the posted JSON, or ApiError."""
    if not isinstance(body, dict) or not isinstance(body.get("payload"), str) \
            or not isinstance(body.get("signature"), str):
        raise ApiError(400, "malformed", "expected {\"payload\": string, \"signature\": base64}")
    payload = body["payload"].encode()
    try:
        signature = base64.b64decode(body["signature"], validate=True)
        report = json.loads(payload)
    except ValueError as exc:
        raise ApiError(400, "malformed", "payload is not JSON or signature is not base64") from exc
    if not isinstance(report, dict):
        raise ApiError(400, "malformed", "payload must be a JSON object")
    return payload, signature, report


def check_report(report: dict) -> None:
    """Schema of the decoded payload (after the signature is known good)."""
    if report.get("schema_version") not in SCHEMA_VERSIONS:
        raise ApiError(400, "unsupported_schema", "unsupported schema_version")
    if not isinstance(report.get("month"), str) or not _MONTH.match(report["month"]):
        raise ApiError(400, "malformed", "month must look like 2026-03")
    version = report.get("version")
    if type(version) is not int or not 0 < version < 2**62:
        raise ApiError(400, "malformed", "version must be a positive whole number")
    if not isinstance(report.get("association"), str) or len(report["association"]) > 200:
        raise ApiError(400, "malformed", "association must be a string")
    try:
        check_figures(report.get("figures"))
    except ValueError as exc:
        raise ApiError(400, "malformed", str(exc)) from exc


def terminal_of(db: Database, report: dict) -> tuple[str, tuple[str, str], Ed25519PublicKey]:
    """(terminal id, (association, place id), public key) or 403 for an unknown terminal."""
    try:
        terminal = str(uuid.UUID(str(report.get("terminal_id"))))
    except ValueError as exc:
        raise ApiError(400, "malformed", "terminal_id must be a UUID") from exc
    row = db.one("SELECT association, public_key, revoked_at, place_id FROM terminals"
                 " WHERE terminal_id = ?", (terminal,))
    if row is None:
        raise ApiError(403, "unknown_terminal", "this terminal is not enrolled with the hub")
    if row[2]:
        raise ApiError(403, "revoked_terminal", "the funder's staff revoked this terminal")
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(row[1]))
    return terminal, (row[0], row[3]), key


def ingest(db: Database, body: object) -> dict:
    """Verify and store one report: a newer version replaces an older one, the rest is refused."""
    payload, signature, report = parse_envelope(body)
    terminal, (association, place_id), key = terminal_of(db, report)
    try:
        key.verify(signature, payload)
    except InvalidSignature as exc:
        raise ApiError(400, "invalid_signature",
                       "the signature does not match this terminal's key (tampered report?)",
                       ) from exc
    check_report(report)
    cursor = db.execute(
        "INSERT INTO reports (terminal_id, month, version, association, place_id, payload,"
        " signature, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (terminal_id, month) DO UPDATE SET"
        " version = excluded.version, association = excluded.association,"
        " place_id = excluded.place_id,"
        " payload = excluded.payload, signature = excluded.signature,"
        " received_at = excluded.received_at WHERE reports.version < excluded.version",
        (terminal, report["month"], report["version"], association, place_id, payload.decode(),
         base64.b64encode(signature).decode(), now_iso()))
    if cursor.rowcount != 1:
        raise ApiError(409, "replay", "this report version, or a newer one, is already stored")
    return {"stored": True, "terminal_id": terminal, "month": report["month"],
            "version": report["version"]}
