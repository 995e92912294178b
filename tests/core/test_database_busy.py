"""A worker whose database connections are all in use answers 503 with Retry-After, never
500; the pool is sized by settings."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from helpers import NOW
from samfard.app import create_app
from samfard.clock import FixedClock
from samfard.config import Settings


def test_an_exhausted_pool_answers_503_with_retry_after(database_url: str) -> None:
    settings = Settings(
        database_url=database_url, db_pool_size=1, db_max_overflow=0, db_pool_timeout=1
    )
    app = create_app(settings, clock=FixedClock(NOW))
    engine = app.state.engine
    assert (engine.pool.size(), engine.pool._max_overflow) == (1, 0)  # sized by the settings
    client = TestClient(app, raise_server_exceptions=False)
    with engine.connect():  # the worker's only connection is busy
        answer = client.post(
            "/api/v1/auth/token", json={"username": "nobody", "password": "x" * 12}
        )
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert int(answer.headers["Retry-After"]) > 0
    assert "try again" in answer.json()["detail"]
    again = client.post("/api/v1/auth/token", json={"username": "nobody", "password": "x" * 12})
    assert again.status_code == 401  # the connection is back: an ordinary answer
    engine.dispose()


def test_pool_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMFARD_DB_POOL_SIZE", "20")
    monkeypatch.setenv("SAMFARD_DB_MAX_OVERFLOW", "0")
    monkeypatch.setenv("SAMFARD_DB_POOL_TIMEOUT", "3")
    settings = Settings.from_env()
    assert (settings.db_pool_size, settings.db_max_overflow, settings.db_pool_timeout) == (
        20,
        0,
        3,
    )
