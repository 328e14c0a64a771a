"""Where the mediator pages find the terminal: state dir, settings, policy store, audit, port."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from core.layout import state_dir
from kiosk.audit import AuditLog
from kiosk.config import Config
from policies import PolicyStore
from portal.session import get_session

BlockedHosts = Callable[[], list[tuple[str, int, str]]]


def state() -> Path:
    """The terminal's state dir (MEDIATOR_STATE_DIR, else $KIOSK_STATE_DIR or /var/lib/kiosk)."""
    return state_dir(current_app.config.get("MEDIATOR_STATE_DIR"))


def config() -> Config:
    """Read on every request: `kiosk config set` and this page always agree."""
    return Config.load(state())


def store() -> PolicyStore:
    """The supervisor's store when the runtime shares it, else one over the same state dir."""
    shared = current_app.config.get("MEDIATOR_POLICY_STORE")
    if shared is not None:
        return shared
    cached = current_app.extensions.get("mediator_store")
    if cached is None or cached.state_dir != state():
        cached = PolicyStore(state(), require_signed=config()["require_signed_policy"])
        current_app.extensions["mediator_store"] = cached
    cached.require_signed = config()["require_signed_policy"]
    return cached


def audit() -> AuditLog:
    return AuditLog(state(), clock=clock())


def clock() -> Callable[[], float]:
    return current_app.config.get("AUTH_CLOCK") or time.time


def port():
    """The session port: the supervisor in production, MemorySession in tests."""
    return get_session()


def blocked_hosts() -> list[tuple[str, int, str]]:
    """(host, count today, site id) from the counters store, injected as MEDIATOR_BLOCKED_HOSTS."""
    provider: BlockedHosts | None = current_app.config.get("MEDIATOR_BLOCKED_HOSTS")
    return list(provider()) if provider else []


def counters():
    """The terminal's CounterStore, injected as MEDIATOR_COUNTERS; None when counting is off."""
    return current_app.config.get("MEDIATOR_COUNTERS")
