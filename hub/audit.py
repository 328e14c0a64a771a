"""What staff and terminals changed in the register, kept for the funder's own checks."""

from __future__ import annotations

from datetime import UTC, datetime

from .db import Database


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def record(db: Database, actor: str, action: str, target: str, detail: str = "") -> None:
    """One line per change: who (a staff login or "terminal"), what, on which id."""
    db.execute("INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
               (now_iso(), actor, action, target, detail))


def recent(db: Database, limit: int = 50) -> list[tuple[str, str, str, str, str]]:
    return db.all("SELECT at, actor, action, target, detail FROM audit ORDER BY at DESC"
                  " LIMIT ?", (limit,))
