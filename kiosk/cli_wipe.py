"""`kiosk wipe`: finish a pending wipe (or run one now) and print its report."""

from __future__ import annotations

import click

from core.layout import state_dir as resolve_state_dir

OUT_OF_SERVICE = "Borne hors service : appelez un médiateur."


@click.command()
@click.option("--state-dir", type=click.Path(file_okay=False), default=None,
              help="State directory (default: $KIOSK_STATE_DIR or /var/lib/kiosk).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--grace", type=float, default=1.0, show_default=True,
              help="Seconds the session's processes get to exit before SIGKILL.")
@click.option("--end-stale", is_flag=True,
              help="The terminal's unit is starting: a `kiosk run` still holding the run lock "
                   "is a leftover of an earlier start; end it (SIGTERM, then SIGKILL) and wipe.")
def wipe(state_dir: str | None, as_json: bool, grace: float, end_stale: bool) -> None:
    """Finish or run a wipe now and print its report (exit 1 if not verified clean)."""
    from kiosk.runlock import RunLock
    from wipe import recover, wipe_session

    state = resolve_state_dir(state_dir)
    if not state.is_dir():
        raise click.ClickException(f"state directory {state} does not exist")
    lock = RunLock(state)
    if lock.held_elsewhere():
        holder = lock.holder()
        if not end_stale:
            raise click.ClickException(
                f"a kiosk is running with this state directory (pid {holder}): end the "
                "session with `kiosk session end` (it wipes it) instead")
        _end_stale_holder(lock, holder)
    report = recover(state, grace=grace) or wipe_session(state, grace=grace)
    if as_json:
        click.echo(report.to_json())
    else:
        for line in report.summary_lines():
            click.echo(line)
    if not report.ok:
        click.echo(OUT_OF_SERVICE, err=True)
        raise SystemExit(1)


def _end_stale_holder(lock, holder: int | None) -> None:
    """Before the unit's new start nothing of ours may run: a lock holder is a leftover (an
    orphaned `kiosk run` holding the port, relaunching windows with no compositor)."""
    import os
    import signal
    import time

    if holder is None:
        raise click.ClickException("the run lock is held but names no process: " + OUT_OF_SERVICE)
    click.echo(f"kiosk wipe: a kiosk run left from an earlier start (pid {holder}) holds the "
               "run lock: ending it", err=True)
    for signum, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 2.0)):
        try:
            os.kill(holder, signum)
        except ProcessLookupError:
            pass
        except PermissionError as exc:
            raise click.ClickException(f"cannot end pid {holder} ({type(exc).__name__}): "
                                       + OUT_OF_SERVICE) from exc
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not lock.held_elsewhere():
                return
            time.sleep(0.1)
    raise click.ClickException(f"pid {holder} still holds the run lock: " + OUT_OF_SERVICE)
