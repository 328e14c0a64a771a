"""What `kiosk` hands the portal when it builds it: the mediator area's services on this
terminal (the ports are declared in `portal.mediator.terminal`; the portal imports no kiosk)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from kiosk import stats_push
from kiosk.counters import CounterStore, dashboard
from kiosk.export import export_bytes
from kiosk.keeper_service import keeper_for
from portal.mediator.terminal import HubRefused, PushOutcome, TerminalStats


class CounterReports(TerminalStats):
    """The counters store of this terminal (None: counting is off) and its hub reports."""

    def __init__(self, state: Path, counters: CounterStore | None) -> None:
        self.state = Path(state)
        self.counters = counters

    @property
    def counting(self) -> bool:
        return self.counters is not None

    def _store(self) -> CounterStore:
        if self.counters is None:
            raise LookupError("counting is off on this terminal")
        return self.counters

    def dashboard(self, month: str) -> dict:
        return dashboard(self._store(), month)

    def month_totals(self, month: str) -> dict[tuple[str, str], int]:
        return self._store().month_totals(month)

    def export(self, month: str, fmt: str) -> bytes:
        return export_bytes(self.state, self._store(), month, fmt)

    def hub_url(self) -> str | None:
        return stats_push.hub_url(self.state)

    def waiting_reports(self) -> int:
        return len(list(stats_push.outbox(self.state).glob("*.json")))

    def enrol(self, url: str, code: str, association: str) -> dict[str, Any]:
        return stats_push.enrol(self.state, url, code, association)

    def push_now(self, today: date) -> PushOutcome:
        url = self.hub_url()
        if url is None:
            raise HubRefused("unknown_terminal")
        stats_push.queue_months(self.state, self._store(), stats_push.default_months(today))
        return stats_push.flush(self.state, url)


def mediator_config(state: Path, *, counters: CounterStore | None = None,
                    blocked_hosts: Callable[[], list] | None = None,
                    policy_store: object | None = None) -> dict[str, Any]:
    """create_app() configuration for the mediator area of the terminal whose state dir is
    `state`: the runtime passes its own counters and policy store; tests pass what they need."""
    return {"MEDIATOR_STATE_DIR": str(state), "MEDIATOR_KEEPER": keeper_for,
            "MEDIATOR_STATS": CounterReports(state, counters),
            "MEDIATOR_BLOCKED_HOSTS": blocked_hosts, "MEDIATOR_POLICY_STORE": policy_store}
