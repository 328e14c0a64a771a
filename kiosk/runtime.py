"""Wires one terminal together: supervisor, portal (waitress on 127.0.0.1), control socket."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.control import ControlServer
from kiosk.runlock import RunLock
from kiosk.supervisor import ACTIVE, WARNING, WELCOME, Options, Supervisor, production_options

PUSH_EVERY = 3600.0  # seconds between two monthly-report jobs (queue at month end, send queue)


@dataclass
class Runtime:
    supervisor: Supervisor
    portal_server: object
    control: ControlServer
    counters: object | None = None
    lock: RunLock | None = None
    network_server: object | None = None   # the mediator area on the association's network
    _threads: dict = field(default_factory=dict)  # server -> the thread running its loop

    def start_servers(self) -> None:
        """The portal (and the mediator area on the network, when enabled), each in a thread."""
        for server, name in ((self.portal_server, "portal"), (self.network_server, "lan")):
            if server is not None:
                thread = threading.Thread(target=server.run, daemon=True, name=name)
                self._threads[server] = thread
                thread.start()

    def stop_servers(self) -> None:
        from portal.server import stop

        for server in (self.portal_server, self.network_server):
            if server is not None:
                stop(server, self._threads.get(server))

    def run(self) -> None:
        self.start_servers()
        if self.counters is not None:
            threading.Thread(target=self._push_reports, daemon=True, name="stats-push").start()
        self.control.start()
        self.supervisor.run_forever()

    def _push_reports(self) -> None:
        """Hourly: queue last month's signed report once, send the queue when the hub answers."""
        from kiosk import stats_push

        state = self.supervisor.state_dir
        while not self.supervisor.stopped.wait(PUSH_EVERY):
            stats_push.tick(state, self.counters, stats_push.hub_url(state))

    def close(self) -> None:
        self.supervisor.shutdown()
        self.control.close()
        self.stop_servers()
        if self.counters is not None:
            self.counters.close()
        if self.lock is not None:
            self.lock.release()


def build_runtime(state: Path, *, windowed: bool = False, options: Options | None = None,
                  sinks: list | None = None) -> Runtime:
    """One terminal: pass `sinks=[]` to count nothing (tests); by default events are counted."""
    from waitress.server import create_server

    from portal.limits import UPLOAD_LIMIT, waitress_limits

    lock = RunLock(state)
    lock.acquire()  # before anything: a second instance must not touch the live one's socket
    options = options or production_options(windowed)
    supervisor = Supervisor(state, sinks=sinks or [], options=options)
    counters = None
    if sinks is None:
        from kiosk.counters import CounterStore

        counters = CounterStore(state, policy=lambda: supervisor.store.current)
        supervisor.sinks.append(counters)
    app = _portal_app(supervisor, counters)
    server = create_server(app, host="127.0.0.1", port=supervisor.config["portal_port"], threads=4,
                           ident="kiosk", **waitress_limits(UPLOAD_LIMIT))
    control = ControlServer(state, lambda request: _control(supervisor, request))
    network = None
    if supervisor.config["mediator_network_access"]:
        from kiosk.network_gate import mediator_only

        network = create_server(mediator_only(app), host="0.0.0.0",
                                port=supervisor.config["portal_port"] + 1, threads=2,
                                ident="kiosk", **waitress_limits(UPLOAD_LIMIT))
    return Runtime(supervisor, server, control, counters, lock, network)


def _portal_app(supervisor: Supervisor, counters=None):
    from kiosk.portal_port import SupervisorPort
    from kiosk.portal_wiring import mediator_config
    from portal import create_app

    return create_app({
        "PORTAL_SESSION": SupervisorPort(supervisor),
        "PORTAL_POLICY": lambda: supervisor.store.current,  # the store's, never a copy
        "PORTAL_SETTINGS": supervisor.live_settings,  # the pages follow config.toml reloads
        # one policy store: session limits reach the next session; counters None: the
        # statistics page says there is no data yet
        **mediator_config(supervisor.state_dir, counters=counters,
                          blocked_hosts=_blocked_hosts(counters) if counters is not None else None,
                          policy_store=supervisor.store),
    })


def _blocked_hosts(counters):
    """Hosts refused while on an allowed site over the last 30 days, for the mediator's view."""
    from datetime import date, timedelta

    return lambda: [(host, count, None)
                    for host, count in counters.blocked_hosts(date.today() - timedelta(days=30))]


def _control(supervisor: Supervisor, request: dict) -> dict:
    command = request.get("cmd")
    if command == "status":
        return supervisor.status()
    if command == "end":
        if supervisor.state not in (ACTIVE, WARNING, WELCOME):
            return {"error": f"no session to end (terminal is {supervisor.state})"}
        supervisor.request_end("mediator")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if supervisor.state == WELCOME and supervisor.end_reason is None:
                break
        return supervisor.status()
    return {"error": f"unknown command {command!r}"}
