"""One-time enrolment codes: staff create one per terminal; the terminal trades it for trust."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from .db import Database
from .errors import ApiError

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_DAYS = 14


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def code_hash(code: str) -> str:
    normal = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(normal.encode()).hexdigest()


def create_code(db: Database, association: str) -> str:
    """A new code for ASSOCIATION, valid 14 days; only its hash is stored."""
    association = association.strip()
    if not association or len(association) > 200:
        raise ValueError("association name must have 1 to 200 characters")
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    code = "-".join(raw[i:i + 4] for i in range(0, 12, 4))
    expires = (datetime.now(UTC) + timedelta(days=CODE_DAYS)).isoformat(timespec="seconds")
    db.create_schema()
    db.execute("INSERT INTO enrolment_codes (code_hash, association, created_at, expires_at)"
               " VALUES (?, ?, ?, ?)", (code_hash(code), association, now_iso(), expires))
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


def enrol(db: Database, body: object) -> dict:
    """Trust this terminal's key under the code's association; the code is then spent."""
    terminal, key, code = parse_enrolment(body)
    with db.transaction():
        # Spend the code first, conditionally: of two concurrent enrolments only one wins.
        spent = db.execute("UPDATE enrolment_codes SET used_by = ? WHERE code_hash = ?"
                           " AND used_by IS NULL AND expires_at > ?",
                           (terminal, code_hash(code), now_iso()))
        if spent.rowcount != 1:
            raise ApiError(403, "invalid_code", "unknown, expired or already used enrolment code")
        row = db.one("SELECT association FROM enrolment_codes WHERE code_hash = ?",
                     (code_hash(code),))
        db.execute("INSERT INTO terminals (terminal_id, association, public_key, enrolled_at)"
                   " VALUES (?, ?, ?, ?) ON CONFLICT (terminal_id) DO UPDATE SET"
                   " association = excluded.association, public_key = excluded.public_key,"
                   " enrolled_at = excluded.enrolled_at", (terminal, row[0], key, now_iso()))
    return {"terminal_id": terminal, "association": row[0]}
