"""Fixtures of the browser tests: one live server for the whole session (see
browser_harness.py for what the server holds); Chromium is tests/conftest.py's `browser`.
And a small planned day in a test's own session for the live day's pages over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_harness import LiveServer, build_world, demo_day, serve
from live_day_pages import plan_live_day
from sqlalchemy.orm import Session


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The application served on a demo-like day (built once per test session)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'samfard.sqlite3'}"
    day = demo_day()
    build_world(url, day)
    yield from serve(url, day)


@pytest.fixture
def planned(session: Session) -> None:
    """A small planned day in the test's session, for the live day's page tests."""
    plan_live_day(session)
