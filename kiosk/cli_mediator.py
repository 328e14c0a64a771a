"""`kiosk mediator set-password`: the mediator password, stored only as a scrypt hash."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from core.audit import AuditLog
from core.config import SettingError
from core.layout import state_dir as resolve_state_dir

_STATE = click.option("--state-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                      help="State directory (default /var/lib/kiosk or $KIOSK_STATE_DIR).")


@click.group()
def mediator() -> None:
    """Mediator account (set-password)."""


@mediator.command(name="set-password")
@_STATE
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input (scripts, install).")
def set_password(state_dir: Path | None, password_stdin: bool) -> None:
    """Set the mediator password (asked twice; stored as a scrypt hash, in secrets/ when the
    installer created it, else in config.toml). Run it as kiosk-admin on a terminal."""
    from core.passwords import PasswordError, check_new_password, hash_password
    from kiosk.keeper import Keeper

    state = resolve_state_dir(state_dir)
    if password_stdin:
        password, again = sys.stdin.readline().rstrip("\r\n"), None
    else:
        password = click.prompt("Nouveau mot de passe", hide_input=True)
        again = click.prompt("Le même mot de passe, encore une fois", hide_input=True)
    try:
        check_new_password(password, again)
        Keeper(state).write_hash(hash_password(password))
    except (PasswordError, SettingError, PermissionError) as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        AuditLog(state).record("password_set", "mot de passe changé en ligne de commande")
    except PermissionError:  # kiosk-admin may not write the session's journal: the change stands
        click.echo("(journal des actions non mis à jour : droits insuffisants)", err=True)
    click.echo("Mot de passe du médiateur enregistré.")
