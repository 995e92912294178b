"""The driver's page at phone width (Chromium), hours ahead of a pickup: a first report
asks before it is queued (offline too: the queue still holds it until the connection is
back), and Uteblev is disabled with its time until the promised window opens, then works
without a reload (asking first, as it always does). The server runs on a fixed clock and
the page on one set to the same moment, both moved on together."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    Questions,
    assert_no_axe_violations,
    demo_day,
    login,
    planned_database,
    reader_engine,
    screenshot,
    serve,
    staff,
)
from playwright.sync_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import busiest_run
from samfard.access.permissions import Role
from samfard.clock import FixedClock
from samfard.dispatch.driver.models import StopEvent
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}}
AHEAD = timedelta(hours=2)


@dataclass
class Early:
    server: LiveServer
    clock: FixedClock
    stop_id: int
    opens: datetime  # the pickup's promised window


@pytest.fixture(scope="module")
def early(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Early]:
    """A planned day and its driver, on a clock two hours before a promised pickup."""
    day = demo_day()
    folder = tmp_path_factory.mktemp("early")
    with planned_database(folder, day, seed=3, trips=30) as (url, session):
        run = busiest_run(session, day)
        pickup = next(s for s in run.stops if s.kind == "pickup" and s.promised_from)
        assert pickup.promised_from is not None
        clock = FixedClock(pickup.promised_from - AHEAD)
        assert clock.current.astimezone(STOCKHOLM).date() == day
        staff(session, "forare", Role.DRIVER, clock.now(), carrier_id=run.vehicle.carrier_id,
              vehicle_id=run.vehicle_id)  # fmt: skip
        found = Early(LiveServer("", day, url), clock, pickup.id, pickup.promised_from)
    for server in serve(url, day, clock=found.clock):
        found.server = server
        yield found


def _stored(early: Early) -> list[str]:
    engine = reader_engine(early.server.database_url)
    with Session(engine) as session:
        kinds = session.scalars(
            select(StopEvent.kind).where(StopEvent.stop_id == early.stop_id).order_by(StopEvent.id)
        ).all()
    engine.dispose()
    return list(kinds)


def test_an_early_report_is_asked_about_and_uteblev_opens_with_the_window(
    browser: Browser, early: Early
) -> None:
    page = login(browser, early.server, "forare", **PHONE)
    errors = ConsoleErrors(page)
    questions = Questions(page)
    page.clock.install(time=early.clock.now())
    page.goto(early.server.url("/forare"))
    stop = page.locator(f"#stopp-{early.stop_id}")

    # Offline, as in a car out of coverage: the question needs no connection.
    page.context.set_offline(True)
    # No: nothing is queued, nothing sent, and the button is still there to press.
    framme = stop.get_by_role("button", name="Framme")
    framme.focus()
    page.keyboard.press("Enter")
    asked = questions.answer(yes=False)
    assert asked.startswith("Rapportera Framme nu ändå?"), asked
    assert asked.endswith("det är 2 tim 0 min dit.") and "utlovat" in asked, asked
    expect(page.locator("#ko li")).to_have_count(0)
    expect(framme).to_be_focused()
    assert _stored(early) == []

    # Yes: queued, and sent once the connection is back; Uteblev is then shown, disabled,
    # with its time.
    page.keyboard.press("Enter")
    assert questions.answer(yes=True).startswith("Rapportera Framme nu ändå?")
    expect(page.locator("#ko li")).to_have_count(1)
    assert _stored(early) == []
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(stop.locator(".reported")).to_contain_text("Framme")
    assert _stored(early) == ["arrived"]
    uteblev = stop.get_by_role("button", name="Uteblev", exact=False)
    expect(uteblev).to_be_disabled()
    expect(stop.locator(".hint")).to_be_visible()
    expect(stop.locator(".hint")).to_contain_text("Uteblev går att rapportera från")
    assert_no_axe_violations(page)
    # In one step in the page: the list is replaced whenever a change event asks for it
    # again, which detached the stop while Playwright waited for it to stand still.
    stop.evaluate("element => element.scrollIntoView({block: 'center'})")
    screenshot(page, "driver-uteblev-vantar")

    # The window opens: Uteblev works without a reload.
    early.clock.advance(AHEAD + timedelta(minutes=1))
    page.clock.fast_forward(int((AHEAD + timedelta(minutes=1)).total_seconds() * 1000))
    expect(uteblev).to_be_enabled()
    expect(stop.locator(".hint")).to_be_hidden()
    uteblev.focus()
    page.keyboard.press("Enter")
    # Uteblev is always asked about (tests/web/test_driver_no_show_browser.py).
    assert questions.answer(yes=True).startswith("Rapportera att ")
    # Sent and stored; the no-show takes the booking's stops off the run.
    expect(page.locator("#ko li")).to_have_count(0)
    expect(stop).to_have_count(0)
    expect(page.locator("#avvisade li")).to_have_count(0)
    assert _stored(early) == ["arrived", "no_show"]
    assert_no_axe_violations(page)
    errors.messages = [m for m in errors.messages if "ERR_INTERNET_DISCONNECTED" not in m]
    errors.assert_none()
    page.context.close()
