"""Policy errors that name the file, line and field, with a stable code the portal can translate."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PolicyIssue:
    """One problem found in a policy file.

    `code` is stable (the portal translates it); `message` is plain English for the CLI.
    """

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file or "<policy>"
        if self.line is not None:
            where += f":{self.line}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message} ({self.code})"


class PolicyError(Exception):
    """A policy could not be loaded; it carries every issue found, not only the first."""

    def __init__(self, issues: list[PolicyIssue]):
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))

    @property
    def codes(self) -> list[str]:
        return [issue.code for issue in self.issues]


class SignatureError(Exception):
    """A policy file is unsigned, tampered with, or signed by an untrusted key."""
