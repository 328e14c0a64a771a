"""The enrolment code and the re-binding statement, as the terminal and the funder's hub both
read them: a code staff read aloud over the phone, only ever stored or signed as its hash."""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
REBIND_KEYS = frozenset({"purpose", "terminal_id", "public_key", "code"})  # exactly these


def new_code() -> str:
    """Twelve characters of ALPHABET in groups of four: `ABCD-EFGH-JKLM`."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def code_hash(code: str) -> str:
    """The same hash whatever the case, dashes or spaces the code was typed with."""
    normal = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(normal.encode()).hexdigest()


def rebind_statement(terminal_id: str, public_key: str, code: str) -> dict:
    """What a terminal signs with its current key to move to the association of a new code."""
    return {"purpose": "rebind", "terminal_id": terminal_id, "public_key": public_key,
            "code": code_hash(code)}
