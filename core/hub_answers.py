"""What a terminal learns from the funder's hub: a refusal, or what a push of reports did.
Shared by the terminal's push (`kiosk.stats_push`) and the mediator area that shows it."""

from __future__ import annotations

from dataclasses import dataclass, field


class HubRefused(Exception):
    """The funder's hub answered with a refusal; str() is its stable error code (or, when it
    did not answer like a hub, 'the hub answered <status>')."""


@dataclass
class PushOutcome:
    """What a push did ("Envoyer maintenant", the daily push): reports sent, reports still
    waiting, and why."""

    sent: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.kept
