"""A tiny portable database layer: SQLite by default, PostgreSQL (psycopg 3) by URL.

SQL is written once with `?` placeholders and standard `ON CONFLICT` upserts, which both
engines understand; only the placeholder style differs. One connection per thread.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS terminals (terminal_id TEXT PRIMARY KEY,"
    " association TEXT NOT NULL, public_key TEXT NOT NULL, enrolled_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS enrolment_codes (code_hash TEXT PRIMARY KEY,"
    " association TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,"
    " used_by TEXT)",
    "CREATE TABLE IF NOT EXISTS reports (terminal_id TEXT NOT NULL, month TEXT NOT NULL,"
    " version BIGINT NOT NULL, association TEXT NOT NULL, payload TEXT NOT NULL,"
    " signature TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (terminal_id, month))",
    "CREATE TABLE IF NOT EXISTS staff (username TEXT PRIMARY KEY, password_hash TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS login_failures (username TEXT PRIMARY KEY,"
    " failures INTEGER NOT NULL, locked_until DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS staff_sessions (token_hash TEXT PRIMARY KEY,"
    " username TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL,"
    " last_seen DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS places (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " name_key TEXT NOT NULL UNIQUE, pivot TEXT NOT NULL, address TEXT NOT NULL,"
    " postcode TEXT NOT NULL, commune TEXT NOT NULL, neighbourhood TEXT NOT NULL,"
    " qpv_code TEXT NOT NULL, created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS audit (at TEXT NOT NULL, actor TEXT NOT NULL,"
    " action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL)",
)

# Columns added after the first release: (table, column, definition), added when missing.
COLUMNS = (
    ("terminals", "revoked_at", "TEXT"),
    ("terminals", "place_id", "TEXT"),
    ("terminals", "name", "TEXT"),
    ("enrolment_codes", "place_id", "TEXT"),
    ("reports", "place_id", "TEXT"),
)


class Database:
    """Connections and transactions for one database URL."""

    def __init__(self, url: str):
        self.url = url
        self.postgres = url.startswith(("postgresql://", "postgres://"))
        if not self.postgres and not url.startswith("sqlite:///"):
            raise ValueError(f"unsupported database URL {url!r}"
                             " (sqlite:///... or postgresql://...)")
        self._local = threading.local()
        self._opened: list[Any] = []  # every thread's connection, so close_all() reaches them
        self._opened_lock = threading.Lock()
        self._created = False

    # -- connections ---------------------------------------------------------------------

    def connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or (self.postgres and conn.closed):
            conn = self._connect()
            self._local.conn = conn
            with self._opened_lock:
                self._opened.append(conn)
        return conn

    def _connect(self) -> Any:
        if self.postgres:
            import psycopg
            return psycopg.connect(self.url, autocommit=True)
        path = Path(self.url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def close_all(self) -> None:
        """Close the connections of every thread (a server's workers included)."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()

    # -- statements ----------------------------------------------------------------------

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (autocommit outside a transaction); returns the cursor."""
        return self.connection().execute(self.sql(statement), tuple(params))

    def all(self, statement: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self.execute(statement, params).fetchall())

    def one(self, statement: str, params: Sequence[Any] = ()) -> tuple | None:
        return self.execute(statement, params).fetchone()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """All statements inside commit together or not at all."""
        conn = self.connection()
        if self.postgres:
            with conn.transaction():
                yield self
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def create_schema(self) -> None:
        if self._created:
            return
        with self.transaction():
            for statement in SCHEMA:
                self.execute(statement)
            for table, column, definition in COLUMNS:
                if column not in self.column_names(table):
                    # Two workers starting together: PostgreSQL must not fail on the second.
                    guard = "IF NOT EXISTS " if self.postgres else ""
                    self.execute(f"ALTER TABLE {table} ADD COLUMN {guard}{column} {definition}")
            from .places import adopt_free_text
            adopt_free_text(self)
        self._created = True

    def column_names(self, table: str) -> set[str]:
        cursor = self.execute(f"SELECT * FROM {table} LIMIT 0")
        return {column[0] for column in cursor.description}
