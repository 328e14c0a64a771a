"""What the mediator area needs from the terminal it runs on, besides the session (SessionPort):
the secrets keeper and the counters with their reports. Declared here, implemented by `kiosk`
(`kiosk.portal_wiring`), which builds the app and passes them in:

- MEDIATOR_KEEPER: a `KeeperFactory`; without one, every password check fails closed (503).
- MEDIATOR_STATS: a `TerminalStats`; without one, the statistics page says nothing is counted
  and the hub forms refuse.

The portal therefore imports nothing from `kiosk`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from core.hub_answers import HubRefused, PushOutcome
from core.keeper_errors import KeeperError, SecretsUnavailable

__all__ = ["HubRefused", "KeeperError", "KeeperFactory", "PushOutcome", "SecretsKeeper",
           "SecretsUnavailable", "TerminalStats"]


class SecretsKeeper(Protocol):
    """The keeper of the mediator password, its throttle, the login grants and the signing key
    (a separate service on an installed terminal). Refusals raise KeeperError; a keeper that
    does not answer raises SecretsUnavailable."""

    def has_password(self) -> bool: ...

    def check_password(self, password: str) -> dict[str, Any]:
        """{accepted, failures_before, wait_seconds, locked[, grant]} (persisted throttle)."""

    def set_password(self, current: str | None, new: str, again: str | None = None) -> dict: ...

    def touch_grant(self, grant: object) -> bool: ...

    def revoke(self, grant: object) -> None: ...

    def policy_signing(self) -> bool:
        """Is a policy-signing key configured (a saved catalogue must then be signed)?"""

    def sign_policy(self, grant: object, data: bytes) -> bytes | None: ...


KeeperFactory = Callable[..., SecretsKeeper]  # (state_dir, clock=...) -> SecretsKeeper


class TerminalStats(ABC):
    """The terminal's anonymous counters, their exports and the monthly reports to the hub."""

    @property
    @abstractmethod
    def counting(self) -> bool:
        """False when nothing is counted on this terminal (the page says so)."""

    @abstractmethod
    def dashboard(self, month: str) -> dict[str, list[tuple[str, int]]]:
        """Per chart, (key, count) pairs of the month `YYYY-MM`."""

    @abstractmethod
    def month_totals(self, month: str) -> dict[tuple[str, str], int]:
        """(metric, key) -> total over the month."""

    @abstractmethod
    def export(self, month: str, fmt: str) -> bytes:
        """The month's figures as a file: csv, csv-comma, xlsx or json (signed)."""

    @abstractmethod
    def hub_url(self) -> str | None:
        """The hub this terminal enrolled with, None before enrolment."""

    @abstractmethod
    def waiting_reports(self) -> int:
        """Signed reports in the outbox, not yet accepted by the hub."""

    @abstractmethod
    def enrol(self, url: str, code: str, association: str) -> dict[str, Any]:
        """Enrol with the funder's one-time code: the hub's answer. HubRefused when it says no;
        OSError, ValueError or http.client.HTTPException when it cannot be reached."""

    @abstractmethod
    def push_now(self, today: date) -> PushOutcome:
        """Queue the recent months' reports and send the outbox to the enrolled hub."""

