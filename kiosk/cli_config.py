"""`kiosk config show|set`: the terminal settings table."""

from __future__ import annotations

from pathlib import Path

import click

from core.config import Config, SettingError
from core.layout import state_dir as resolve_state_dir

_STATE = click.option("--state-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                      help="State directory (default /var/lib/kiosk or $KIOSK_STATE_DIR).")


@click.group()
def config() -> None:
    """Show or change terminal settings."""


@config.command()
@_STATE
def show(state_dir: Path | None) -> None:
    """Print every setting with its value and help."""
    try:
        current = Config.load(resolve_state_dir(state_dir))
    except SettingError as exc:
        raise click.ClickException(str(exc)) from exc
    for name, value, help_text in current.describe():
        click.echo(f"{name:<26} {value:<24} {help_text}")


@config.command(name="set")
@_STATE
@click.argument("name")
@click.argument("value")
def set_value(state_dir: Path | None, name: str, value: str) -> None:
    """Set NAME to VALUE (validated; lists are comma-separated)."""
    try:
        current = Config.load(resolve_state_dir(state_dir))
        if name == "admin_password_hash":
            raise SettingError("use `kiosk mediator set-password` to change the password")
        stored = current.set(name, value)
        current.save()
    except SettingError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{name} = {stored}")
