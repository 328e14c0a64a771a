"""Where the mediator pages find the terminal: state dir, settings, policy store, audit, the
session port, and the services kiosk injects (secrets keeper, counters)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from core.audit import AuditLog
from core.config import Config
from core.layout import state_dir
from policies import PolicyStore
from portal.session import SessionPort, get_session

from .terminal import KeeperFactory, SecretsKeeper, SecretsUnavailable, TerminalStats

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


def port() -> SessionPort:
    """The session port: the supervisor in production, MemorySession in tests."""
    return get_session()


def blocked_hosts() -> list[tuple[str, int, str]]:
    """(host, count today, site id) from the counters store, injected as MEDIATOR_BLOCKED_HOSTS."""
    provider: BlockedHosts | None = current_app.config.get("MEDIATOR_BLOCKED_HOSTS")
    return list(provider()) if provider else []


def keeper() -> SecretsKeeper:
    """The secrets keeper, through the factory kiosk injects as MEDIATOR_KEEPER; none: every
    password check fails closed."""
    factory: KeeperFactory | None = current_app.config.get("MEDIATOR_KEEPER")
    if factory is None:
        raise SecretsUnavailable("no secrets keeper wired into this portal")
    return factory(state(), clock=clock())


def stats() -> TerminalStats | None:
    """The terminal's counters and hub reports, injected as MEDIATOR_STATS; None: not counted."""
    return current_app.config.get("MEDIATOR_STATS")
