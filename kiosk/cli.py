"""The `kiosk` command line: a thin click layer over the domain packages."""

from __future__ import annotations

import click

from kiosk.cli_launch import launch
from kiosk.cli_policy import policy
from kiosk.cli_stubs import register_pending


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kiosk")
def cli() -> None:
    """kiosk: a safe public terminal for online administrative procedures."""


@cli.command()
@click.option("--state-dir", type=click.Path(file_okay=False), default=None,
              help="Throwaway state directory to use (default: a new temporary one).")
def demo(state_dir: str | None) -> None:
    """Try kiosk on this computer with the default catalogue."""
    from policies import default_policy_path, load_policy
    from policies.display import policy_table

    path = default_policy_path()
    click.echo(f"Default catalogue: {path}")
    click.echo(policy_table(load_policy(path)))


cli.add_command(policy)
cli.add_command(launch)
register_pending(cli)


def main() -> None:
    cli()
