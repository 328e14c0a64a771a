"""One-time enrolment codes: staff create one per terminal; the terminal trades it for trust."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from core.enrolment import code_hash, new_code, rebind_statement

from . import audit
from .audit import now_iso
from .db import Database
from .errors import ApiError

CODE_DAYS = 14


def create_code(db: Database, place: str) -> str:
    """A new code for a registered place (its id or name), valid 14 days; only its hash is
    stored. An unknown place is refused: register it first, once."""
    from .places import find_place

    db.create_schema()
    found = find_place(db, place)
    if found is None:
        raise ValueError("unknown place: register the association first")
    code = new_code()
    expires = (datetime.now(UTC) + timedelta(days=CODE_DAYS)).isoformat(timespec="seconds")
    db.execute("INSERT INTO enrolment_codes (code_hash, association, place_id, created_at,"
               " expires_at) VALUES (?, ?, ?, ?, ?)",
               (code_hash(code), found.name, found.id, now_iso(), expires))
    return code


def pending_codes(db: Database) -> list[tuple[str, str, str]]:
    """(association, created_at, expires_at) of codes not used yet."""
    return db.all("SELECT association, created_at, expires_at FROM enrolment_codes"
                  " WHERE used_by IS NULL AND expires_at > ? ORDER BY created_at DESC",
                  (now_iso(),))


def parse_enrolment(body: object) -> tuple[str, str, str]:
    """(terminal_id, public_key, code) from a request body, or ApiError."""
    if not isinstance(body, dict):
        raise ApiError(400, "malformed", "expected a JSON object")
    terminal, key, code = body.get("terminal_id"), body.get("public_key"), body.get("code")
    if not all(isinstance(v, str) for v in (terminal, key, code)):
        raise ApiError(400, "malformed", "terminal_id, public_key and code are required strings")
    try:
        terminal = str(uuid.UUID(terminal))
        raw = base64.b64decode(key, validate=True)
    except ValueError as exc:
        raise ApiError(400, "malformed", "terminal_id must be a UUID, public_key base64") from exc
    if len(raw) != 32:
        raise ApiError(400, "malformed", "public_key must be a raw Ed25519 key (32 bytes)")
    return terminal, key, code


def rebind_proof(body: dict, terminal: str, new_key: str, code: str) -> dict | None:
    """The decoded proof if the request carries one for exactly this re-binding."""
    proof = body.get("proof")
    if not isinstance(proof, dict) or not isinstance(proof.get("payload"), str) \
            or not isinstance(proof.get("signature"), str):
        return None
    try:
        statement = json.loads(proof["payload"])
        signature = base64.b64decode(proof["signature"], validate=True)
    except ValueError:
        return None
    expected = rebind_statement(terminal, new_key, code)
    return {"statement": statement, "signature": signature,
            "payload": proof["payload"].encode()} if statement == expected else None


def _signed_by(current_key: str, proof: dict | None) -> bool:
    if proof is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(current_key)).verify(
            proof["signature"], proof["payload"])
    except (InvalidSignature, ValueError):
        return False
    return True


def enrol(db: Database, body: object) -> dict:
    """Trust this terminal's key under the code's association; the code is then spent.

    Terminal ids are public (they are in every export): an id already enrolled is bound to a
    new key or association only with a proof signed by its current key, or after staff revoked
    it (audited). A refused attempt leaves the code unspent and the terminal untouched."""
    terminal, key, code = parse_enrolment(body)
    with db.transaction():
        # Spend the code first, conditionally: of two concurrent enrolments only one wins.
        spent = db.execute("UPDATE enrolment_codes SET used_by = ? WHERE code_hash = ?"
                           " AND used_by IS NULL AND expires_at > ?",
                           (terminal, code_hash(code), now_iso()))
        if spent.rowcount != 1:
            raise ApiError(403, "invalid_code", "unknown, expired or already used enrolment code")
        association, place_id = db.one("SELECT association, place_id FROM enrolment_codes"
                                       " WHERE code_hash = ?", (code_hash(code),))
        current = db.one("SELECT association, public_key, revoked_at FROM terminals"
                         " WHERE terminal_id = ?", (terminal,))
        if current is None:
            count = db.one("SELECT COUNT(*) FROM terminals WHERE place_id = ?", (place_id,))[0]
            db.execute("INSERT INTO terminals (terminal_id, association, place_id, name,"
                       " public_key, enrolled_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (terminal, association, place_id, f"Borne {count + 1}", key, now_iso()))
        else:
            old_association, old_key, revoked_at = current
            if not revoked_at and (old_key, old_association) == (key, association):
                # The same terminal again (its first answer was lost): nothing changes.
                return {"terminal_id": terminal, "association": association}
            if revoked_at:
                action = "enrol_after_revocation"
            elif _signed_by(old_key, rebind_proof(body, terminal, key, code)):
                action = "rebind_with_proof"
            else:
                raise ApiError(409, "already_enrolled",
                               "this terminal is already enrolled: re-enrolling needs a proof "
                               "signed by its current key, or the funder's staff to revoke it")
            db.execute("UPDATE terminals SET association = ?, place_id = ?, public_key = ?,"
                       " enrolled_at = ?, revoked_at = NULL WHERE terminal_id = ?",
                       (association, place_id, key, now_iso(), terminal))
            audit.record(db, "terminal", action, terminal,
                         f"{old_association} -> {association}"
                         + ("" if old_key == key else ", new key"))
    return {"terminal_id": terminal, "association": association}
