"""Password hashing (argon2id), random tokens, and HMAC signing with the site secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from portal.common_passwords import COMMON_PASSWORDS

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128

# OWASP's argon2id baseline: 19 MiB, two passes, one lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16)
# Verified against when the account does not exist, so both paths cost the same.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why ``password`` is unacceptable, or None when it is fine (message id, untranslated)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "too_long"
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 3:
        return "too_common"
    local_part = email.split("@", 1)[0].lower()
    if (local_part and lowered == local_part) or (name and lowered == name.lower()):
        return "too_personal"
    return None


async def hash_password(password: str) -> str:
    """Hash off the event loop: argon2id deliberately takes tens of milliseconds."""
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, burn the same time and say no."""
    target = stored_hash or _DUMMY_HASH

    def _verify() -> bool:
        try:
            return _hasher.verify(target, password)
        except (VerificationError, InvalidHashError):
            return False

    ok = await anyio.to_thread.run_sync(_verify)
    return ok and stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token."""
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """The stored form of a session id or access token (SHA-256, hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign(secret: str, value: str, purpose: str) -> str:
    """An HMAC over ``value`` bound to ``purpose``, URL-safe."""
    mac = hmac.new(secret.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def signature_matches(secret: str, value: str, purpose: str, signature: str) -> bool:
    """Constant-time check of a signature made by :func:`sign`."""
    if not signature.isascii():  # compare_digest raises TypeError on non-ASCII str
        return False
    return hmac.compare_digest(sign(secret, value, purpose), signature)
