"""The one JSON error format of the terminal portal's API and the funder's hub's API.

    {"error": "<stable_code>", "message": "<a sentence for humans>"}

`error` is a stable snake_case code a program can test (`invalid_signature`, `not_found`);
`message` says the same for a person reading a log. The HTTP status is the response's own.
"""

from __future__ import annotations


def error_body(code: str, message: str) -> dict[str, str]:
    """The JSON object of a refused API request."""
    return {"error": code, "message": message}


def http_error_code(name: str) -> str:
    """A stable code from an HTTP error's name: "Request Entity Too Large" ->
    "request_entity_too_large"."""
    return "_".join(name.lower().replace("'", "").split())
