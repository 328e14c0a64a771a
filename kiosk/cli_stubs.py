"""Commands whose capability has not landed yet: listed in --help, and say so plainly."""

from __future__ import annotations

import click

PENDING = {
    "run": "Production: supervisor, portal and launcher, sessions forever.",
    "launch": "Open one locked-down launcher window.",
    "session": "Talk to the running supervisor (status, end).",
    "wipe": "Finish or run a wipe now and print its report.",
    "stats": "Export anonymous usage counters (csv, xlsx, json).",
    "hub": "Run the funder's hub that collects monthly reports.",
    "mediator": "Mediator account (set-password).",
    "config": "Show or change terminal settings.",
}


def _pending(name: str, help_text: str) -> click.Command:
    @click.command(name=name, help=help_text + " (not available yet)",
                   context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def command() -> None:
        raise click.ClickException(f"'kiosk {name}' is not available in this version yet.")

    return command


def register_pending(group: click.Group) -> None:
    """Add a placeholder for every planned command that no module has registered."""
    for name, help_text in PENDING.items():
        if name not in group.commands:
            group.add_command(_pending(name, help_text))
