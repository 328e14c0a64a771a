"""The `kiosk` command line: a thin click layer over the domain packages."""

from __future__ import annotations

import click

from kiosk.cli_config import config
from kiosk.cli_hub import hub
from kiosk.cli_launch import launch
from kiosk.cli_mediator import mediator
from kiosk.cli_policy import policy
from kiosk.cli_run import demo, run, session
from kiosk.cli_secrets import secrets
from kiosk.cli_stats import stats
from kiosk.cli_wipe import wipe


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kiosk")
def cli() -> None:
    """kiosk: a safe public terminal for online administrative procedures."""


for command in (demo, run, session, launch, wipe, policy, config, mediator, stats, hub, secrets):
    cli.add_command(command)


def main() -> None:
    cli()
