"""Languages the portal can speak: names in their own script, direction, and the locale selector.

French is the source language. Adding a language: `pybabel init -i portal/translations/messages.pot
-d portal/translations -l es`, translate, `pybabel compile -d portal/translations`, then list it
in PORTAL_LANGUAGES. A language is offered only when its compiled catalogue exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g
from flask_babel import Babel

from . import live
from .session import get_session

SOURCE = "fr"


@dataclass(frozen=True)
class Language:
    code: str
    native: str   # the language's name written in its own script
    rtl: bool = False
    # flag id (static/flags.svg) or, for languages spoken in many countries, a letter
    badge: str = ""


LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language("fr", "Français", badge="flag-fr"),
    Language("en", "English", badge="flag-gb"),
    Language("ar", "العربية", rtl=True, badge="ع"),
    Language("es", "Español", badge="flag-es"),
    Language("pt", "Português", badge="flag-pt"),
    Language("tr", "Türkçe", badge="flag-tr"),
    Language("ro", "Română", badge="flag-ro"),
    Language("fa", "دری", rtl=True, badge="د"),
    Language("ps", "پښتو", rtl=True, badge="پ"),
)}


def has_catalogue(code: str) -> bool:
    """French needs no catalogue; other languages need a compiled .mo file."""
    if code == SOURCE:
        return True
    root = Path(current_app.root_path) / "translations" / code / "LC_MESSAGES" / "messages.mo"
    return root.is_file()


def offered_languages() -> list[Language]:
    """The configured languages that really can be shown, French first."""
    configured = live.shown().languages
    cached = current_app.extensions.get("kiosk_languages")  # (configured, offered): one object
    if cached is None or cached[0] != configured:
        wanted = [SOURCE, *configured]
        codes = dict.fromkeys(c for c in wanted if c in LANGUAGES and has_catalogue(c))
        cached = current_app.extensions["kiosk_languages"] = (configured,
                                                              [LANGUAGES[c] for c in codes])
    return cached[1]


def is_offered(code: str) -> bool:
    return any(lang.code == code for lang in offered_languages())


def force_language(code: str) -> None:
    """This request only is rendered in `code` (an offered language), whatever the session's."""
    g.kiosk_language = code


def current_language() -> Language:
    """The session's language (or this request's forced one), French when it is not offered."""
    code = g.get("kiosk_language") or get_session().language()
    return LANGUAGES[code] if is_offered(code) else LANGUAGES[SOURCE]


def init_app(app) -> None:
    """Wire Flask-Babel to the session's language."""
    Babel(app, locale_selector=lambda: current_language().code)
