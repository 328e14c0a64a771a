"""How the secrets keeper says no: shared by the keeper (kiosk, running as kiosk-admin), its
socket client, and the mediator area that calls it through a port (no Flask here)."""

from __future__ import annotations


class KeeperError(Exception):
    """The keeper refused: no password set yet, an expired grant, a malformed request."""


class SecretsUnavailable(RuntimeError):
    """The secrets service does not answer: the caller refuses what needed it (fail closed)."""
