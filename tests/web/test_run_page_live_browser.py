"""A run's page (/trafik/korning/{id}) in Chromium follows the run while it is open: a
driver's report shows without a reload and is said once in the polite live region, a
position updates the page silently, focus stays on the control that had it (and goes to
the stops' heading when that control is gone: a Flytta whose pickup was just reported),
and a pickup reported before one planned ahead of it is flagged "Rapporterad i annan
ordning än planen". axe-core finds no serious or critical violation.

Before, the controller saw none of it without reloading the page."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    login,
    planned_database,
    screenshot,
    serve,
    served_session,
    staff,
)
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy.orm import Session

from helpers import busiest_run
from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.booking.models import Booking
from samfard.dispatch.driver.schemas import StopEventCreate
from samfard.dispatch.driver.service import record_report
from samfard.dispatch.models import Run
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Pickup:
    stop_id: int
    planned_at: datetime
    booking_id: int
    leg_seq: int
    trip: str  # "SF-… resa 1"


@dataclass(frozen=True)
class RunUnderWay:
    server: LiveServer
    run_id: int
    vehicle_id: int
    carrier_id: int | None
    pickups: tuple[Pickup, ...]


@pytest.fixture(scope="module")
def run_today(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunUnderWay]:
    """Today's plan (a driver reports only on today's run), a controller, and the busiest
    run's first pickups of travellers."""
    now = datetime.now(STOCKHOLM)
    folder = tmp_path_factory.mktemp("run-live")
    with planned_database(folder, now.date(), seed=3, trips=30) as (url, session):
        run = busiest_run(session, now.date())
        staff(session, "controller", Role.OPERATOR, now)
        pickups = tuple(_pickups(session, run))
        ids = (run.id, run.vehicle_id, run.vehicle.carrier_id)
    assert len(pickups) >= 2, "the run needs two trips"
    for server in serve(url, now.date()):
        yield RunUnderWay(server, *ids, pickups)


def _pickups(session: Session, run: Run) -> Iterator[Pickup]:
    for stop in run.stops:
        if stop.kind == "pickup" and stop.booking_id is not None and stop.leg_seq is not None:
            booking = session.get(Booking, stop.booking_id)
            assert booking is not None
            trip = f"{booking.reference} resa {stop.leg_seq + 1}"
            yield Pickup(stop.id, stop.planned_at, stop.booking_id, stop.leg_seq, trip)


def _report(
    run: RunUnderWay, kind: str, stop_id: int | None = None, at: datetime | None = None
) -> datetime:
    """What the driver's page sends, through its use case, dated `at` (no later than now:
    the tests run at any hour)."""
    driver = Actor(user_id=None, username="forare-live", role=Role.DRIVER,
                   carrier_id=run.carrier_id, vehicle_id=run.vehicle_id)  # fmt: skip
    now = datetime.now(UTC)
    at = now if at is None else min(at, now)
    where = {"lat": 62.39, "lon": 17.31} if stop_id is None else {}
    data = StopEventCreate(client_event_id=uuid.uuid4().hex, run_id=run.run_id,
                           stop_id=stop_id, kind=kind, at=at, **where)  # type: ignore[arg-type]  # fmt: skip
    with served_session(run.server) as session:
        record_report(session=session, data=data, actor=driver, now=now)
    return at


def _open(browser: Browser, run: RunUnderWay) -> Page:
    """The controller on the run's page, with its stream connected (reports made before
    it connects are not sent: a stream sends news)."""
    page = login(browser, run.server, "controller", viewport={"width": 1280, "height": 900})
    with page.expect_response(lambda answer: "/trafik/strom?" in answer.url):
        page.goto(run.server.url(f"/trafik/korning/{run.run_id}"))
    return page


def _row(page: Page, pickup: Pickup) -> Locator:
    """The pickup's row in the stops (its drop-off's row names the same trip)."""
    rows = page.locator("#korning-stopp tbody tr")
    return rows.filter(has=page.locator(f'td:text-is("{pickup.trip}")')).filter(
        has=page.locator('td:text-is("Hämtning")')
    )


def _focused_id(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement && document.activeElement.id"))


def test_the_run_page_shows_reports_as_they_come_and_keeps_the_focus(
    browser: Browser, run_today: RunUnderWay
) -> None:
    first, second = run_today.pickups[:2]
    page = _open(browser, run_today)
    errors = ConsoleErrors(page)
    live = page.locator("#trafik-live")
    expect(live).to_have_text("")
    assert_no_axe_violations(page)
    flytta_first = page.locator(f"#flytta-{first.booking_id}-{first.leg_seq}")
    flytta_first.focus()

    # The second trip picked up first: shown, said once, focus stays on the first's Flytta.
    at = _report(run_today, "picked_up", second.stop_id, second.planned_at)
    said = f"Ny rapport: hämtning {second.trip}: Hämtad {at.astimezone(STOCKHOLM):%H:%M}."
    expect(_row(page, second)).to_contain_text("Hämtad")
    expect(live).to_have_text(said)
    expect(flytta_first).to_be_focused()
    expect(page.locator("#annan-ordning")).to_have_count(0)

    # A position: the page says when it was sent, and nothing is said aloud.
    _report(run_today, "position")
    expect(page.locator("#korning-stopp")).to_contain_text("Senaste position från bilen")
    page.wait_for_timeout(500)  # a later announcement would have been set by now
    expect(live).to_have_text(said)
    expect(flytta_first).to_be_focused()

    # The first trip picked up after it: its Flytta goes, so focus goes to the heading;
    # the second is flagged as reported in another order than the plan.
    _report(run_today, "picked_up", first.stop_id, second.planned_at + timedelta(minutes=1))
    expect(flytta_first).to_have_count(0)
    expect(page.locator("#stopp-rubrik")).to_be_focused()
    flagged = _row(page, second)
    expect(flagged).to_contain_text("Rapporterad i annan ordning än planen")
    expect(flagged).to_contain_text(f"gjord före hämtning {first.trip}")
    expect(page.locator("#annan-ordning")).to_have_text(
        "1 stopp rapporterat i annan ordning än planen."
    )
    expect(live).to_contain_text(f"Ny rapport: hämtning {first.trip}: Hämtad")
    expect(live).to_contain_text("1 stopp rapporterat i annan ordning än planen.")
    assert_no_axe_violations(page)
    screenshot(page, "trafik-korning-live")
    errors.assert_none()
    page.context.close()
