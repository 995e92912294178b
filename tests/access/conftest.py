"""Fixtures of the access tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from samfard.access import passwords, service

_HASHES: dict[str, str] = {}


@pytest.fixture
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Hash each distinct password once per test process: the scope tests create a dozen
    accounts with one password, and argon2 is slow on purpose. The hashes stay real, so
    logging in still checks the password."""

    def memoised(password: str) -> str:
        if password not in _HASHES:
            _HASHES[password] = passwords.hash_password(password)
        return _HASHES[password]

    monkeypatch.setattr(service, "hash_password", memoised)
    yield
