"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from samfard.errors import InputError

_hasher = PasswordHasher()

MIN_LENGTH = 12


def check_policy(password: str) -> None:
    """At least 12 characters with letters and at least one digit or symbol."""
    if len(password) < MIN_LENGTH:
        raise InputError(
            f"password must be at least {MIN_LENGTH} characters, got {len(password)}",
            field="password",
        )
    if not any(c.isalpha() for c in password) or all(c.isalpha() for c in password):
        raise InputError("password must mix letters with digits or symbols", field="password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
