"""This terminal's identity: a random id and an Ed25519 key, created once, and the signed
envelope made with that key. The secrets keeper signs with it; exports and the hub push ask the
keeper (never this module) on an installed terminal, where the key belongs to kiosk-admin."""

from __future__ import annotations

import base64
import json
import os
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.layout import keys_dir

KEY_NAME = "terminal.key"
TERMINAL_ID_NAME = "terminal_id"


def terminal_id(state: Path) -> str:
    """A random id for this terminal (uuid4), created once; never derived from the hardware."""
    path = Path(state) / TERMINAL_ID_NAME
    try:
        return str(uuid.UUID(path.read_text().strip()))
    except (OSError, ValueError):
        value = str(uuid.uuid4())
        _write_new(path, value.encode(), 0o644)
        return path.read_text().strip()


def terminal_key(state: Path) -> Ed25519PrivateKey:
    """This terminal's signing key, created 0600 on first use."""
    path = keys_dir(Path(state)) / KEY_NAME
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        _write_new(path, pem, 0o600)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create a file exclusively (a concurrent creator wins, we keep theirs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def canonical(report: dict) -> bytes:
    return json.dumps(report, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign_report(report: dict, key: Ed25519PrivateKey) -> dict:
    """The signed envelope: the exact payload bytes (as a string) and their signature."""
    payload = canonical(report)
    return {"payload": payload.decode(), "signature": base64.b64encode(key.sign(payload)).decode()}
