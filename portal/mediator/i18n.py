"""The mediator area's own translation domain, so its strings never block the resident catalogues.

French is the source. Mediator strings are marked `_m(...)` / `_mn(...)` (also in templates):
  pybabel extract -k _m -k _mn:1,2 -F portal/mediator/babel.cfg \
      -o portal/mediator/translations/mediator.pot --no-location --omit-header .
  pybabel init -D mediator -i portal/mediator/translations/mediator.pot \
      -d portal/mediator/translations -l en
A language without a compiled `mediator.mo` simply shows French.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import Domain

DOMAIN = Domain(translation_directories=[str(Path(__file__).parent / "translations")],
                domain="mediator")


def _m(text: str, /, **variables) -> str:
    """Translate a mediator string (French source) and fill its %(name)s variables."""
    return DOMAIN.gettext(text, **variables)


def _mn(singular: str, plural: str, num: int, /, **variables) -> str:
    return DOMAIN.ngettext(singular, plural, num, **variables)


def init_app(app) -> None:
    app.jinja_env.globals.update(_m=_m, _mn=_mn)
