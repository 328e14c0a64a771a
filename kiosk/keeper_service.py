"""`kiosk secrets serve`: the keeper behind a Unix socket, and the client the portal uses.

One JSON object per line each way. The socket is the only door: its directory lets the `kiosk`
group in, the keeper's files do not. Which keeper the portal talks to is decided once, by
$KIOSK_SECRETS_SOCKET (set by the installed unit); without it, an in-process `Keeper`.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import socketserver
from pathlib import Path

from kiosk.keeper import Keeper, KeeperError
from portal.auth import PasswordError

log = logging.getLogger(__name__)
SOCKET_ENV = "KIOSK_SECRETS_SOCKET"
MAX_REQUEST = 64 * 1024
TIMEOUT = 10.0


class SecretsUnavailable(RuntimeError):
    """The service does not answer: the caller refuses what needed it (fail closed)."""


def handle(keeper: Keeper, request: dict) -> dict:
    """One request to one answer; never a traceback, never a secret."""
    op = request.get("op")
    try:
        if op == "has_password":
            return {"ok": True, "value": keeper.has_password()}
        if op == "check_password":
            return {"ok": True, "value": keeper.check_password(request.get("password"))}
        if op == "set_password":
            return {"ok": True, "value": keeper.set_password(
                request.get("current"), request.get("new"), request.get("again"))}
        if op == "revoke":
            keeper.revoke(request.get("grant"))
            return {"ok": True, "value": None}
        if op == "policy_signing":
            return {"ok": True, "value": keeper.policy_signing()}
        if op == "sign_policy":
            data = base64.b64decode(str(request.get("data", "")), validate=True)
            signature = keeper.sign_policy(request.get("grant"), data)
            return {"ok": True, "value": signature.decode() if signature else None}
        if op == "sign_report":
            return {"ok": True, "value": keeper.sign_report(request.get("report"))}
        if op == "public_key":
            return {"ok": True, "value": keeper.terminal_public_key()}
    except PasswordError as exc:
        return {"ok": False, "error": "password_rule", "message": str(exc)}
    except KeeperError as exc:
        return {"ok": False, "error": str(exc)}
    except (ValueError, TypeError):
        return {"ok": False, "error": "bad_request"}
    except Exception:  # noqa: BLE001 - logged here, a bare refusal for the caller
        log.exception("secrets: %s failed", op)
        return {"ok": False, "error": "internal"}
    return {"ok": False, "error": "unknown_op"}


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self.request.settimeout(TIMEOUT)
        try:
            line = self.rfile.readline(MAX_REQUEST + 1)
            request = json.loads(line) if len(line) <= MAX_REQUEST else None
        except (OSError, ValueError):
            request = None
        answer = handle(self.server.keeper, request) if isinstance(request, dict) \
            else {"ok": False, "error": "bad_request"}
        try:
            self.wfile.write(json.dumps(answer).encode() + b"\n")
        except OSError:
            pass


class KeeperServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def __init__(self, path: Path, keeper: Keeper, mode: int = 0o660) -> None:
        path = Path(path)
        if path.is_socket():
            path.unlink()
        self.keeper = keeper
        old = os.umask(0o777 & ~mode)
        try:
            super().__init__(str(path), _Handler)
        finally:
            os.umask(old)
        os.chmod(path, mode)


class KeeperClient:
    """Same methods as `Keeper`, answered by `kiosk secrets serve`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _exchange(self, request: bytes) -> bytes:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(TIMEOUT)
            conn.connect(str(self.path))
            conn.sendall(request)
            with conn.makefile("rb") as reply:
                return reply.readline(MAX_REQUEST)

    def _ask(self, op: str, **fields: object):
        try:
            answer = json.loads(self._exchange(json.dumps({"op": op, **fields}).encode() + b"\n"))
        except (OSError, ValueError) as exc:
            raise SecretsUnavailable(f"secrets service at {self.path}: {exc}") from exc
        if answer.get("ok"):
            return answer.get("value")
        if answer.get("error") == "password_rule":
            raise PasswordError(answer.get("message", ""))
        raise KeeperError(answer.get("error", "refused"))

    def has_password(self) -> bool:
        return bool(self._ask("has_password"))

    def check_password(self, password: str) -> dict:
        return self._ask("check_password", password=password)

    def set_password(self, current: str | None, new: str, again: str | None = None) -> dict:
        return self._ask("set_password", current=current, new=new, again=again)

    def revoke(self, grant: object) -> None:
        self._ask("revoke", grant=grant)

    def policy_signing(self) -> bool:
        return bool(self._ask("policy_signing"))

    def sign_policy(self, grant: object, data: bytes) -> bytes | None:
        value = self._ask("sign_policy", grant=grant, data=base64.b64encode(data).decode())
        return value.encode() if value else None

    def sign_report(self, report: dict) -> dict:
        return self._ask("sign_report", report=report)

    def terminal_public_key(self) -> str:
        return self._ask("public_key")


_LOCAL: dict[Path, Keeper] = {}


def keeper_for(state: Path, clock=None) -> Keeper | KeeperClient:
    """The service when the unit names one, else one in-process keeper per state dir (its
    grants must outlive a request)."""
    path = os.environ.get(SOCKET_ENV)
    if path:
        return KeeperClient(Path(path))
    key = Path(state).resolve()
    keeper = _LOCAL.get(key) or _LOCAL.setdefault(key, Keeper(key))
    if clock is not None:
        keeper.clock = clock
    return keeper
