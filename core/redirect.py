"""Where a login may send the browser back to: the mediator area and the funder's hub share this
one check (never an open redirect)."""

from __future__ import annotations

from urllib.parse import urlsplit


def same_site_path(target: str) -> str | None:
    """A path on this site to return to after a login, or None (never an open redirect).
    Browsers drop tabs and newlines and read a backslash as a slash, so `/\t/evil.example`
    would leave the site: only printable ASCII without backslash, one leading slash, no scheme
    or host."""
    if not target.startswith("/") or target.startswith("//"):
        return None
    if any(not 0x21 <= ord(char) <= 0x7e or char == "\\" for char in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target
