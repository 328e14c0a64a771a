"""Addresses of the portal pages the window opens for the resident (no Qt here)."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

_DOCUMENT_PATH = re.compile(r"^/documents/([^/]+)/?$")


def tiles(origin: str) -> str:
    """The portal's home with the sites' tiles (not the welcome page)."""
    return f"{origin}/accueil"


def questions(origin: str) -> str:
    """The portal's end-of-session questions (shown after the toolbar's "Terminer")."""
    return f"{origin}/fin/questions"


def documents(origin: str) -> str:
    """The portal's "Mes documents" list."""
    return f"{origin}/documents"


def document(origin: str, name: str) -> str:
    """One document in the portal's viewer."""
    return f"{origin}/documents/{quote(name, safe='')}"


def print_target(origin: str, url: str) -> str | None:
    """The portal's print confirmation for the document on screen, or None when the page on
    screen is not one of the portal's documents."""
    parts = urlsplit(url)
    if not origin or f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    match = _DOCUMENT_PATH.match(parts.path)
    if match is None:
        return None
    return f"{document(origin, unquote(match.group(1)))}/imprimer"
