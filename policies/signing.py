"""Ed25519 signatures over the exact bytes of a policy file (`policy.toml.sig`, base64)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import SignatureError

PRIVATE_NAME = "policy-signing.key"
PUBLIC_NAME = "policy-signing.pub"


def signature_path(policy_path: Path) -> Path:
    return policy_path.with_name(policy_path.name + ".sig")


def generate_keypair(directory: Path) -> tuple[Path, Path]:
    """Write a new key pair; the private key is created 0600 and never overwritten."""
    directory.mkdir(parents=True, exist_ok=True)
    private_path, public_path = directory / PRIVATE_NAME, directory / PUBLIC_NAME
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public_path.write_bytes(public_key_pem(key.public_key()))
    return private_path, public_path


def public_key_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (ValueError, OSError) as exc:
        raise SignatureError(f"{path} is not a readable public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SignatureError(f"{path} is not an Ed25519 public key")
    return key


def sign_bytes(data: bytes, key: Ed25519PrivateKey) -> bytes:
    """The signature file content for these exact bytes."""
    return base64.b64encode(key.sign(data)) + b"\n"


def sign_file(policy_path: Path, key_path: Path) -> Path:
    """Sign a policy file in place; returns the path of the `.sig` written beside it."""
    out = signature_path(policy_path)
    out.write_bytes(sign_bytes(policy_path.read_bytes(), load_private_key(key_path)))
    return out


def verify_bytes(data: bytes, signature: bytes | None, trusted: list[Ed25519PublicKey]) -> None:
    """Raise SignatureError unless one trusted key signed exactly these bytes."""
    if not signature:
        raise SignatureError("the policy is not signed (no .sig file)")
    if not trusted:
        raise SignatureError("no trusted policy key is configured")
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
    except ValueError as exc:
        raise SignatureError("the signature file is not valid base64") from exc
    for key in trusted:
        try:
            key.verify(raw, data)
            return
        except InvalidSignature:
            continue
    raise SignatureError("the signature does not match: the file was changed or signed by "
                         "an untrusted key")


def verify_file(policy_path: Path, trusted: list[Ed25519PublicKey]) -> None:
    sig = signature_path(policy_path)
    verify_bytes(policy_path.read_bytes(), sig.read_bytes() if sig.exists() else None, trusted)


def trusted_keys(directory: Path) -> list[Ed25519PublicKey]:
    """Every `*.pub` in a directory (the state dir's keys/trusted/)."""
    if not directory.is_dir():
        return []
    return [load_public_key(path) for path in sorted(directory.glob("*.pub"))]
