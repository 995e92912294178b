"""The operator pages in a real browser: Debian's Chromium driven by Playwright against a
live server on a migrated SQLite database with a small demo day."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy.orm import Session

from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.app import create_app
from samfard.config import Settings
from samfard.db import make_engine, upgrade
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.reference import load_reference_data
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "browser-test-42"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A served demo day; yields (base URL, one booking reference on it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'samfard.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    day = datetime.now(STOCKHOLM).date() + timedelta(days=2)
    with Session(engine) as session:
        load_reference_data(session=session)
        load_day(session=session, demo=generate_day(day, seed=5, trips=20))
        create_user(
            session=session,
            username="desk",
            password=PASSWORD,
            role=Role.OPERATOR,
            now=datetime.now(UTC),
            principal_codes=["*"],
        )
        from sqlalchemy import select

        from samfard.booking.models import Booking

        reference = session.scalars(
            select(Booking.reference).where(Booking.service_date == day)
        ).first()
    assert reference is not None
    port = _free_port()
    app = create_app(Settings(database_url=url, secure_cookies=False), engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/?date={day.isoformat()}", reference
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: scripts/test installs Debian's chromium", pytrace=False
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def test_operator_logs_in_and_sees_the_days_bookings(
    live_server: tuple[str, str], browser: Browser, tmp_path: Path
) -> None:
    day_url, reference = live_server
    page = browser.new_page()
    page.goto(day_url)
    assert page.url.endswith("/login"), "an anonymous visitor is sent to the login page"
    page.fill("input[name=username]", "desk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    page.goto(day_url)
    page.wait_for_selector("table.bookings tbody tr[data-ref]")
    rows = page.locator("table.bookings tbody tr[data-ref]")
    assert rows.count() >= 5
    assert reference in page.inner_text("table.bookings")
    assert page.locator("#map .leaflet-interactive").count() == rows.count()
    page.screenshot(path=str(tmp_path / "day.png"), full_page=True)


def test_wrong_password_shows_a_swedish_error(
    live_server: tuple[str, str], browser: Browser
) -> None:
    day_url, _ = live_server
    page = browser.new_page()
    page.goto(day_url.split("?")[0] + "login")
    page.fill("input[name=username]", "desk")
    page.fill("input[name=password]", "not-the-password-1")
    page.click("button[type=submit]")
    assert "wrong username or password" in page.inner_text("[role=alert]")
