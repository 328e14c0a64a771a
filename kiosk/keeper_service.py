"""`kiosk secrets serve`: the keeper behind a Unix socket, and the client the portal uses.

One JSON object per line each way. The socket is the only door: its directory lets the `kiosk`
group in, the keeper's files do not. Which keeper the portal talks to is decided once, by
$KIOSK_SECRETS_SOCKET (set by the installed unit); without it, an in-process `Keeper`.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from core.keeper_errors import KeeperError, SecretsUnavailable
from core.passwords import PasswordError
from kiosk.keeper import Keeper

log = logging.getLogger(__name__)
SOCKET_ENV = "KIOSK_SECRETS_SOCKET"
MAX_REQUEST = 64 * 1024
TIMEOUT = 10.0          # a client's wait for one answer (a password check queued behind others)
DEADLINE = 5.0          # a whole connection on the server: request in, answer out
CLIENT_DEADLINE = 3.0   # a client's retries of a refused or dropped connection
BACKLOG = 128           # connections waiting to be accepted (socketserver's default was 5)
MAX_CONNECTIONS = 256   # open connections kept; beyond, the oldest is dropped
WORKERS = 4             # threads answering (a password check is ~0.1 s of scrypt)


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
        if op == "touch_grant":
            return {"ok": True, "value": keeper.touch_grant(request.get("grant"))}
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
        if op == "sign_rebind":
            return {"ok": True, "value": keeper.sign_rebind(request.get("statement"))}
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


class KeeperServer:
    """The socket's server: one event loop reads requests, a small pool answers them.

    A caller that connects and then sends slowly (or nothing) costs a file descriptor, never a
    thread, and is dropped when its deadline passes; at most MAX_CONNECTIONS are kept (the oldest
    goes first), and a burst of connections waits in a BACKLOG-deep queue instead of being refused.
    The pool is bounded (WORKERS): a flood of password checks queues, it does not fork threads.
    """

    def __init__(self, path: Path, keeper: Keeper, mode: int = 0o660, *,
                 deadline: float = DEADLINE, workers: int = WORKERS) -> None:
        self.path = Path(path)
        self.keeper = keeper
        self.deadline = deadline
        if self.path.is_socket():
            self.path.unlink()
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o777 & ~mode)
        try:
            self._sock.bind(str(self.path))
        finally:
            os.umask(old)
        os.chmod(self.path, mode)
        self._sock.listen(BACKLOG)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="keeper")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._done = threading.Event()
        self._reading: dict[asyncio.Task, None] = {}  # insertion order: oldest first

    # -- lifecycle (the socketserver names the CLI and tests use) -------------------------------
    def serve_forever(self) -> None:
        try:
            asyncio.run(self._serve())
        finally:
            self._done.set()

    def shutdown(self) -> None:
        """Stop serving (from another thread); returns once the loop has ended."""
        self._ready.wait()
        if self._loop is not None and self._stop is not None and not self._done.is_set():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._done.wait()

    def server_close(self) -> None:
        self._sock.close()
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server = await asyncio.start_unix_server(self._connection, sock=self._sock,
                                                 limit=MAX_REQUEST + 1)
        self._ready.set()
        async with server:
            await self._stop.wait()

    # -- one connection ------------------------------------------------------------------------
    async def _connection(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        """Read one line within the deadline, answer it (not cut short: the pool may be busy with
        other checks), write the answer within the deadline, close."""
        task = asyncio.current_task()
        assert task is not None
        self._reading[task] = None
        if len(self._reading) > MAX_CONNECTIONS:
            next(iter(self._reading)).cancel()  # the oldest still reading: a slow one
        try:
            try:
                async with asyncio.timeout(self.deadline):
                    line = await reader.readline()
            finally:
                self._reading.pop(task, None)
            answer = await self._answer(line)
            async with asyncio.timeout(self.deadline):
                writer.write(json.dumps(answer).encode() + b"\n")
                await writer.drain()
        except ValueError:  # a line longer than MAX_REQUEST
            writer.write(json.dumps({"ok": False, "error": "bad_request"}).encode() + b"\n")
        except (TimeoutError, asyncio.CancelledError, OSError) as exc:
            log.info("secrets: connection dropped (%s)", type(exc).__name__)  # slow, or gone
        finally:
            writer.close()

    async def _answer(self, line: bytes) -> dict:
        try:
            request = json.loads(line) if line else None
        except ValueError:
            request = None
        if not isinstance(request, dict):
            return {"ok": False, "error": "bad_request"}
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, handle, self.keeper, request)


class KeeperClient:
    """Same methods as `Keeper`, answered by `kiosk secrets serve`.

    A connection that is refused or dropped before an answer (the service restarting, its queue
    full) is tried again until CLIENT_DEADLINE; only then does the caller see SecretsUnavailable.
    """

    def __init__(self, path: Path, deadline: float = CLIENT_DEADLINE) -> None:
        self.path = Path(path)
        self.deadline = deadline

    def _exchange(self, request: bytes) -> bytes:
        end = time.monotonic() + self.deadline
        pause = 0.02
        while True:
            left = end - time.monotonic()
            try:
                if left <= 0:
                    raise TimeoutError("no answer before the deadline")
                return self._once(request, left)
            except (ConnectionError, FileNotFoundError, BlockingIOError, EOFError) as exc:
                if time.monotonic() + pause >= end:
                    raise OSError(f"no answer: {type(exc).__name__}") from exc
                time.sleep(pause)
                pause = min(pause * 2, 0.5)

    def _once(self, request: bytes, timeout: float) -> bytes:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(min(timeout, TIMEOUT))
            conn.connect(str(self.path))
            conn.sendall(request)
            with conn.makefile("rb") as reply:
                line = reply.readline(MAX_REQUEST)
        if not line:
            raise EOFError("closed without an answer")
        return line

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

    def touch_grant(self, grant: object) -> bool:
        return bool(self._ask("touch_grant", grant=grant))

    def revoke(self, grant: object) -> None:
        self._ask("revoke", grant=grant)

    def policy_signing(self) -> bool:
        return bool(self._ask("policy_signing"))

    def sign_policy(self, grant: object, data: bytes) -> bytes | None:
        value = self._ask("sign_policy", grant=grant, data=base64.b64encode(data).decode())
        return value.encode() if value else None

    def sign_report(self, report: dict) -> dict:
        return self._ask("sign_report", report=report)

    def sign_rebind(self, statement: dict) -> dict:
        return self._ask("sign_rebind", statement=statement)

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
