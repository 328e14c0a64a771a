"""Password hashing for every staff login (the terminal's mediators, the funder's hub): scrypt,
with its parameters carried in the hash string, checked in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCHEME = "scrypt"
N, R, P, DKLEN = 2**14, 8, 1, 32
MIN_PASSWORD = 8
MAX_PASSWORD = 1024


class PasswordError(ValueError):
    """A new password is not acceptable; the message says why (in French, for mediators)."""


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """`scrypt$n$r$p$salt$digest` with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=DKLEN,
                            maxmem=256 * 1024 * 1024)
    return "$".join([SCHEME, str(n), str(r), str(p), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def verify_password(stored: str, password: str) -> bool:
    """Constant-time check; any malformed hash is simply a refusal."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest, validate=True)
        if scheme != SCHEME or not 2 <= int(n) <= 2**20 or int(r) > 64 or int(p) > 16:
            return False
        computed = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt, validate=True),
                                  n=int(n), r=int(r), p=int(p), dklen=len(expected),
                                  maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError, AttributeError):
        return False
    return hmac.compare_digest(computed, expected)


_DUMMY_HASH: str | None = None


def burn_time(password: str) -> None:
    """Spend as long as a real check, so 'no password set' is not told apart by timing."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("kiosk: no password set yet")
    verify_password(_DUMMY_HASH, password)


def check_new_password(password: str, again: str | None = None) -> str:
    """Validate a password being set; raise PasswordError with a plain French reason."""
    if again is not None and password != again:
        raise PasswordError("Les deux mots de passe ne sont pas identiques.")
    if len(password) < MIN_PASSWORD:
        raise PasswordError(f"Le mot de passe doit avoir au moins {MIN_PASSWORD} caractères.")
    if len(password) > MAX_PASSWORD:
        raise PasswordError("Le mot de passe est trop long.")
    if not password.strip():
        raise PasswordError("Le mot de passe ne peut pas être fait que d'espaces.")
    return password


