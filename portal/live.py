"""The live settings residents' pages show (association, languages, printing, logo).

They come from a `core.live_settings.LiveSettings` injected as PORTAL_SETTINGS (the supervisor's
own store on a terminal, so `config.toml` reloads reach the pages), else one built from the
startup configuration. The Flask config keeps startup values only and is never changed while
serving. A request reads the store once and renders from that one version.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g

from core.live_settings import LiveSettings, Shown


def init_app(app: Flask) -> LiveSettings:
    store = app.config["PORTAL_SETTINGS"]
    if store is None:
        logo = app.config["PORTAL_LOGO"]
        store = LiveSettings(Shown(association=app.config["PORTAL_ASSOCIATION"],
                                   languages=tuple(app.config["PORTAL_LANGUAGES"]),
                                   printing=bool(app.config["PORTAL_PRINTING"]),
                                   logo=Path(logo) if logo else None))
    app.extensions["kiosk_settings"] = store
    return store


def store() -> LiveSettings:
    """The app's settings store (the settings page writes it)."""
    return current_app.extensions["kiosk_settings"]


def shown() -> Shown:
    """This request's version of the settings: read once, then the same for the whole request."""
    if "kiosk_shown" not in g:
        g.kiosk_shown = store().current()
    return g.kiosk_shown
