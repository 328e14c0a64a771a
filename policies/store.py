"""The policy in a state directory: atomic saves, history, rollback, and the last good policy kept
in force when a new file is broken, unsigned or tampered with (fail closed when there is none)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from core.atomic import atomic_write

from .errors import PolicyError, PolicyIssue, SignatureError
from .loader import parse_policy
from .model import Policy
from .signing import signature_path, trusted_keys, verify_bytes

POLICY_NAME = "policy.toml"
HISTORY_DIR = "policy.history"
TRUSTED_DIR = Path("keys") / "trusted"


@dataclass
class LoadResult:
    """What a (re)load did: the policy now in force, and why a new file was refused if it was."""

    policy: Policy
    changed: bool
    issues: list[PolicyIssue] = field(default_factory=list)


class PolicyStore:
    """Owns `policy.toml`, its signature and `policy.history/` inside a state directory."""

    def __init__(self, state_dir: Path, require_signed: bool = False):
        self.state_dir = Path(state_dir)
        self.path = self.state_dir / POLICY_NAME
        self.history_dir = self.state_dir / HISTORY_DIR
        self.require_signed = require_signed
        self.current: Policy = Policy.empty()
        self.current_data: bytes | None = None  # the exact bytes of the policy in force
        self.loaded = False

    def reload(self) -> LoadResult:
        """Load the file on disk; on any problem keep the policy already in force."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return self._refuse(PolicyIssue("missing", "no policy file: nothing can open",
                                            str(self.path)))
        sig_path = signature_path(self.path)
        signature = sig_path.read_bytes() if sig_path.exists() else None
        try:
            policy = self.validate(data, signature)
        except PolicyError as exc:
            return LoadResult(self.current, False, exc.issues)
        self.current, self.current_data, self.loaded = policy, data, True
        return LoadResult(policy, True)

    def _refuse(self, issue: PolicyIssue) -> LoadResult:
        return LoadResult(self.current, False, [issue])

    def validate(self, data: bytes, signature: bytes | None = None) -> Policy:
        """Parse and, when required, verify; raise PolicyError with the reason."""
        policy = parse_policy(data, str(self.path))
        if self.require_signed:
            try:
                verify_bytes(data, signature, trusted_keys(self.state_dir / TRUSTED_DIR))
            except SignatureError as exc:
                raise PolicyError([PolicyIssue("bad_signature", str(exc), str(self.path))]) from exc
        return policy

    def save(self, data: bytes, signature: bytes | None = None) -> Policy:
        """Validate, archive the current file, then replace it atomically; on error, nothing."""
        policy = self.validate(data, signature)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            self._archive()
        sig_path = signature_path(self.path)
        if signature is not None:
            atomic_write(sig_path, signature)
        atomic_write(self.path, data)
        if signature is None:
            sig_path.unlink(missing_ok=True)
        self.current, self.current_data, self.loaded = policy, data, True
        return policy

    def _archive(self) -> Path:
        self.history_dir.mkdir(exist_ok=True)
        data = self.path.read_bytes()
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        digest = hashlib.sha256(data).hexdigest()[:8]
        target = self.history_dir / f"{self._next_sequence():06d}-{stamp}-{digest}.toml"
        atomic_write(target, data)
        sig = signature_path(self.path)
        if sig.exists():
            atomic_write(signature_path(target), sig.read_bytes())
        return target

    def _next_sequence(self) -> int:
        numbers = [int(p.name.split("-", 1)[0]) for p in self.history() if p.name[:6].isdigit()]
        return max(numbers, default=0) + 1

    def history(self) -> list[Path]:
        """Earlier versions, newest first."""
        if not self.history_dir.is_dir():
            return []
        return sorted(self.history_dir.glob("*.toml"), reverse=True)

    def rollback(self, version: Path | None = None) -> Policy:
        """Restore the newest earlier version (or the one given); the replaced one is archived."""
        versions = self.history()
        if version is None:
            if not versions:
                raise PolicyError([PolicyIssue("no_history",
                                               "there is no earlier version to roll back to",
                                               str(self.history_dir))])
            version = versions[0]
        sig = signature_path(version)
        policy = self.save(version.read_bytes(), sig.read_bytes() if sig.exists() else None)
        version.unlink()
        sig.unlink(missing_ok=True)
        return policy
