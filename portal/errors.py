"""One error handler: JSON under /api (core.api_errors, the hub's format too), a calm HTML
page elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from core.api_errors import error_body, http_error_code


def handle_http_error(exc: HTTPException):
    """Answer an HTTP error in the caller's format, never with a stack trace."""
    if request.path.startswith("/api/") or request.path == "/api":
        return jsonify(error_body(http_error_code(exc.name), exc.description or exc.name)), \
            exc.code
    return render_template("errors/error.html", code=exc.code), exc.code


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
