"""The `kiosk` command line: a thin click layer over the domain packages."""

from __future__ import annotations

import click

from kiosk.cli_config import config
from kiosk.cli_launch import launch
from kiosk.cli_mediator import mediator
from kiosk.cli_policy import policy
from kiosk.cli_run import demo, run, session
from kiosk.cli_stubs import register_pending
from kiosk.cli_wipe import wipe


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kiosk")
def cli() -> None:
    """kiosk: a safe public terminal for online administrative procedures."""


cli.add_command(policy)
cli.add_command(config)
for command in (demo, run, session):
    cli.add_command(command)
cli.add_command(wipe)
cli.add_command(launch)
cli.add_command(mediator)
register_pending(cli)


def main() -> None:
    cli()
