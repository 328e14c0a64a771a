"""Daily aggregates older than 25 months are deleted automatically."""

from __future__ import annotations

from datetime import date, datetime

from core.counters import retention_cutoff
from core.events import Event


def test_days_older_than_25_months_are_deleted_on_the_first_record_of_a_day(store):
    for day in (datetime(2023, 1, 5, 10), datetime(2024, 2, 9, 10), datetime(2024, 2, 10, 10)):
        store.record(Event("help_requested"), when=day)
    store._purged_on = None
    store.record(Event("help_requested"), when=datetime(2026, 3, 10, 10))
    days = [row[0] for row in store.rows(date(2000, 1, 1), date(2100, 1, 1))]
    assert days == ["2024-02-10", "2026-03-10"]


def test_purge_reports_how_many_rows_went(store):
    store.record(Event("help_requested"), when=datetime(2020, 1, 1, 10))
    assert store.purge(date(2026, 1, 1)) == 1
    assert store.rows(date(2000, 1, 1), date(2100, 1, 1)) == []


def test_cutoff_handles_short_months():
    assert retention_cutoff(date(2026, 3, 10)) == date(2024, 2, 10)
    assert retention_cutoff(date(2026, 5, 31)) == date(2024, 4, 30)
    assert retention_cutoff(date(2026, 1, 15)) == date(2023, 12, 15)


def test_retention_also_runs_when_the_store_opens(state, policy):
    from kiosk.counters import CounterStore
    old = CounterStore(state, policy)
    old.record(Event("help_requested"), when=datetime(2020, 1, 1, 10))
    old.close()
    reopened = CounterStore(state, policy)
    assert reopened.rows(date(2000, 1, 1), date(2100, 1, 1)) == []
    reopened.close()
