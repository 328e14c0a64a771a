"""`kiosk stats`: export the monthly indicators, enrol with the hub, push reports to it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from core.layout import state_dir

FORMATS = ("csv", "csv-comma", "xlsx", "ods", "json")
EXTENSIONS = {"csv": "csv", "csv-comma": "csv", "xlsx": "xlsx", "ods": "ods", "json": "json"}
STATE_OPTION = click.option("--state-dir", "state", type=click.Path(file_okay=False), default=None,
                            help="State directory (default $KIOSK_STATE_DIR or /var/lib/kiosk).")


def _store(state: Path):
    from kiosk.counters import CounterStore
    if not (state / "counters.sqlite3").exists():
        raise click.ClickException(f"no counters in {state} (counters.sqlite3 is missing)")
    return CounterStore(state)


@click.group()
def stats() -> None:
    """Anonymous usage counters: monthly export, enrolment with the hub, push."""


@stats.command("export")
@click.option("--month", required=True, help="Month to export, as YYYY-MM.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="csv uses ';' (French spreadsheets), csv-comma uses ','; json is signed.")
@click.option("--association", default=None, help="Association name (default: config.toml).")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Output file (default indicateurs-YYYY-MM.<ext>; '-' for stdout).")
@STATE_OPTION
def export_command(month: str, fmt: str, association: str | None, out: str | None,
                   state: str | None) -> None:
    """Write one month's indicators (one row for this terminal)."""
    from core.counters import month_range
    from kiosk.export import export_bytes

    try:
        month_range(month)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from exc
    directory = state_dir(state)
    store = _store(directory)
    try:
        data = export_bytes(directory, store, month, fmt, association)
    finally:
        store.close()
    if out == "-":
        click.get_binary_stream("stdout").write(data)
        return
    path = Path(out or f"indicateurs-{month}.{EXTENSIONS[fmt]}")
    path.write_bytes(data)
    click.echo(f"Wrote {path}")


@stats.command("enrol")
@click.option("--hub", "url", required=True, help="Hub address, e.g. https://hub.example.org.")
@click.option("--code", required=True, help="One-time enrolment code given by the funder.")
@click.option("--association", default=None, help="Association name (default: config.toml).")
@STATE_OPTION
def enrol_command(url: str, code: str, association: str | None, state: str | None) -> None:
    """Register this terminal with the funder's hub."""
    from kiosk.export import association_name
    from kiosk.stats_push import HubRefused, enrol

    directory = state_dir(state)
    name = association or association_name(directory)
    if not name:
        raise click.ClickException(
            "no association name: pass --association or set it in config.toml")
    try:
        answer = enrol(directory, url, code, name)
    except (HubRefused, OSError) as exc:
        raise click.ClickException(f"enrolment failed: {exc}") from exc
    click.echo(f"Enrolled as terminal {answer.get('terminal_id')} of {answer.get('association')}")


@stats.command("push")
@click.option("--hub", "url", default=None, envvar="KIOSK_HUB_URL",
              help="Hub address (default: the one saved at enrolment).")
@click.option("--month", "months", multiple=True,
              help="Month(s) to send (default: the previous month and this one).")
@click.option("--attempts", default=1, show_default=True, help="Attempts, with backoff between.")
@STATE_OPTION
def push_command(url: str | None, months: tuple[str, ...], attempts: int,
                 state: str | None) -> None:
    """Sign this month's report, queue it, and send the queue to the hub."""
    from kiosk.stats_push import default_months, hub_url, push_until_sent, queue_months

    directory = state_dir(state)
    address = hub_url(directory, url)
    if not address:
        raise click.ClickException("no hub address: enrol first or pass --hub")
    store = _store(directory)
    try:
        queue_months(directory, store, list(months) or default_months(date.today()))
    finally:
        store.close()
    result = push_until_sent(directory, address, attempts)
    for name in result.sent:
        click.echo(f"Sent {name}")
    if result.kept:
        detail = "; ".join(result.errors)
        raise click.ClickException(f"{len(result.kept)} report(s) kept in the outbox for a later "
                                   f"attempt: {detail}")


@stats.command("show")
@click.option("--month", default=None, help="Month as YYYY-MM (default: this month).")
@STATE_OPTION
def show_command(month: str | None, state: str | None) -> None:
    """Print one month's figures, as the mediator's statistics page shows them."""
    from kiosk.counters import dashboard

    month = month or date.today().strftime("%Y-%m")
    store = _store(state_dir(state))
    try:
        view = dashboard(store, month)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from exc
    finally:
        store.close()
    click.echo(f"Month {month}: {sum(n for _d, n in view['sessions_per_day'])} sessions")
    for title, key in (("Thematics", "tile_thematic"), ("Sites", "tile_site"),
                       ("Durations", "duration"), ("Start hours", "start_hour"),
                       ("End reasons", "sessions_ended")):
        items = ", ".join(f"{name} {count}" for name, count in view[key]) or "-"
        click.echo(f"{title}: {items}")


@stats.command("hosts")
@click.option("--days", default=30, show_default=True, help="How many days back.")
@STATE_OPTION
def hosts_command(days: int, state: str | None) -> None:
    """Hosts that listed sites needed but the catalogue blocked (to fix the catalogue)."""
    from datetime import timedelta

    store = _store(state_dir(state))
    try:
        rows = store.blocked_hosts(date.today() - timedelta(days=days))
    finally:
        store.close()
    if not rows:
        click.echo(f"No blocked host in the last {days} days.")
    for host, count in rows:
        click.echo(f"{count:6d}  {host}")
