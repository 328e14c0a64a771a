"""The one small event interface between launcher, supervisor, portal and counters.

Events carry enumerated facts only: an event kind, a catalogue id, an enumerated detail (an end
reason, a language code). Never a URL, a path, a title, a file name or anything a resident typed.
The launcher writes them as JSON lines on its stdout; the supervisor reads them and passes them
to the counters and its own timers.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Protocol

END_REASONS = ("user", "idle", "time_limit", "mediator", "crash_recovery")

KINDS = {
    "ready",               # launcher window shown and home loaded
    "cleared",             # the launcher dropped the session's profile (all its browsing state)
    "activity",            # resident input (throttled); feeds the idle timer, never counted
    "session_started",
    "session_ended",       # detail = end reason
    "tile_opened",         # site_id
    "navigation_allowed",  # site_id (or "portal")
    "navigation_refused",  # site_id of the page the resident was on, if any
    "blocked_host",        # host a listed site needed but the policy refused; detail = host
    "download",            # detail = "accepted" | "refused"
    "print",               # detail = "sent" | "no_printer" | "failed"
    "end_requested",       # the resident confirmed "Terminer la session"
    "language",            # detail = language code
    "help_requested",
    "keyboard",            # the session opened the on-screen keyboard (once; never what was typed)
    "accompanied_unlock",  # site_id
    "site_unreachable",    # site_id of a site that did not answer; detail = cause (enumerated)
    "help_outcome",        # detail = "acknowledged" (a mediator said "J'y vais") | "unanswered"
    "answer",              # the end-of-session questions; detail = "question:value" (enumerated)
    "read_aloud",          # the session used "Écouter" (once per session; never what was read)
}
HELP_OUTCOMES = ("acknowledged", "unanswered")

# The optional questions asked when a resident ends a session, and their only possible answers.
# Each answer is counted on its own (never linked to the session's other answers); a question
# that was asked but skipped is counted as NO_ANSWER.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "outcome": ("alone", "helped", "not_yet"),
    "first_time": ("yes", "no"),
    "age_band": ("under_26", "26_59", "60_plus"),
}
NO_ANSWER = "no_answer"


def answer_detail(question: str, value: str) -> str:
    """The `detail` of an answer event; ValueError for anything not enumerated."""
    if value not in QUESTIONS.get(question, ()) and not (question in QUESTIONS
                                                         and value == NO_ANSWER):
        raise ValueError("unknown question or answer")
    return f"{question}:{value}"


def accept_answer(asked: tuple[str, ...] | set[str], answered: set[str], question: str,
                  value: str) -> str | None:
    """An answer's detail when `question` is asked and not yet answered in this session (it is
    then marked answered), else None: one answer per question and session, enumerated values
    only."""
    if question not in asked or question in answered:
        return None
    try:
        detail = answer_detail(question, value)
    except ValueError:
        return None
    answered.add(question)
    return detail


def parse_answer(detail: str | None) -> tuple[str, str] | None:
    """(question, value) of an answer event's detail, or None when it is not an enumerated one."""
    question, _, value = (detail or "").partition(":")
    if question in QUESTIONS and (value in QUESTIONS[question] or value == NO_ANSWER):
        return question, value
    return None


@dataclass(frozen=True)
class Event:
    kind: str
    site_id: str | None = None
    detail: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v is not None}, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> Event:
        data = json.loads(line)
        return cls(kind=data["kind"], site_id=data.get("site_id"), detail=data.get("detail"))


class EventSink(Protocol):
    def emit(self, event: Event) -> None: ...


class ListSink:
    """Keeps events in memory (tests, the standalone portal)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def emit(self, event: Event) -> None:
        self.events.append(event)
