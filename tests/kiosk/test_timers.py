"""The session timer's decisions at explicit instants (the real-time behaviour is tested with the
real supervisor)."""

from __future__ import annotations

from kiosk.timers import CancelWarning, End, SessionTimer, Warn
from policies import SessionLimits

LIMITS = SessionLimits(idle_minutes=5, warning_seconds=60, max_minutes=60)


def test_no_input_for_idle_minutes_starts_the_countdown_then_ends():
    timer = SessionTimer(LIMITS, started=0)
    assert timer.tick(299) == []
    assert timer.tick(300) == [Warn("idle", 60)]
    assert timer.tick(359) == []
    assert timer.tick(360) == [End("idle")]
    assert timer.tick(400) == []


def test_any_input_during_the_countdown_cancels_it_and_restarts_the_idle_clock():
    timer = SessionTimer(LIMITS, started=0)
    timer.tick(300)
    assert timer.activity(330) == [CancelWarning()]
    assert timer.tick(400) == []
    assert timer.tick(630) == [Warn("idle", 60)]


def test_input_keeps_the_session_alive():
    timer = SessionTimer(LIMITS, started=0)
    for now in range(0, 3000, 120):
        timer.activity(now)
        assert not any(isinstance(a, (Warn, End)) for a in timer.tick(now + 1))


def test_time_limit_warns_five_minutes_before_and_input_does_not_cancel_it():
    timer = SessionTimer(LIMITS, started=0)
    timer.activity(3299)
    assert timer.tick(3300) == [Warn("time_limit", 300)]
    assert timer.activity(3400) == []
    timer.activity(3599)
    assert timer.tick(3600) == [End("time_limit")]


def test_very_short_limits_warn_a_quarter_before_the_end():
    timer = SessionTimer(SessionLimits(idle_minutes=60, warning_seconds=60, max_minutes=1),
                         started=10)
    assert timer.tick(54) == []
    assert timer.tick(55) == [Warn("time_limit", 15)]
    assert timer.seconds_left(60) == 10
