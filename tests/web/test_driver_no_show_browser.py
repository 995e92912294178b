"""Uteblev on the driver's page at phone width (Chromium): asked about first, in a dialog
that needs no connection, and focus stays where the driver can go on.

A walk-through of a working day (2026-12) pressed Framme for a traveller whose pickup
window had begun, tabbed to "Uteblev, 11:41 Nils" and pressed Enter: the booking became
no_show and the no-show fee was charged with no question, and focus fell to <body> when
the stop left the list. Now Enter on Uteblev opens "Rapportera att Nils uteblev?" with Ja
and Avbryt (Avbryt focused: the question guards a fee); Avbryt or Esc closes it with
focus back on Uteblev and nothing sent; Ja sends the report, and when the stop leaves the
list focus goes to the next stop's heading. The server runs on a fixed clock and the page
on one set to the same moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    demo_day,
    login,
    planned_database,
    reader_engine,
    screenshot,
    serve,
    staff,
)
from playwright.sync_api import Browser, Dialog, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import busiest_run
from samfard.access.permissions import Role
from samfard.clock import FixedClock
from samfard.dispatch.driver.models import StopEvent
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}}


@dataclass
class AtTheDoor:
    server: LiveServer
    clock: FixedClock
    stop_id: int  # a pickup whose promised window has begun
    next_id: int  # the first stop after it of another trip


@pytest.fixture(scope="module")
def at_the_door(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AtTheDoor]:
    """A planned day and its driver, a minute into a pickup's promised window."""
    day = demo_day()
    folder = tmp_path_factory.mktemp("uteblev")
    with planned_database(folder, day, seed=3, trips=30) as (url, session):
        run = busiest_run(session, day)
        stops = sorted(run.stops, key=lambda s: s.seq)
        index, pickup = next(
            (i, s) for i, s in enumerate(stops)
            if s.kind == "pickup" and s.promised_from is not None
            and any(t.booking_id != s.booking_id for t in stops[i + 1:])
        )  # fmt: skip
        later = next(t for t in stops[index + 1 :] if t.booking_id != pickup.booking_id)
        assert pickup.promised_from is not None
        clock = FixedClock(pickup.promised_from + timedelta(minutes=1))
        assert clock.current.astimezone(STOCKHOLM).date() == day
        staff(session, "forare", Role.DRIVER, clock.now(), carrier_id=run.vehicle.carrier_id,
              vehicle_id=run.vehicle_id)  # fmt: skip
        found = AtTheDoor(LiveServer("", day, url), clock, pickup.id, later.id)
    for server in serve(url, day, clock=found.clock):
        found.server = server
        yield found


def _stored(door: AtTheDoor) -> list[str]:
    engine = reader_engine(door.server.database_url)
    with Session(engine) as session:
        kinds = session.scalars(
            select(StopEvent.kind).where(StopEvent.stop_id == door.stop_id).order_by(StopEvent.id)
        ).all()
    engine.dispose()
    return list(kinds)


def test_uteblev_asks_first_and_focus_stays_on_the_way(
    browser: Browser, at_the_door: AtTheDoor
) -> None:
    page = login(browser, at_the_door.server, "forare", **PHONE)
    errors = ConsoleErrors(page)
    native: list[str] = []

    def no_native_question(dialog: Dialog) -> None:
        native.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", no_native_question)
    page.clock.install(time=at_the_door.clock.now())
    page.goto(at_the_door.server.url("/forare"))
    stop = page.locator(f"#stopp-{at_the_door.stop_id}")
    framme = stop.get_by_role("button", name="Framme", exact=False)
    framme.focus()
    page.keyboard.press("Enter")
    expect(stop.locator(".reported")).to_contain_text("Framme")
    assert _stored(at_the_door) == ["arrived"]

    uteblev = stop.get_by_role("button", name="Uteblev", exact=False)
    expect(uteblev).to_be_enabled()
    name = stop.locator("h3").inner_text().split("Hämta ", 1)[1]  # "10:03 Hämta Hans"
    question = page.locator("#fraga-rapport")
    asked = f"Rapportera att {name} uteblev?"

    # Enter asks; Avbryt (focused first: the question guards a fee) sends nothing.
    uteblev.focus()
    page.keyboard.press("Enter")
    expect(question).to_be_visible()
    expect(question.get_by_role("heading")).to_have_text(asked)
    expect(question.get_by_role("button", name="Avbryt")).to_be_focused()
    assert_no_axe_violations(page)
    screenshot(page, "driver-uteblev-fraga")
    page.keyboard.press("Enter")
    expect(question).to_be_hidden()
    expect(uteblev).to_be_focused()
    # Esc says no too.
    page.keyboard.press("Enter")
    expect(question).to_be_visible()
    page.keyboard.press("Escape")
    expect(question).to_be_hidden()
    expect(uteblev).to_be_focused()
    expect(page.locator("#ko li")).to_have_count(0)
    assert _stored(at_the_door) == ["arrived"]

    # Ja, reached with the keyboard: sent; the stop leaves the list and the next stop's
    # heading has the focus (not <body>).
    page.keyboard.press("Enter")
    expect(question).to_be_visible()
    page.keyboard.press("Shift+Tab")
    expect(question.get_by_role("button", name="Ja")).to_be_focused()
    page.keyboard.press("Enter")
    expect(question).to_be_hidden()
    expect(stop).to_have_count(0)
    expect(page.locator(f"#stopp-{at_the_door.next_id} h3")).to_be_focused()
    expect(page.locator("#avvisade li")).to_have_count(0)
    assert _stored(at_the_door) == ["arrived", "no_show"]
    assert native == [], "the page asks, not the browser"
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()
