"""What the association's network may reach when mediators enable it: the mediator area and the
static files its pages need, nothing a resident sees (those stay on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

ALLOWED_PREFIXES = ("/mediateur", "/static/")


def mediator_only(app: Callable) -> Callable:
    """A WSGI app that answers 404 outside the mediator area."""

    def gate(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/mediateur" or path.startswith(ALLOWED_PREFIXES):
            return app(environ, start_response)
        body = b"Page introuvable.\n"
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8"),
                                         ("Content-Length", str(len(body)))])
        return [body]

    return gate
