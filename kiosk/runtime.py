"""Wires one terminal together: supervisor, portal (waitress on 127.0.0.1), control socket."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.control import ControlServer
from kiosk.supervisor import ACTIVE, WARNING, WELCOME, Options, Supervisor, production_options


@dataclass
class Runtime:
    supervisor: Supervisor
    portal_server: object
    control: ControlServer

    def run(self) -> None:
        threading.Thread(target=self.portal_server.run, daemon=True, name="portal").start()
        self.control.start()
        self.supervisor.run_forever()

    def close(self) -> None:
        self.supervisor.shutdown()
        self.control.close()
        self.portal_server.close()


def build_runtime(state: Path, *, windowed: bool = False, options: Options | None = None,
                  sinks: list | None = None) -> Runtime:
    from waitress.server import create_server

    options = options or production_options(windowed)
    supervisor = Supervisor(state, sinks=sinks or _default_sinks(state), options=options)
    app = _portal_app(supervisor)
    server = create_server(app, host="127.0.0.1", port=supervisor.config["portal_port"], threads=4)
    control = ControlServer(state, lambda request: _control(supervisor, request))
    return Runtime(supervisor, server, control)


def _default_sinks(state: Path) -> list:
    try:
        from kiosk.counters import CounterStore
    except ImportError:
        return []
    return [CounterStore(state)]


def _portal_app(supervisor: Supervisor):
    from portal import create_app

    from kiosk.portal_port import SupervisorPort

    return create_app({
        "PORTAL_SESSION": SupervisorPort(supervisor),
        "PORTAL_POLICY": supervisor.store.current,
        "PORTAL_ASSOCIATION": supervisor.config["association_name"],
        "PORTAL_LANGUAGES": tuple(supervisor.config["languages"]),
        "PORTAL_LOGO": _logo(supervisor),
        "MEDIATOR_STATE_DIR": str(supervisor.state_dir),
        "MEDIATOR_POLICY_STORE": supervisor.store,  # one store: session limits reach the next session
    })


def _logo(supervisor: Supervisor) -> str | None:
    """The logo the mediator uploaded (a plain file name in the state dir), if any."""
    name = supervisor.config["logo"]
    path = supervisor.state_dir / name
    return str(path) if name and "/" not in name and path.is_file() else None


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
