"""Argon2id password hashing (OWASP parameters) and the password policy."""

from __future__ import annotations

import asyncio
import os

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

# OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1.
_MEMORY_KIB = 19 * 1024
_ITERATIONS = 2
_LANES = 1

# The stored hash of an account that has no password (created by signing in with Google):
# no password verifies against it, and checking one costs the same as a wrong password.
NO_PASSWORD = ""

MIN_PASSWORD_LENGTH = 10
# Argon2 is slow by design; an unbounded password would be a cheap way to burn CPU.
MAX_PASSWORD_LENGTH = 128


def password_problem(password: str, *, email: str) -> str | None:
    """Why this password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    lowered = password.strip().lower()
    email = email.strip().lower()
    if lowered == email or lowered == email.split("@", 1)[0]:
        return "The password must not be your email address."
    if len(set(password)) < 4:
        return "Use more than a few distinct characters."
    return None


def _hash(password: str) -> str:
    kdf = Argon2id(
        salt=os.urandom(16),
        length=32,
        iterations=_ITERATIONS,
        lanes=_LANES,
        memory_cost=_MEMORY_KIB,
    )
    return kdf.derive_phc_encoded(password.encode())


def _verify(password: str, encoded: str) -> bool:
    try:
        Argon2id.verify_phc_encoded(password.encode(), encoded)
    except (InvalidKey, ValueError):
        return False
    return True


async def hash_password(password: str) -> str:
    # ~35 ms of CPU: keep it off the event loop.
    return await asyncio.to_thread(_hash, password)


async def verify_password(password: str, encoded: str | None) -> bool:
    """Check a password; with no stored hash (no account, or an account without a password),
    burn the same time and fail (no user oracle)."""
    if not encoded:
        await asyncio.to_thread(_verify, password, _DUMMY_HASH)
        return False
    return await asyncio.to_thread(_verify, password, encoded)


_DUMMY_HASH = _hash("dummy password for timing equalisation")
