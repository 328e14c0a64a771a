"""Counters turn events into per-day aggregates of enumerated values only."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date, datetime

from core.counters import clean_host, duration_band, hour_band
from core.events import Event
from kiosk.counters import CounterStore

DAY = datetime(2026, 3, 10, 10, 15)


def at(minutes: float) -> datetime:
    return datetime.fromtimestamp(DAY.timestamp() + minutes * 60)


def test_a_session_is_counted_with_its_duration_band_start_band_and_end_reason(store):
    store.record(Event("session_started"), when=at(0))
    store.record(Event("tile_opened", site_id="caf"), when=at(1))
    store.record(Event("session_ended", detail="idle"), when=at(25))
    totals = store.month_totals("2026-03")
    assert totals[("sessions_started", "")] == 1
    assert totals[("start_hour", "9_12")] == 1
    assert totals[("sessions_ended", "idle")] == 1
    assert totals[("duration", "10_30")] == 1
    assert totals[("tile_site", "caf")] == 1
    assert totals[("tile_thematic", "famille_scolarite")] == 1


def test_counts_accumulate_per_day(store):
    for _ in range(3):
        store.record(Event("help_requested"), when=DAY)
    store.record(Event("help_requested"), when=datetime(2026, 3, 11, 9))
    rows = store.rows(date(2026, 3, 1), date(2026, 4, 1))
    assert rows == [("2026-03-10", "help_requested", "", 3),
                    ("2026-03-11", "help_requested", "", 1)]


def test_every_enumerated_kind_is_counted(store):
    for event in (Event("navigation_refused", site_id="caf"), Event("download", detail="accepted"),
                  Event("print", detail="no_printer"),
                  Event("accompanied_unlock", site_id="impots")):
        assert store.record(event, when=DAY), event
    totals = store.month_totals("2026-03")
    assert totals[("navigation_refused", "")] == 1
    assert totals[("download", "accepted")] == 1
    assert totals[("print", "no_printer")] == 1
    assert totals[("accompanied_unlock", "impots")] == 1


def test_a_blocked_host_is_written_once_three_sessions_needed_it(store):
    blocked = Event("blocked_host", site_id="caf", detail="validate.perfdrive.com")
    for session in range(3):
        store.record(Event("session_started"), when=DAY)
        store.record(blocked, when=DAY)
        store.record(blocked, when=DAY)
        expected = [] if session < 2 else [("validate.perfdrive.com", 6)]
        assert store.blocked_hosts(date(2026, 3, 1)) == expected
    store.record(blocked, when=DAY)
    assert store.blocked_hosts(date(2026, 3, 1)) == [("validate.perfdrive.com", 7)]


def test_a_host_seen_in_one_session_only_never_reaches_the_disk(store):
    store.record(Event("session_started"), when=DAY)
    for _ in range(50):
        store.record(Event("blocked_host", site_id="caf", detail="jdupont.example.fr"), when=DAY)
    assert store.blocked_hosts(date(2026, 3, 1)) == []


def test_unknown_site_id_is_counted_as_other(store):
    store.record(Event("tile_opened", site_id="not-in-catalogue"), when=DAY)
    totals = store.month_totals("2026-03")
    assert totals == {("tile_site", "other"): 1, ("tile_thematic", "other"): 1}


def test_invalid_details_are_dropped(store):
    for event in (Event("session_ended", detail="because"), Event("download", detail="x.pdf"),
                  Event("print", detail="/tmp/a"), Event("activity"), Event("ready"),
                  Event("blocked_host", site_id="caf", detail="https://x.fr/a?b=1"),
                  Event("blocked_host", site_id="caf", detail="127.0.0.1"),
                  Event("blocked_host", site_id="unknown", detail="cdn.example.fr")):
        assert not store.record(event, when=DAY), event
    assert store.month_totals("2026-03") == {}


def test_bands():
    assert [duration_band(m * 60) for m in (0, 9.9, 10, 29, 30, 59, 60, 300)] == [
        "lt10", "lt10", "10_30", "10_30", "30_60", "30_60", "gt60", "gt60"]
    assert [hour_band(h) for h in (0, 8, 9, 12, 14, 17, 23)] == [
        "before_9", "before_9", "9_12", "12_14", "14_17", "after_17", "after_17"]
    assert clean_host("Validate.PerfDrive.com.") == "validate.perfdrive.com"
    assert clean_host("185053306304217.evil.fr") is None


def test_a_counter_failure_is_logged_and_never_raised(store, caplog):
    store.close()  # every later write fails
    with caplog.at_level(logging.WARNING, logger="kiosk.counters"):
        assert store.record(Event("session_started"), when=DAY) is False
    assert "could not record a session_started event" in caplog.text


def test_the_database_is_in_wal_mode(store, state):
    store.record(Event("help_requested"), when=DAY)
    with sqlite3.connect(state / "counters.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_catalogue_is_read_from_the_state_dir_when_not_given(state):
    counters = CounterStore(state)
    counters.record(Event("tile_opened", site_id="impots"), when=DAY)
    assert counters.month_totals("2026-03")[("tile_thematic", "argent_impots")] == 1
    counters.close()


def test_dashboard_gives_the_mediator_page_its_series(store):
    from kiosk.counters import dashboard
    for day in (3, 3, 5):
        store.record(Event("session_started"), when=datetime(2026, 3, day, 15))
        store.record(Event("tile_opened", site_id="caf"), when=datetime(2026, 3, day, 15))
        store.record(Event("session_ended", detail="user"), when=datetime(2026, 3, day, 15, 5))
    store.record(Event("tile_opened", site_id="impots"), when=datetime(2026, 3, 5, 15))
    view = dashboard(store, "2026-03")
    assert view["sessions_per_day"] == [("2026-03-03", 2), ("2026-03-05", 1)]
    assert view["tile_site"] == [("caf", 3), ("impots", 1)]
    assert view["tile_thematic"][0] == ("famille_scolarite", 3)
    assert ("lt10", 3) in view["duration"] and ("14_17", 3) in view["start_hour"]
    assert ("user", 3) in view["sessions_ended"]


def test_counting_is_safe_from_several_threads(store):
    import threading
    threads = [threading.Thread(target=lambda: [store.record(Event("help_requested"), when=DAY)
                                                for _ in range(200)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.month_totals("2026-03")[("help_requested", "")] == 800


def test_a_non_event_is_dropped_and_logged_without_its_content(store, caplog):
    class Fake:
        kind = "1 85 05 33 063 042 17"
    with caplog.at_level(logging.WARNING, logger="kiosk.counters"):
        assert store.record(Fake(), when=DAY) is False
    assert "malformed" in caplog.text and "063" not in caplog.text


def test_a_corrupt_counters_file_is_set_aside_and_counting_goes_on(state, policy, caplog):
    (state / "counters.sqlite3").write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="kiosk.counters"):
        counters = CounterStore(state, policy)
    assert "setting it aside" in caplog.text
    assert counters.record(Event("help_requested"), when=DAY)
    assert counters.month_totals("2026-03") == {("help_requested", ""): 1}
    assert len(list(state.glob("counters.sqlite3.broken-*"))) == 1
    counters.close()


def test_an_unwritable_state_dir_turns_counting_off_without_raising(tmp_path, policy, caplog):
    state = tmp_path / "not-a-dir" / "state"
    state.parent.write_text("a file where the state dir should be")
    with caplog.at_level(logging.WARNING, logger="kiosk.counters"):
        counters = CounterStore(state, policy)
        assert counters.record(Event("help_requested"), when=DAY) is False
    assert "could not record a help_requested event" in caplog.text


def test_each_session_counts_once_in_the_language_it_was_used_in(store):
    """Two French sessions, one switched fr -> en -> ar: fr 2, ar 1, nothing for en."""
    for switches in ((), ("en-GB", "ar"), ()):
        store.record(Event("session_started"), when=DAY)
        for tag in switches:
            store.record(Event("language", detail=tag), when=DAY)
        store.record(Event("session_ended", detail="user"), when=DAY)
    totals = store.month_totals("2026-03")
    languages = {key: n for (metric, key), n in totals.items() if metric == "language"}
    assert languages == {"fr": 2, "ar": 1}
    assert sum(languages.values()) == totals[("sessions_ended", "user")]


def test_duration_bands_add_up_to_the_sessions_ended_even_after_a_crash(state, policy):
    from kiosk.counters import CounterStore
    first = CounterStore(state, policy)
    first.record(Event("session_started"), when=DAY)
    first.record(Event("session_ended", detail="user"), when=DAY)
    first.record(Event("session_started"), when=DAY)
    first.close()  # the process dies with a session open
    after = CounterStore(state, policy)
    after.record(Event("session_ended", detail="crash_recovery"), when=DAY)
    totals = after.month_totals("2026-03")
    ended = sum(n for (metric, _k), n in totals.items() if metric == "sessions_ended")
    durations = {key: n for (metric, key), n in totals.items() if metric == "duration"}
    assert ended == 2 and sum(durations.values()) == 2
    assert durations == {"lt10": 1, "unknown": 1}
    autonomy = {key: n for (metric, key), n in totals.items() if metric == "autonomy"}
    assert autonomy == {"alone": 1, "unknown": 1}
    after.close()


def test_retirement_sites_count_under_social_and_health_not_employment(store):
    for site in ("info_retraite", "assurance_retraite"):
        store.record(Event("tile_opened", site_id=site), when=DAY)
    totals = store.month_totals("2026-03")
    assert totals[("tile_thematic", "social_sante")] == 2
    assert ("tile_thematic", "travail_formation") not in totals


def test_a_site_that_did_not_answer_is_counted_per_site_never_by_address(store):
    store.record(Event("site_unreachable", site_id="caf", detail="dns"), when=DAY)
    store.record(Event("site_unreachable", site_id="caf", detail="server"), when=DAY)
    store.record(Event("site_unreachable", site_id="https://caf.fr/x?y=1"), when=DAY)
    totals = store.month_totals("2026-03")
    assert totals == {("site_unreachable", "caf"): 2, ("site_unreachable", "other"): 1}


def test_each_answer_is_its_own_counter_never_linked_to_the_sessions_other_answers(store):
    """Two residents answer all three questions: each answer adds to its own per-day counter,
    and no stored row holds two answers (nothing to cross-tabulate)."""
    for answers in (("outcome:alone", "first_time:yes", "age_band:under_26"),
                    ("outcome:helped", "first_time:no", "age_band:under_26")):
        store.record(Event("session_started"), when=DAY)
        for detail in answers:
            assert store.record(Event("answer", detail=detail), when=DAY)
        store.record(Event("session_ended", detail="user"), when=DAY)
    rows = [(metric, key, n) for _day, metric, key, n in store.rows(date(2026, 3, 1),
                                                                     date(2026, 4, 1))
            if metric.startswith("answer_")]
    assert sorted(rows) == [("answer_age_band", "under_26", 2), ("answer_first_time", "no", 1),
                            ("answer_first_time", "yes", 1), ("answer_outcome", "alone", 1),
                            ("answer_outcome", "helped", 1)]


def test_a_skipped_question_is_counted_as_no_answer_and_bad_answers_are_dropped(store):
    assert store.record(Event("answer", detail="outcome:no_answer"), when=DAY)
    for detail in ("outcome:maybe", "age:60_plus", "outcome", None, "outcome:alone:yes",
                   "first_time:yes,age_band:60_plus"):
        assert not store.record(Event("answer", detail=detail), when=DAY), detail
    totals = store.month_totals("2026-03")
    assert {k: n for k, n in totals.items() if k[0].startswith("answer_")} == {
        ("answer_outcome", "no_answer"): 1}


def test_a_session_a_mediator_helped_counts_as_accompanied_the_others_as_alone(store):
    sessions = (
        [],                                                            # alone
        [Event("accompanied_unlock", site_id="impots")],               # accompanied
        [Event("help_requested"), Event("help_outcome", detail="acknowledged")],  # accompanied
        [Event("help_requested")],                    # nobody came: alone (unanswered after end)
        [],                                                            # alone again
    )
    for events in sessions:
        store.record(Event("session_started"), when=DAY)
        for event in events:
            store.record(event, when=DAY)
        store.record(Event("session_ended", detail="user"), when=DAY)
        if events == [Event("help_requested")]:
            store.record(Event("help_outcome", detail="unanswered"), when=DAY)
    totals = store.month_totals("2026-03")
    autonomy = {key: n for (metric, key), n in totals.items() if metric == "autonomy"}
    assert autonomy == {"alone": 3, "accompanied": 2}
    assert sum(autonomy.values()) == totals[("sessions_ended", "user")]


def test_read_aloud_is_a_bare_count_of_sessions_and_reaches_the_export(store):
    """The launcher sends "read_aloud" once per session that pressed "Écouter": the counter
    keeps that number only (a detail, if one ever came, is not stored), and the monthly
    figures the funder receives carry it."""
    from kiosk.export import figures_for

    for _ in range(2):
        store.record(Event("session_started"), when=DAY)
        store.record(Event("read_aloud", detail="Bonjour madame"), when=DAY)
        store.record(Event("session_ended", detail="user"), when=DAY)
    assert store.month_totals("2026-03")[("read_aloud", "")] == 2
    assert figures_for(store, "2026-03")["read_aloud"] == 2


def test_read_aloud_never_counts_more_sessions_than_were_started(store):
    """The window counts a press once per resident, and the welcome screen has "Écouter" too:
    a press there belongs to the session that starts next, and a press by someone who walks
    away before "Commencer" is no session at all (before: 2 "sessions with read aloud" for 1
    session started)."""
    store.record(Event("read_aloud"), when=DAY)         # welcome screen, then Commencer
    store.record(Event("session_started"), when=DAY)
    store.record(Event("read_aloud"), when=DAY)         # a repeat in the same session
    store.record(Event("session_ended", detail="user"), when=DAY)
    store.record(Event("read_aloud"), when=DAY)         # welcome screen, nobody starts
    totals = store.month_totals("2026-03")
    assert totals[("sessions_started", "")] == 1
    assert totals[("read_aloud", "")] == 1


def test_keyboard_is_a_bare_count_of_sessions_and_reaches_the_monthly_figures(store):
    """The launcher sends "keyboard" once per session that opened the on-screen keyboard: the
    counter keeps that number only (a detail, if one ever came, is not stored), and the
    monthly figures the funder receives carry it."""
    from kiosk.export import figures_for

    store.record(Event("keyboard"), when=DAY)
    store.record(Event("keyboard", detail="mot de passe"), when=DAY)
    assert store.month_totals("2026-03") == {("keyboard", ""): 2}
    assert figures_for(store, "2026-03")["keyboard"] == 2
