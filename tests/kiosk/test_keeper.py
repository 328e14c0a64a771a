"""The secrets keeper behind its socket: a caller can check a password and get signatures under
the keeper's rules, never read the hash or a key; the portal uses it when the unit names it."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.passwords import PasswordError, hash_password
from kiosk.keeper import HASH_NAME, POLICY_KEY_NAME, Keeper, KeeperError
from kiosk.keeper_service import KeeperClient, SecretsUnavailable

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery 42"


@pytest.fixture
def state(tmp_path) -> Path:
    state = tmp_path / "state"
    (state / "secrets").mkdir(parents=True)
    (state / "keys").mkdir()
    (state / "secrets" / HASH_NAME).write_text(hash_password(PASSWORD) + "\n")
    key = Ed25519PrivateKey.generate()
    (state / "keys" / POLICY_KEY_NAME).write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return state


@pytest.fixture
def service(state, tmp_path):
    """A real `kiosk secrets serve` process; every raw answer is kept for inspection."""
    path = tmp_path / "run" / "keeper.sock"
    path.parent.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "secrets", "serve", "--state-dir",
                             str(state), "--socket", str(path)],
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while not path.exists():
        assert proc.poll() is None, proc.stdout.read()
        assert time.monotonic() < deadline, "the service never listened"
        time.sleep(0.05)
    yield RecordingClient(path)
    proc.terminate()
    proc.wait(10)
    proc.stdout.close()


class RecordingClient(KeeperClient):
    def __init__(self, path):
        super().__init__(path)
        self.raw: list[bytes] = []

    def _exchange(self, request: bytes) -> bytes:
        answer = super()._exchange(request)
        self.raw.append(answer)
        return answer


def public_key(state: Path, name: str = POLICY_KEY_NAME) -> Ed25519PublicKey:
    key = serialization.load_pem_private_key((state / "keys" / name).read_bytes(), password=None)
    return key.public_key()


def test_the_socket_is_group_writable_only(service):
    assert oct(service.path.stat().st_mode & 0o777) == "0o660"


def test_a_right_password_is_accepted_and_the_hash_never_leaves(service, state):
    answer = service.check_password(PASSWORD)
    assert answer["accepted"] and answer["grant"]
    stored = (state / "secrets" / HASH_NAME).read_text().strip()
    salt_and_digest = stored.split("$")[-2:]
    assert not any(part.encode() in raw for raw in service.raw for part in salt_and_digest)


def test_wrong_passwords_lock_the_account_with_a_growing_delay(service):
    answers = [service.check_password(f"wrong {n}") for n in range(4)]
    assert not any(a["accepted"] for a in answers)
    assert answers[-1]["wait_seconds"] > 0
    locked = service.check_password(PASSWORD)  # even the right one, while locked
    assert not locked["accepted"] and locked["locked"] and "grant" not in locked


def test_a_catalogue_is_signed_only_with_a_live_grant(service, state):
    with pytest.raises(KeeperError, match="no_grant"):
        service.sign_policy("forged", b"version = 1\n")
    grant = service.check_password(PASSWORD)["grant"]
    signature = service.sign_policy(grant, b"version = 1\n")
    public_key(state).verify(base64.b64decode(signature), b"version = 1\n")
    service.revoke(grant)
    with pytest.raises(KeeperError, match="no_grant"):
        service.sign_policy(grant, b"version = 1\n")


def test_only_this_terminals_reports_get_the_terminal_key(service, state):
    from kiosk.identity import terminal_id

    with pytest.raises(KeeperError, match="not_a_report"):
        service.sign_report({"anything": "I want signed"})
    report = {"schema_version": 1, "terminal_id": "00000000-0000-4000-8000-000000000000",
              "month": "2026-10", "figures": {}}
    with pytest.raises(KeeperError, match="not_this_terminal"):
        service.sign_report(report)
    report["terminal_id"] = terminal_id(state)
    envelope = service.sign_report(report)
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(service.terminal_public_key()))
    key.verify(base64.b64decode(envelope["signature"]), envelope["payload"].encode())


def test_changing_the_password_needs_the_current_one(service, state):
    before = (state / "secrets" / HASH_NAME).read_text()
    refused = service.set_password("not it", "a brand new password 7")
    assert not refused["accepted"]
    assert (state / "secrets" / HASH_NAME).read_text() == before
    with pytest.raises(PasswordError):
        service.set_password(PASSWORD, "short")
    assert service.set_password(PASSWORD, "a brand new password 7")["accepted"]
    assert service.check_password("a brand new password 7")["accepted"]
    assert (state / "secrets" / HASH_NAME).stat().st_mode & 0o777 == 0o600


def test_the_first_password_cannot_be_set_over_the_socket(service, state):
    """From install until `kiosk mediator set-password`, no hash exists: a caller on the socket
    must not be the one who chooses it."""
    (state / "secrets" / HASH_NAME).unlink()
    assert not service.has_password()
    for current in (None, "", "anything"):
        with pytest.raises(KeeperError, match="no_password"):
            service.set_password(current, "chosen by an attacker 1", "chosen by an attacker 1")
    assert not (state / "secrets" / HASH_NAME).exists() and not service.has_password()
    assert not service.check_password("chosen by an attacker 1")["accepted"]
    # only the administrator's command line sets it; the socket then works as usual
    subprocess.run([sys.executable, "-m", "kiosk", "mediator", "set-password", "--state-dir",
                    str(state), "--password-stdin"], input=PASSWORD + "\n", text=True, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
    assert service.has_password() and service.check_password(PASSWORD)["accepted"]


def test_garbage_on_the_socket_is_refused_and_the_service_goes_on(service):
    with socket.socket(socket.AF_UNIX) as conn:
        conn.connect(str(service.path))
        conn.sendall(b"\xff not json\n")
        with conn.makefile("rb") as answer:
            assert json.loads(answer.readline()) == {"ok": False, "error": "bad_request"}
    assert service.has_password()


def test_no_service_means_refusal_not_a_local_fallback(tmp_path):
    with pytest.raises(SecretsUnavailable):
        KeeperClient(tmp_path / "absent.sock").check_password(PASSWORD)


def test_a_hash_planted_in_the_sessions_config_does_not_count(state):
    """config.toml is writable by the session: on an installed terminal only secrets/ counts."""
    from core.config import Config

    (state / "secrets" / HASH_NAME).unlink()
    config = Config.load(state)
    config.set("admin_password_hash", hash_password("planted by the session 1"))
    config.save()
    keeper = Keeper(state)
    assert not keeper.has_password()
    assert not keeper.check_password("planted by the session 1")["accepted"]


def test_without_a_secrets_dir_the_demo_keeps_the_hash_in_its_config(tmp_path):
    keeper = Keeper(tmp_path)
    assert not keeper.has_password()
    keeper.write_hash(hash_password(PASSWORD))  # what `kiosk mediator set-password` does
    assert "admin_password_hash" in (tmp_path / "config.toml").read_text()
    assert keeper.check_password(PASSWORD)["accepted"]


def test_the_mediator_works_through_the_service(service, state, tmp_path, monkeypatch):
    """The portal reads no secret itself: with the service's socket named, login and the
    signature of a saved catalogue go through it, and an outage refuses rather than guesses."""
    from kiosk.portal_wiring import mediator_config
    from policies.signing import verify_file
    from portal import create_app
    from tests.mediator.conftest import login
    from tests.mediator.test_catalogue import add_site

    monkeypatch.setenv("KIOSK_SECRETS_SOCKET", str(service.path))
    app = create_app({"TESTING": True, **mediator_config(state), "PORTAL_SECRET": "test",
                      "PORTAL_DOCUMENTS_DIR": str(tmp_path / "docs")})
    client = app.test_client()
    assert login(client, "wrong").status_code == 401
    assert login(client, PASSWORD).status_code == 303
    assert add_site(client).status_code == 303
    verify_file(state / "policy.toml", [public_key(state)])
    monkeypatch.setenv("KIOSK_SECRETS_SOCKET", str(state / "gone.sock"))
    assert app.test_client().get("/mediateur/connexion").status_code == 503


SESSION_UID, KEEPER_UID, KIOSK_GID = 64003, 64001, 64002
ASK_AS_SESSION = r"""
import json, socket, sys
state, sock = sys.argv[1], sys.argv[2]
try:
    open(state + "/secrets/mediator.hash").read()
    read = "read"
except PermissionError:
    read = "denied"
with socket.socket(socket.AF_UNIX) as conn:
    conn.connect(sock)
    conn.sendall(json.dumps({"op": "check_password", "password": sys.argv[3]}).encode() + b"\n")
    answer = json.loads(conn.makefile("rb").readline())
print(json.dumps({"read": read, "accepted": answer["value"]["accepted"]}))
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as two users")
def test_the_session_user_can_ask_but_cannot_read(tmp_path):
    """As installed: secrets/ belongs to the keeper's user (0700); the session's user (another
    uid, group kiosk) is refused the file but gets its answer through the 0660 socket."""
    import shutil
    import tempfile
    import threading

    from kiosk.keeper_service import KeeperServer

    python = shutil.which("python3", path="/usr/bin:/bin")
    assert python, "the system python3 is needed to act as the session user"
    base = Path(tempfile.mkdtemp(prefix="kiosk-keeper-", dir="/tmp"))
    try:
        base.chmod(0o755)
        state, run = base / "state", base / "run"
        (state / "secrets").mkdir(parents=True)
        (state / "secrets" / HASH_NAME).write_text(hash_password(PASSWORD) + "\n")
        (state / "secrets" / HASH_NAME).chmod(0o600)
        os.chown(state / "secrets" / HASH_NAME, KEEPER_UID, KEEPER_UID)
        (state / "secrets").chmod(0o700)
        os.chown(state / "secrets", KEEPER_UID, KEEPER_UID)
        state.chmod(0o755)
        run.mkdir(mode=0o750)
        os.chown(run, KEEPER_UID, KIOSK_GID)
        server = KeeperServer(run / "keeper.sock", Keeper(state))
        os.chown(run / "keeper.sock", KEEPER_UID, KIOSK_GID)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            def as_session() -> None:
                os.setgroups([])
                os.setgid(KIOSK_GID)
                os.setuid(SESSION_UID)

            result = subprocess.run([python, "-c", ASK_AS_SESSION, str(state),
                                     str(run / "keeper.sock"), PASSWORD],
                                    capture_output=True, text=True, timeout=30,
                                    preexec_fn=as_session, cwd="/")
            assert result.returncode == 0, result.stderr
            assert json.loads(result.stdout) == {"read": "denied", "accepted": True}
        finally:
            server.shutdown()
            server.server_close()
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _hold_slow_connections(path: Path, count: int) -> list[socket.socket]:
    """Callers that connect and send half a request, then nothing."""
    held = []
    for _ in range(count):
        conn = socket.socket(socket.AF_UNIX)
        conn.connect(str(path))
        conn.sendall(b'{"op": "has_pass')
        held.append(conn)
    return held


def _closed_by_the_server(conn: socket.socket) -> bool:
    conn.settimeout(0.1)
    try:
        return conn.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


def test_slow_callers_cannot_starve_the_keeper(service):
    """200 callers holding half a request cost no thread each and are cut at the deadline;
    meanwhile 60 real calls from many threads all get their answer."""
    import psutil

    from kiosk.keeper_service import DEADLINE, WORKERS

    pid = next(p.pid for p in psutil.process_iter(["cmdline"])
               if str(service.path) in (p.info["cmdline"] or []))
    held = _hold_slow_connections(service.path, 200)
    try:
        time.sleep(0.3)
        assert psutil.Process(pid).num_threads() <= WORKERS + 3
        with ThreadPoolExecutor(max_workers=30) as pool:
            calls = list(pool.map(lambda n: KeeperClient(service.path).has_password()
                                  if n % 10 else KeeperClient(service.path)
                                  .check_password(PASSWORD)["accepted"], range(60)))
        assert calls == [True] * 60
        time.sleep(DEADLINE + 1)
        assert all(_closed_by_the_server(conn) for conn in held)
    finally:
        for conn in held:
            conn.close()
    assert service.check_password(PASSWORD)["accepted"]  # and it goes on serving


def test_a_connect_flood_does_not_refuse_the_portal(service):
    """Callers that connect and say nothing fill the accept queue; the portal's calls still get
    through (a deeper backlog, and a client that retries within its deadline)."""
    flood: list[socket.socket] = []

    def connect_many() -> None:
        for _ in range(400):
            conn = socket.socket(socket.AF_UNIX)
            conn.setblocking(False)
            try:
                conn.connect(str(service.path))
            except BlockingIOError:
                pass  # the queue is full: the flood goes on
            flood.append(conn)

    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            flooding = [pool.submit(connect_many) for _ in range(4)]
            calls = [pool.submit(lambda: KeeperClient(service.path).has_password())
                     for _ in range(80)]
            answers = [call.result() for call in calls]
            for job in flooding:
                job.result()
        assert answers == [True] * 80
    finally:
        for conn in flood:
            conn.close()
    assert service.has_password()


def test_the_client_waits_for_a_keeper_that_is_starting(state, tmp_path):
    """The portal asking while the service (re)starts gets its answer once it listens."""
    import threading

    from kiosk.keeper_service import KeeperServer

    path = tmp_path / "later.sock"
    servers = []

    def start_later() -> None:
        time.sleep(0.5)
        servers.append(KeeperServer(path, Keeper(state)))
        servers[0].serve_forever()

    threading.Thread(target=start_later, daemon=True).start()
    try:
        assert KeeperClient(path).has_password()
    finally:
        while not servers:
            time.sleep(0.05)
        servers[0].shutdown()
        servers[0].server_close()
