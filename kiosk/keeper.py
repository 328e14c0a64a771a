"""The terminal's secrets and the only operations allowed on them.

The mediator password hash and the two Ed25519 keys (terminal reports, signed catalogues) must
stay out of reach of the resident-facing processes (portal and browser run as `kiosk`). On an
installed terminal they belong to `kiosk-admin`, and `kiosk secrets serve` (running as that user)
answers a small set of questions over a Unix socket; see `keeper_service`. Every operation is
safe to offer to a hostile caller of the `kiosk` user:
- a password check goes through the persisted throttle (growing lockout), and never returns the
  hash; a successful one returns a short-lived grant;
- a password change needs the current password, and the first password is never set through
  it (only the administrator's `kiosk mediator set-password` writes it);
- a catalogue is signed only with a live grant (a mediator logged in with the password);
- only report-shaped payloads are signed with the terminal key.
In a demo or a test (no service), the portal uses a `Keeper` in its own process: same rules.
"""

from __future__ import annotations

import hashlib
import secrets as token_source
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from core.atomic import atomic_write
from core.config import Config, SettingError
from core.enrolment import REBIND_KEYS
from core.keeper_errors import KeeperError
from core.layout import keys_dir
from core.passwords import (
    MAX_PASSWORD,
    burn_time,
    check_new_password,
    hash_password,
    verify_password,
)
from core.throttle import Attempt, Throttle
from kiosk.identity import public_key_b64, sign_report, terminal_id, terminal_key

ACCOUNT = "mediator"
SECRETS_DIR = "secrets"
HASH_NAME = "mediator.hash"
THROTTLE_NAME = "mediator-login.json"
POLICY_KEY_NAME = "policy-signing.key"
GRANT_SECONDS = 15 * 60  # a grant lives as long as an idle mediator session
REPORT_KEYS = {"schema_version", "terminal_id", "month", "figures"}  # every report has them


class Keeper:
    """Holds the secrets of one state dir (in `kiosk secrets serve`, or in-process for a demo)."""

    def __init__(self, state: Path, clock: Callable[[], float] = time.time) -> None:
        self.state = Path(state)
        self.clock = clock
        self._grants: dict[str, tuple[float, str]] = {}  # grant: (expires, hash fingerprint)
        self._lock = threading.Lock()

    # -- where things are ----------------------------------------------------------------------
    @property
    def secrets_dir(self) -> Path:
        return self.state / SECRETS_DIR

    def _hash_file(self) -> Path:
        return self.secrets_dir / HASH_NAME

    def _throttle(self) -> Throttle:
        """Beside the hash when the secrets dir exists (installed terminal), else in the state
        dir, where the demo and older versions kept it."""
        base = self.secrets_dir if self.secrets_dir.is_dir() else self.state
        return Throttle(base / THROTTLE_NAME, clock=self.clock)

    def _stored_hash(self) -> str:
        if self.secrets_dir.is_dir():
            # Installed terminal: only this file. config.toml is the session's to write, so a
            # hash planted there must never count.
            try:
                return self._hash_file().read_text(encoding="utf-8").strip()
            except FileNotFoundError:
                return ""
        try:  # a demo or a test: no secrets dir, the hash lives in config.toml
            return Config.load(self.state)["admin_password_hash"]
        except (SettingError, OSError):
            return ""

    # -- password ------------------------------------------------------------------------------
    def has_password(self) -> bool:
        return bool(self._stored_hash())

    def check_password(self, password: str) -> dict:
        """The throttled check; accepted -> also a grant for signing catalogues."""
        if not isinstance(password, str):
            raise KeeperError("bad_request")
        stored = self._stored_hash()
        attempt = self._throttle().attempt(
            ACCOUNT, lambda: verify_password(stored, password[:MAX_PASSWORD]) if stored
            else (burn_time(password) or False))
        answer = asdict(attempt)
        if attempt.accepted:
            answer["grant"] = self._new_grant()
        return answer

    def set_password(self, current: str | None, new: str, again: str | None = None) -> dict:
        """Change the password: `current` must be right (throttled). The first password is never
        set here (any caller of the socket could choose it): only `kiosk mediator set-password`,
        run by the administrator, writes it (`write_hash`)."""
        if not self.has_password():
            raise KeeperError("no_password")
        if not isinstance(current, str):
            raise KeeperError("bad_request")
        attempt = self.check_password(current)
        if not attempt["accepted"]:
            return attempt | {"error": "wrong_password"}
        check_new_password(new, again)  # PasswordError: the caller shows its French text
        self.write_hash(hash_password(new))
        with self._lock:
            self._grants.clear()  # every login made with the old password ends
        return asdict(Attempt(True)) | {"grant": self._new_grant()}

    def write_hash(self, value: str) -> None:
        """Into the secrets dir when there is one (installed terminal), else config.toml."""
        if self.secrets_dir.is_dir():
            atomic_write(self._hash_file(), (value + "\n").encode(), mode=0o600)
            return
        config = Config.load(self.state)
        config.set("admin_password_hash", value)
        config.save()

    # -- grants ---------------------------------------------------------------------------------
    # A grant is the server-side proof of a mediator login: it never leaves the portal's server
    # (the browser holds only a login id), lives GRANT_SECONDS after its last use, ends at logout
    # (revoke), and with the password it was issued under (changed here or by the command line).
    def _fingerprint(self) -> str:
        return hashlib.sha256(self._stored_hash().encode()).hexdigest()

    def _new_grant(self) -> str:
        grant = token_source.token_urlsafe(24)
        fingerprint = self._fingerprint()
        with self._lock:
            now = self.clock()
            self._grants = {g: v for g, v in self._grants.items() if v[0] > now}
            self._grants[grant] = (now + GRANT_SECONDS, fingerprint)
        return grant

    def _use_grant(self, grant: object) -> bool:
        if not isinstance(grant, str):
            return False
        fingerprint = self._fingerprint()
        with self._lock:
            expires, issued_under = self._grants.get(grant, (0.0, ""))
            if expires <= self.clock() or issued_under != fingerprint:
                self._grants.pop(grant, None)
                return False
            self._grants[grant] = (self.clock() + GRANT_SECONDS, issued_under)  # idle lifetime
            return True

    def touch_grant(self, grant: object) -> bool:
        """Is this grant alive (and keep it so)? The portal asks on every mediator page."""
        return self._use_grant(grant)

    def revoke(self, grant: object) -> None:
        with self._lock:
            self._grants.pop(grant, None)  # type: ignore[arg-type]

    # -- signatures ----------------------------------------------------------------------------
    def _policy_key(self) -> Path:
        return keys_dir(self.state) / POLICY_KEY_NAME

    def policy_signing(self) -> bool:
        return self._policy_key().is_file()

    def sign_policy(self, grant: object, data: bytes) -> bytes | None:
        """The detached signature of a catalogue, or None when no signing key is configured."""
        from policies.signing import load_private_key, sign_bytes

        if not self._use_grant(grant):
            raise KeeperError("no_grant")
        if not self.policy_signing():
            return None
        return sign_bytes(data, load_private_key(self._policy_key()))

    def sign_report(self, report: dict) -> dict:
        """The signed envelope of a monthly report (nothing else gets the terminal's key)."""
        if not isinstance(report, dict) or not REPORT_KEYS <= report.keys():
            raise KeeperError("not_a_report")
        if report["terminal_id"] != terminal_id(self.state):
            raise KeeperError("not_this_terminal")
        return sign_report(report, terminal_key(self.state))

    def sign_rebind(self, statement: dict) -> dict:
        """The terminal's proof, for the hub, that it asks to be enrolled again (with a new code,
        for another association): its current key signs exactly {purpose, terminal_id,
        public_key, code (hash)}, a shape no report has, so neither can pass for the other."""
        if not isinstance(statement, dict) or set(statement) != REBIND_KEYS \
                or statement["purpose"] != "rebind":
            raise KeeperError("not_a_rebind")
        key = terminal_key(self.state)
        if statement["terminal_id"] != terminal_id(self.state) \
                or statement["public_key"] != public_key_b64(key):
            raise KeeperError("not_this_terminal")
        if not isinstance(statement["code"], str) or len(statement["code"]) != 64:
            raise KeeperError("not_a_rebind")
        return sign_report(statement, key)

    def terminal_public_key(self) -> str:
        return public_key_b64(terminal_key(self.state))
