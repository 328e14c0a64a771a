"""A mediator's browser over real HTTP, for tests against the portal served by waitress."""

from __future__ import annotations

import contextlib
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from flask import Flask

from kiosk.portal_wiring import mediator_config
from portal import create_app

from .conftest import PASSWORD, mediator_state

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextlib.contextmanager
def served_portal(where: Path) -> Iterator[tuple[str, Flask]]:
    """The portal with a mediator's state under WHERE, served by waitress: (url, app)."""
    from portal.server import BackgroundServer

    state = mediator_state(where)
    app = create_app({**mediator_config(state),
                      "PORTAL_DOCUMENTS_DIR": str(state / "docs")})
    with BackgroundServer(app) as server:
        yield server.url, app


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar and a few requests over a real socket (redirects are not followed)."""

    def __init__(self, url: str):
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.url + path, body, timeout=10) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), exc.headers.get("Location", "")

    def token(self, path: str) -> str:
        status, page, _ = self.request(path)
        match = _TOKEN.search(page)
        assert match, f"no token on {path} ({status})"
        return match.group(1)

    def log_in(self, password: str = PASSWORD) -> int:
        return self.request("/mediateur/connexion", {"password": password,
                                                     "csrf_token": self.token(
                                                         "/mediateur/connexion")})[0]

    def cookie(self) -> http.cookiejar.Cookie:
        return next(iter(self.jar))

    def copy_cookie_to(self, other: Browser) -> None:
        other.jar.set_cookie(self.cookie())

    def upload(self, path: str, field: str, filename: str, data: bytes) -> int:
        """POST one file as multipart/form-data with this session's CSRF token."""
        boundary = "kioskboundary"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                f"{self.token('/mediateur/')}\r\n--{boundary}\r\nContent-Disposition: "
                f"form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode()
        body += data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.url + path, body,
            {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
