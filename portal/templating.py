"""What every template can use: pictograms, the language, the association's name."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext

from . import i18n, live
from .icons import badge, icon, site_pictogram


def _context() -> dict:
    lang = i18n.current_language()
    return {
        "lang": lang,
        "languages": i18n.offered_languages(),
        "association": live.shown().association,
        "has_logo": live.shown().logo is not None,
    }


def human_size(size: int) -> str:
    """A file size residents can read, in their language's units."""
    if size < 1024:
        return gettext("%(n)s octets", n=size)
    if size < 1024 * 1024:
        return gettext("%(n)s Ko", n=size // 1024)
    return gettext("%(n)s Mo", n=round(size / (1024 * 1024), 1))


def init_app(app: Flask) -> None:
    app.context_processor(_context)
    app.jinja_env.globals.update(icon=icon, badge=badge, site_pictogram=site_pictogram)
    app.jinja_env.filters["size"] = human_size
