"""`kiosk hub`: the funder's server that collects the terminals' monthly reports."""

from __future__ import annotations

import click


def default_database() -> str:
    """SQLite in the hub's state directory ($KIOSK_HUB_STATE_DIR, else <state dir>/hub), never
    the current directory: a database started from a checkout must not end up in git."""
    from core.layout import hub_state_dir

    folder = hub_state_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'hub.sqlite3'}"


DATABASE_OPTION = click.option(
    "--database", default=None, envvar="KIOSK_HUB_DATABASE",
    help="sqlite:///path or postgresql://user@host/db"
         " [default: sqlite:///<state dir>/hub/hub.sqlite3].")


@click.group(invoke_without_command=True)
@DATABASE_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8800, show_default=True, help="Port to listen on.")
@click.pass_context
def hub(ctx: click.Context, database: str, host: str, port: int) -> None:
    """Run the funder's hub (SQLite by default, PostgreSQL by URL)."""
    database = database or default_database()
    ctx.obj = database
    if ctx.invoked_subcommand is not None:
        return
    from hub import create_hub_app
    from hub.server import hub_server

    try:
        app = create_hub_app(database)
    except Exception as exc:  # bad URL, unreachable server, wrong credentials...
        raise click.ClickException(f"cannot open the hub database {_redacted(database)}: "
                                   f"{type(exc).__name__}: {exc}") from exc
    click.echo(f"Hub listening on http://{host}:{port}/ (database {_redacted(database)})")
    hub_server(app, host=host, port=port, threads=8).run()


def _redacted(url: str) -> str:
    """The database URL without its password, for the log line."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return url


@hub.command("add-staff")
@click.argument("username")
@click.password_option(envvar="KIOSK_HUB_PASSWORD", help="The new password (prompted).")
@click.pass_obj
def add_staff(database: str, username: str, password: str) -> None:
    """Create or reset a staff account of the funder."""
    from hub.auth import set_password
    from hub.db import Database

    try:
        set_password(Database(database), username, password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Staff account {username} saved.")


@hub.command("add-place")
@click.argument("name")
@click.option("--pivot", default="", help="SIRET (14 digits) or RNA number (W + 9 digits).")
@click.option("--address", default="")
@click.option("--postcode", default="")
@click.option("--commune", default="")
@click.option("--neighbourhood", default="", help="Priority neighbourhood (QPV) name.")
@click.option("--qpv-code", default="", help="QPV code, e.g. QN03301M.")
@click.pass_obj
def add_place(database: str, name: str, **fields: str) -> None:
    """Register an association once (codes are made for registered ones)."""
    from hub.db import Database
    from hub.places import PlaceError, create_place

    db = Database(database)
    db.create_schema()
    try:
        place = create_place(db, "command line", {"name": name, **fields})
    except PlaceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{place.id}\t{place.name}")


@hub.command("new-code")
@click.argument("association")
@click.pass_obj
def new_code(database: str, association: str) -> None:
    """Create a one-time enrolment code for a terminal of a registered ASSOCIATION
    (its name or id)."""
    from hub.db import Database
    from hub.enrolment import create_code

    try:
        click.echo(create_code(Database(database), association))
    except ValueError as exc:
        raise click.ClickException(f"{association!r} is not registered: run"
                                   " `kiosk hub add-place` first") from exc
