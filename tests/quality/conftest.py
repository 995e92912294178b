"""Quality tests hash each distinct password once (argon2 is slow on purpose)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from samfard.access import passwords, service

_HASHES: dict[str, str] = {}


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def memoised(password: str) -> str:
        if password not in _HASHES:
            _HASHES[password] = passwords.hash_password(password)
        return _HASHES[password]

    monkeypatch.setattr(service, "hash_password", memoised)
    yield
