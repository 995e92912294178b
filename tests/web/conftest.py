"""Fixtures of the browser tests: one live server and one Chromium for the whole session
(see browser_harness.py for what the server holds)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_harness import CHROMIUM, FLAGS, LiveServer, build_world, demo_day, serve
from playwright.sync_api import Browser, sync_playwright


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The application served on a demo-like day (built once per test session)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'samfard.sqlite3'}"
    day = demo_day()
    build_world(url, day)
    yield from serve(url, day)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: scripts/test installs Debian's chromium", pytrace=False
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
