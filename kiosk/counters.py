"""Anonymous per-day usage counters (SQLite, WAL): what the terminal did, never who or where.

Only enumerated values are stored. A site id that is not in the catalogue is counted as "other"
(the count is kept, the unknown text is not); a detail that is not one of the allowed values
(end reasons, download/print outcomes, language codes, a bare host name) drops the event.
Blocked hosts (for the mediator's catalogue fixes, never exported) are written only once three
distinct sessions needed the same host, so a host made for one resident never reaches the disk.
Recording never raises into the caller: a counter failure is logged and the session goes on.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from core.counters import (
    ANSWER_FIGURES,
    AUTONOMY,
    DOWNLOAD_OUTCOMES,
    DURATION_BANDS,
    HOUR_BANDS,
    OTHER,
    PRINT_OUTCOMES,
    THEMATICS,
    clean_host,
    duration_band,
    hour_band,
    language_key,
    month_range,
    retention_cutoff,
)
from core.events import END_REASONS, HELP_OUTCOMES, KINDS, Event, parse_answer

log = logging.getLogger(__name__)

DB_NAME = "counters.sqlite3"
# A blocked host is written only after this many distinct sessions needed it.
BLOCKED_HOST_MIN_SESSIONS = 3
MAX_PENDING_HOSTS = 1000


@dataclass(frozen=True)
class Count:
    """One stored increment: (metric, key) for a day."""

    metric: str
    key: str = ""


class Catalogue:
    """Site id -> thematic, from the policy in force; unknown ids map to "other"."""

    def __init__(self, provider: Callable[[], object] | None):
        self._provider = provider
        self._sites: dict[str, str] = {}
        self.refresh()

    def refresh(self) -> None:
        if self._provider is None:
            return
        try:
            policy = self._provider()
            self._sites = {s.id: s.category for s in policy.sites}  # type: ignore[attr-defined]
        except Exception as exc:  # a broken policy must not stop counting
            log.warning("counters: cannot read the catalogue (%s)", type(exc).__name__)

    def site(self, site_id: str | None) -> str | None:
        if site_id is None:
            return None
        return site_id if site_id in self._sites else OTHER

    def thematic(self, site_id: str | None) -> str:
        category = self._sites.get(site_id or "")
        return category if category in THEMATICS else OTHER


def policy_provider(state: Path) -> Callable[[], object]:
    """Read the policy in force in this state dir (the last good one, fail closed)."""
    from policies import PolicyStore
    store = PolicyStore(state)  # one store: a broken new file keeps the last good catalogue
    return lambda: store.reload().policy


class CounterStore:
    """Per-day aggregates in `counters.sqlite3`; safe to share between threads."""

    def __init__(self, state: Path, policy: Callable[[], object] | object | None = None,
                 clock: Callable[[], datetime] = datetime.now):
        self.path = Path(state) / DB_NAME
        if policy is None:
            policy = policy_provider(Path(state))
        provider = policy if callable(policy) else (lambda: policy)
        self.catalogue = Catalogue(provider)
        self._clock = clock
        self._lock = threading.RLock()
        self._started: datetime | None = None
        self._language: str | None = None  # the language of the session in progress
        self._accompanied = False  # a mediator helped the session in progress (in memory only)
        # Read aloud: counted once per started session; a press on the welcome screen waits
        # for the session that starts next (in memory only).
        self._read_waiting = self._read_counted = False
        self._purged_on: date | None = None
        self._session_no = 0
        self._hosts: dict[str, tuple[set[int], int]] = {}
        self._public_hosts: set[str] = set()
        self._db = self._open_or_quarantine()
        self.record_retention()

    def record_retention(self) -> None:
        """Retention at start-up; like recording, a failure is logged and never raised."""
        try:
            self._purge_daily(self._clock().date())
        except sqlite3.Error as exc:
            log.warning("counters: retention failed (%s)", type(exc).__name__)

    def _open_or_quarantine(self) -> sqlite3.Connection | None:
        """Open the file; a corrupt one is set aside (kept for inspection) and a new one started.
        When even that fails, counting is off (logged) and sessions still run."""
        try:
            return self._open()
        except OSError as exc:
            log.warning("counters: cannot create the state dir (%s); counting is off",
                        type(exc).__name__)
            return None
        except sqlite3.DatabaseError as exc:
            log.warning("counters: %s is unreadable (%s); setting it aside", self.path.name,
                        type(exc).__name__)
        try:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            for suffix in ("", "-wal", "-shm"):
                old = self.path.with_name(self.path.name + suffix)
                if old.exists():
                    old.rename(old.with_name(f"{old.name}.broken-{stamp}"))
            return self._open()
        except (OSError, sqlite3.Error) as exc:
            log.warning("counters: cannot open a new counters file (%s); counting is off",
                        type(exc).__name__)
            return None

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a commit survives a crash of this process (kill -9); after a
        # power cut the newest commits may be lost but the file stays consistent.
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=2000")
        db.execute("CREATE TABLE IF NOT EXISTS daily (day TEXT NOT NULL, metric TEXT NOT NULL,"
                   " key TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL,"
                   " PRIMARY KEY (day, metric, key)) WITHOUT ROWID")
        return db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()

    # -- recording -----------------------------------------------------------------------

    def record(self, event: Event, when: datetime | None = None) -> bool:
        """Count one event now; never raises. True when something was stored."""
        try:
            when = when or self._clock()
            with self._lock:
                counts = self.counts_for(event, when)
                if counts:
                    self._add(when.date(), counts)
                self._purge_daily(when.date())
            return bool(counts)
        except Exception as exc:
            # Only the kind (an enumerated value) and the error type: the event's other fields
            # could carry resident data.
            kind = getattr(event, "kind", None)
            log.warning("counters: could not record a %s event (%s)",
                        kind if kind in KINDS else "malformed", type(exc).__name__)
            return False

    def emit(self, event: Event) -> None:
        """EventSink interface, so the supervisor can plug the counters in as a sink."""
        self.record(event)

    def counts_for(self, event: Event, when: datetime) -> list[Count]:
        """The increments one event stands for; an empty list drops it."""
        kind, site, detail = event.kind, event.site_id, event.detail
        if kind == "session_started":
            self._started = when
            self._language = "fr"  # every session opens in French
            self._session_no += 1
            self.catalogue.refresh()
            counts = [Count("sessions_started"), Count("start_hour", hour_band(when.hour))]
            self._read_counted, self._read_waiting = self._read_waiting, False
            return counts + ([Count("read_aloud")] if self._read_counted else [])
        if kind == "session_ended":
            return self._session_ended(detail, when)
        if kind == "tile_opened":
            return [Count("tile_site", self.catalogue.site(site) or OTHER),
                    Count("tile_thematic", self.catalogue.thematic(site))]
        if kind == "navigation_refused":
            return [Count("navigation_refused")]
        if kind == "download" and detail in DOWNLOAD_OUTCOMES:
            return [Count("download", detail)]
        if kind == "print" and detail in PRINT_OUTCOMES:
            return [Count("print", detail)]
        if kind == "language" and detail:
            # Not a count of switches: the session's language is counted once, at its end.
            self._language = language_key(detail)
            return []
        if kind == "help_requested":
            return [Count("help_requested")]
        if kind == "read_aloud":  # sessions that used "Écouter": a count, never what was read
            if self._started is None:
                self._read_waiting = True
                return []
            if self._read_counted:
                return []
            self._read_counted = True
            return [Count("read_aloud")]
        if kind == "keyboard":  # sessions that opened the keyboard: a count, never what was typed
            return [Count("keyboard")]
        if kind == "help_outcome" and detail in HELP_OUTCOMES:
            if detail == "acknowledged":
                self._accompanied = True
            return [Count("help_outcome", detail)]
        if kind == "accompanied_unlock":
            self._accompanied = True
            return [Count("accompanied_unlock", self.catalogue.site(site) or "")]
        if kind == "answer":
            # Its own counter: nothing stored says which answers came from the same session.
            answer = parse_answer(detail)
            return [Count(f"answer_{answer[0]}", answer[1])] if answer else []
        if kind == "site_unreachable":  # per site id, never the address
            return [Count("site_unreachable", self.catalogue.site(site) or OTHER)]
        if kind == "blocked_host":
            host = clean_host(detail)
            if host and self.catalogue.site(site) not in (None, OTHER):
                return self._blocked_host(host)
        return []

    def _blocked_host(self, host: str) -> list[Count]:
        """Write a host only once several sessions needed it: a host made for one resident
        (a name in a subdomain) then never reaches the disk. Pending counts live in memory."""
        if host in self._public_hosts:
            return [Count("blocked_host", host)]
        sessions, pending = self._hosts.pop(host, (set(), 0))
        sessions.add(self._session_no)
        if len(sessions) >= BLOCKED_HOST_MIN_SESSIONS:
            if len(self._public_hosts) >= MAX_PENDING_HOSTS:
                self._public_hosts.clear()
            self._public_hosts.add(host)
            return [Count("blocked_host", host)] * (pending + 1)
        self._hosts[host] = (sessions, pending + 1)
        while len(self._hosts) > MAX_PENDING_HOSTS:
            self._hosts.pop(next(iter(self._hosts)))
        return []

    def _session_ended(self, reason: str | None, when: datetime) -> list[Count]:
        if reason not in END_REASONS:
            return []
        counts = [Count("sessions_ended", reason)]
        seconds = (when - self._started).total_seconds() if self._started is not None else -1
        counts.append(Count("duration", duration_band(seconds) if seconds >= 0 else "unknown"))
        if self._language is not None:
            counts.append(Count("language", self._language))
        if self._started is None:
            counts.append(Count("autonomy", "unknown"))
        else:
            counts.append(Count("autonomy", "accompanied" if self._accompanied else "alone"))
        self._started = self._language = None
        self._accompanied = self._read_waiting = self._read_counted = False
        return counts

    def _add(self, day: date, counts: list[Count]) -> None:
        if self._db is None:
            raise sqlite3.OperationalError("counters are off")
        rows = [(day.isoformat(), c.metric, c.key) for c in counts]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT INTO daily (day, metric, key, count) VALUES (?, ?, ?, 1)"
                    " ON CONFLICT (day, metric, key) DO UPDATE SET count = count + 1", rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # -- retention -----------------------------------------------------------------------

    def _purge_daily(self, today: date) -> None:
        """Retention runs at start-up and with the first event of each day."""
        if self._purged_on != today:
            self.purge(today)
            self._purged_on = today

    def purge(self, today: date | None = None) -> int:
        """Delete the days older than 25 months; returns how many rows went."""
        cutoff = retention_cutoff(today or self._clock().date())
        if self._db is None:
            return 0
        with self._lock:
            cursor = self._db.execute("DELETE FROM daily WHERE day < ?", (cutoff.isoformat(),))
        return cursor.rowcount

    # -- reading -------------------------------------------------------------------------

    def rows(self, start: date, end: date) -> list[tuple[str, str, str, int]]:
        """(day, metric, key, count) for start <= day < end."""
        with self._lock:
            return self._db.execute(
                "SELECT day, metric, key, count FROM daily WHERE day >= ? AND day < ?"
                " ORDER BY day, metric, key", (start.isoformat(), end.isoformat())).fetchall()

    def month_totals(self, month: str) -> dict[tuple[str, str], int]:
        """(metric, key) -> total over the month `YYYY-MM`."""
        start, end = month_range(month)
        totals: dict[tuple[str, str], int] = {}
        for _day, metric, key, count in self.rows(start, end):
            totals[(metric, key)] = totals.get((metric, key), 0) + count
        return totals

    def blocked_hosts(self, since: date) -> list[tuple[str, int]]:
        """Hosts listed sites needed but the policy refused, most frequent first (mediator view)."""
        with self._lock:
            return self._db.execute(
                "SELECT key, SUM(count) AS n FROM daily WHERE metric = 'blocked_host' AND day >= ?"
                " GROUP BY key ORDER BY n DESC, key", (since.isoformat(),)).fetchall()


def dashboard(store: CounterStore, month: str) -> dict:
    """What the mediator's statistics page shows for a month: sessions per day, opens per
    thematic and per site, duration bands, start-hour bands, end reasons."""
    start, end = month_range(month)
    per_day: dict[str, int] = {}
    grouped: dict[str, dict[str, int]] = {}
    for day, metric, key, count in store.rows(start, end):
        if metric == "sessions_started":
            per_day[day] = per_day.get(day, 0) + count
        elif metric != "blocked_host":
            bucket = grouped.setdefault(metric, {})
            bucket[key] = bucket.get(key, 0) + count
    return {
        "sessions_per_day": sorted(per_day.items()),
        "tile_thematic": _ranked(grouped.get("tile_thematic", {})),
        "tile_site": _ranked(grouped.get("tile_site", {})),
        "duration": [(b, grouped.get("duration", {}).get(b, 0)) for b in DURATION_BANDS],
        "start_hour": [(b, grouped.get("start_hour", {}).get(b, 0)) for b in HOUR_BANDS],
        "sessions_ended": [(r, grouped.get("sessions_ended", {}).get(r, 0)) for r in END_REASONS],
        "autonomy": [(k, grouped.get("autonomy", {}).get(k, 0)) for k in AUTONOMY],
        **{metric: [(k, grouped.get(metric, {}).get(k, 0)) for k in keys]
           for metric, keys in ANSWER_FIGURES.items()},
        "other": {metric: sum(values.values()) for metric, values in grouped.items()
                  if metric in ("navigation_refused", "help_requested", "accompanied_unlock",
                                "download", "print", "site_unreachable", "help_outcome",
                                "read_aloud", "keyboard")},
    }


def _ranked(values: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(values.items(), key=lambda item: (-item[1], item[0]))
