"""Following the vehicle from Mina resor in a real browser (Debian's Chromium): the
traveller's page shows their vehicle on the way, the driver reports from the vehicle
(its position by the browser's geolocation, then "Framme" at the traveller's pickup), and
the traveller's page shows the vehicle has arrived and where it was, in text, in a polite
live region; axe-core finds no serious or critical violation. Screenshots in
docs/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    Questions,
    assert_no_axe_violations,
    login,
    planned_database,
    screenshot,
    serve,
    staff,
)
from playwright.sync_api import Browser, expect

from helpers import busiest_run
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.booking.models import Booking
from samfard.dispatch import handoff
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}}
ÖSTERSUND = {"latitude": 63.1767, "longitude": 14.6361}


@dataclass(frozen=True)
class Followed:
    server: LiveServer
    booking_id: int
    stop_id: int
    reference: str
    planned_at: datetime  # the plan's time of the pickup
    heads_out: datetime  # when the vehicle is to head for it (`mypages.vehicle.heading_for`)


@pytest.fixture(scope="module")
def followed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Followed]:
    """Today's plan, the busiest run accepted by its carrier, a driver for its vehicle,
    and a traveller account for the traveller of its first pickup."""
    now = datetime.now(STOCKHOLM)
    day = now.date()
    folder = tmp_path_factory.mktemp("follow")
    with planned_database(folder, day, seed=3, trips=30) as (url, session):
        run = busiest_run(session, day)
        offers = handoff.offer_day(session=session, day=day, actor=SYSTEM, now=now)
        offer = next(o for o in offers if o.run_id == run.id)
        if offer.state == "offered":
            handoff.answer_offer(session=session, offer_id=offer.id, accept=True, reason=None,
                                 actor=SYSTEM, now=now)  # fmt: skip
        pickup = next(s for s in run.stops if s.kind == "pickup")
        booking = session.get(Booking, pickup.booking_id)
        assert booking is not None and booking.status == "assigned"
        staff(session, "driver", Role.DRIVER, now, carrier_id=run.vehicle.carrier_id,
              vehicle_id=run.vehicle_id)  # fmt: skip
        staff(session, "resenar", Role.TRAVELLER, now, traveller_id=booking.traveller_id)
        before = [s.planned_at for s in run.stops if s.seq < pickup.seq]
        heads_out = max(before) if before else run.start_at
        facts = (booking.id, pickup.id, booking.reference, pickup.planned_at, heads_out)
    for server in serve(url, day):
        yield Followed(server, *facts)


def test_a_drivers_report_changes_what_the_travellers_page_shows(
    browser: Browser, followed: Followed
) -> None:
    server = followed.server
    traveller = login(browser, server, "resenar", **PHONE)
    errors = ConsoleErrors(traveller)
    traveller.goto(server.url("/mina-resor"))
    live = traveller.locator(f"#fordon-{followed.booking_id}")
    # Today's plan at the hour the test runs: "På väg" once the vehicle is to head for the
    # pickup, "Planerad" before (it said "På väg" at midnight of a car leaving at 07:00).
    on_way = datetime.now(STOCKHOLM) >= followed.heads_out
    expect(live).to_contain_text("På väg" if on_way else "Planerad")
    # Today's plan at the time the test runs: a pickup still to come is expected at its
    # planned time; one whose time has passed is said not to have come (never "väntas").
    if followed.planned_at > datetime.now(STOCKHOLM):
        expect(live).to_contain_text("Bilen väntas")
    else:
        expect(live).to_contain_text("skulle enligt planen ha kommit")
        expect(live).not_to_contain_text("Bilen väntas")
    region = traveller.locator(f"[aria-live='polite']:has(#fordon-{followed.booking_id})")
    expect(region).to_have_count(1)
    assert_no_axe_violations(traveller)
    screenshot(traveller, "mypages-follow-on-the-way")

    driver = login(
        browser, server, "driver", permissions=["geolocation"], geolocation=ÖSTERSUND, **PHONE
    )
    # The page asks first when a pickup is reported far ahead of its time, which depends
    # on the hour this test runs at (tests/web/test_driver_early_browser.py tests asking).
    questions = Questions(driver)
    driver.goto(server.url("/forare"))
    stop = driver.locator(f"#stopp-{followed.stop_id}")
    stop.get_by_role("button", name="Framme").click()
    questions.answer_if_asked(yes=True)
    expect(stop.locator(".reported")).to_contain_text("Framme")

    update = traveller.get_by_role("button", name="Uppdatera bilens läge").first
    for _ in range(20):  # the position report may land just after the page loads
        update.click()
        expect(live.locator(".vehicle-state")).to_be_visible()
        if live.locator(".vehicle-near").count():
            break
        traveller.wait_for_timeout(250)
    expect(live.locator(".vehicle-state")).to_have_text("Framme")
    expect(live.locator(".vehicle-near")).to_have_text("Östersund")
    body = traveller.locator("main").inner_text()
    assert followed.reference in body and "Östersund" in body
    assert_no_axe_violations(traveller)
    screenshot(traveller, "mypages-follow-arrived")
    errors.assert_none()
