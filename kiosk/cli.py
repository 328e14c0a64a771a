"""The `kiosk` command line: a thin click layer over the domain packages."""

from __future__ import annotations

import importlib

import click

from kiosk.cli_stubs import register_pending

# (module, command) pairs; each module is a thin layer over one domain package.
COMMANDS = (
    ("kiosk.cli_policy", "policy"),
    ("kiosk.cli_config", "config"),
    ("kiosk.cli_run", "demo"),
    ("kiosk.cli_run", "run"),
    ("kiosk.cli_run", "session"),
    ("kiosk.cli_launch", "launch"),
    ("kiosk.cli_wipe", "wipe"),
    ("kiosk.cli_stats", "stats"),
    ("kiosk.cli_hub", "hub"),
    ("kiosk.cli_mediator", "mediator"),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kiosk")
def cli() -> None:
    """kiosk: a safe public terminal for online administrative procedures."""


def _register(group: click.Group) -> None:
    for module_name, attribute in COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise  # a real missing dependency must not be hidden
            continue
        group.add_command(getattr(module, attribute))
    register_pending(group)


_register(cli)


def main() -> None:
    cli()
