"""`kiosk wipe`: finish a pending wipe (or run one now) and print its report."""

from __future__ import annotations

import click

from kiosk.paths import state_dir as resolve_state_dir

OUT_OF_SERVICE = "Borne hors service : appelez un médiateur."


@click.command()
@click.option("--state-dir", type=click.Path(file_okay=False), default=None,
              help="State directory (default: $KIOSK_STATE_DIR or /var/lib/kiosk).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--grace", type=float, default=1.0, show_default=True,
              help="Seconds the session's processes get to exit before SIGKILL.")
def wipe(state_dir: str | None, as_json: bool, grace: float) -> None:
    """Finish or run a wipe now and print its report (exit 1 if not verified clean)."""
    from kiosk.runlock import RunLock
    from wipe import recover, wipe_session

    state = resolve_state_dir(state_dir)
    if not state.is_dir():
        raise click.ClickException(f"state directory {state} does not exist")
    if RunLock(state).held_elsewhere():
        raise click.ClickException("a kiosk is running with this state directory: end the "
                                   "session with `kiosk session end` (it wipes it) instead")
    report = recover(state, grace=grace) or wipe_session(state, grace=grace)
    if as_json:
        click.echo(report.to_json())
    else:
        for line in report.summary_lines():
            click.echo(line)
    if not report.ok:
        click.echo(OUT_OF_SERVICE, err=True)
        raise SystemExit(1)
