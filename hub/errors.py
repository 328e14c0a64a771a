"""Errors the hub's API turns into a clear JSON answer."""

from __future__ import annotations

from core.api_errors import error_body


class ApiError(Exception):
    """A refused request: HTTP status, a stable error code, a sentence for humans."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def to_json(self) -> dict:
        return error_body(self.code, self.message)
