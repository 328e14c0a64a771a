"""The session's clocks as a pure state machine: given the time and the resident's activity, what
should happen now (show a countdown, cancel it, end the session). The supervisor feeds it real
time; tests can feed it explicit instants."""

from __future__ import annotations

from dataclasses import dataclass

from core.session_states import IDLE, TIME_LIMIT
from policies import SessionLimits

TIME_LIMIT_LEAD = 300.0  # the time-limit warning shows 5 minutes before the end


@dataclass(frozen=True)
class Warn:
    kind: str          # one of core.session_states.WARNINGS
    seconds: int       # countdown shown to the resident


@dataclass(frozen=True)
class CancelWarning:
    pass


@dataclass(frozen=True)
class End:
    reason: str        # IDLE or TIME_LIMIT (also end reasons)


Action = Warn | CancelWarning | End


class SessionTimer:
    """Idle: no input for `idle_minutes` shows a `warning_seconds` countdown that any input cancels.
    Time limit: warned `TIME_LIMIT_LEAD` before `max_minutes` (a quarter of it for very short
    limits); input does not cancel that end."""

    def __init__(self, limits: SessionLimits, started: float):
        self.started = started
        self.last_input = started
        self.idle_after = limits.idle_minutes * 60
        self.warning_seconds = limits.warning_seconds
        self.total = limits.max_minutes * 60
        self.lead = min(TIME_LIMIT_LEAD, self.total / 4)
        self.idle_warning_since: float | None = None
        self.time_warning_shown = False
        self.ended = False

    def seconds_left(self, now: float) -> int:
        return max(0, round(self.started + self.total - now))

    def activity(self, now: float) -> list[Action]:
        """The resident did something: cancels an idle countdown, never a time-limit one."""
        self.last_input = now
        if self.idle_warning_since is not None and not self.ended:
            self.idle_warning_since = None
            return [CancelWarning()]
        return []

    def tick(self, now: float) -> list[Action]:
        """What must happen at `now`; call it about once a second."""
        if self.ended:
            return []
        if now >= self.started + self.total:
            return self._end(TIME_LIMIT)
        if self.idle_warning_since is not None:
            if now >= self.idle_warning_since + self.warning_seconds:
                return self._end(IDLE)
            return []
        actions: list[Action] = []
        if not self.time_warning_shown and now >= self.started + self.total - self.lead:
            self.time_warning_shown = True
            actions.append(Warn(TIME_LIMIT, self.seconds_left(now)))
        if now >= self.last_input + self.idle_after:
            self.idle_warning_since = now
            actions.append(Warn(IDLE, self.warning_seconds))
        return actions

    def _end(self, reason: str) -> list[Action]:
        self.ended = True
        return [End(reason)]
