"""`kiosk launch`: one locked-down launcher window, alone (tests, debugging)
or under the supervisor."""

from __future__ import annotations

import os
from pathlib import Path

import click


@click.command()
@click.option("--policy", "policy_path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Policy file (TOML) deciding which sites may open.")
@click.option("--home", required=True, help="Home page URL (the portal); its origin is internal.")
@click.option("--session-dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The only directory the browser may write to (profile, cache, downloads).")
@click.option("--windowed", is_flag=True,
              help="A normal window instead of full screen (debugging).")
@click.option("--portal", default=None,
              help="The portal's URL: its pages have their own navigation, so the bar hides there.")
@click.option("--kept", is_flag=True,
              help="Stay open between sessions: \"end\" waits for the supervisor's \"clear\".")
def launch(policy_path: Path, home: str, session_dir: Path, windowed: bool,
           portal: str | None, kept: bool) -> None:
    """Open one kiosk window on HOME; events as JSON lines on stdout, commands on stdin."""
    from policies import PolicyError, load_policy

    try:
        policy = load_policy(policy_path)
    except PolicyError as error:
        raise click.ClickException(f"invalid policy {policy_path}: {error}") from error
    if not home.startswith(("http://", "https://")):
        raise click.BadParameter("must be an http(s) URL", param_hint="--home")
    if not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        raise click.ClickException("no display: set DISPLAY (or run under xvfb-run)")
    from core.layout import SessionPaths
    from launcher.app import run

    try:
        SessionPaths(session_dir.resolve()).create()
    except OSError as error:
        raise click.ClickException(
            f"cannot use session directory {session_dir}: {error}") from error

    raise SystemExit(run(policy, home, session_dir, windowed, policy_path=policy_path,
                         portal=portal, kept=kept))
