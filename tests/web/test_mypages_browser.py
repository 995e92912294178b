"""Mina resor and /kvalitet in a real browser (Debian's Chromium), end to end: a traveller
logs in with a code from the outbox using the keyboard alone, books a trip, changes their
mind and cancels it, reports a late vehicle on a planned trip; an operator investigates,
decides and closes it; the carrier's penalty shows in the monthly report and the invoice
basis, and the report shows deviations per 1 000 trips against the target. axe-core finds
no serious or critical violation, the screen reader's view (the accessibility tree) names
every heading and field, and no page logs a console error. Screenshots in docs/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    login,
    new_page,
    reader_engine,
    screenshot,
    serve,
)
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.booking.models import Booking
from samfard.clock import FixedClock
from samfard.costs.service import settle_day
from samfard.dispatch.models import Run, Stop, Vehicle
from samfard.dispatch.store import latest_plan
from samfard.mypages.trips import has_begun
from samfard.reports.targets import set_target
from samfard.timeutil import STOCKHOLM, local
from samfard.travellers.models import Permit, Traveller

pytestmark = pytest.mark.browser
# The pages are seen at noon of the demo day: the morning's trips have been made (a
# deviation is reported only about a trip whose pickup time has come), and a special
# vehicle can still be booked for the next afternoon (a day ahead).
NOON = time(12)


@dataclass(frozen=True)
class Trip:
    personal_number: str
    booking_id: int
    reference: str
    principal: str
    carrier: str
    month: str
    city: str  # the traveller's home town: a trip inside the färdtjänst area


@pytest.fixture(scope="module")
def planned_trip(live_server: LiveServer) -> Iterator[Trip]:
    """A färdtjänst traveller of the demo day whose morning trip rides a procured taxi,
    given a traveller account and a phone; the day settled; a target for deviations per
    1 000."""
    engine = reader_engine(live_server.database_url)
    now = datetime.now(STOCKHOLM)
    with Session(engine) as session:
        plan = latest_plan(session, live_server.day)
        assert plan is not None
        rows = session.execute(
            select(Booking, Vehicle.carrier_name)
            .join(Stop, Stop.booking_id == Booking.id)
            .join(Run, Run.id == Stop.run_id)
            .join(Vehicle, Vehicle.id == Run.vehicle_id)
            .join(Traveller, Traveller.id == Booking.traveller_id)
            .join(Permit, Permit.traveller_id == Traveller.id)
            .where(
                Run.plan_run_id == plan.id,
                Booking.service == "fardtjanst",
                Permit.kind == "fardtjanst",
                Vehicle.carrier_name.like("Demo Taxi%"),
                Traveller.protected_identity.is_(False),
            )
            .order_by(Booking.id)
        ).all()
        morning = local(live_server.day, NOON) - timedelta(hours=1)
        row = next((r for r in rows if has_begun(r[0], morning)), None)
        assert row is not None, "the demo day has a morning färdtjänst trip on a procured taxi"
        booking, carrier = row
        traveller = session.get(Traveller, booking.traveller_id)
        assert traveller is not None
        traveller.phone = traveller.phone or "070-5550101"
        session.commit()
        create_user(session=session, username="resenar", password="browser-test-42",
                    role=Role.TRAVELLER, now=now, traveller_id=traveller.id)  # fmt: skip
        settle_day(session=session, day=live_server.day, actor=SYSTEM, now=now)
        set_target(session=session, actor=SYSTEM, principal=booking.principal_code,
                   year=live_server.day.year, kpi="deviations_per_1000", value="4", now=now,
                   comment="Trafikavtalet: högst 4 per 1 000 resor")  # fmt: skip
        trip = Trip(
            traveller.personal_number,
            booking.id,
            booking.reference,
            booking.principal_code,
            carrier,
            f"{live_server.day.year}-{live_server.day.month:02d}",
            traveller.city,
        )
    engine.dispose()
    yield trip


@pytest.fixture(scope="module")
def noon_server(live_server: LiveServer, planned_trip: Trip) -> Iterator[LiveServer]:
    """The same world served on a clock stopped at noon of the demo day."""
    clock = FixedClock(local(live_server.day, NOON))
    yield from serve(live_server.database_url, live_server.day, clock=clock)


def _check(page: Page, errors: ConsoleErrors, shot: str | None = None) -> None:
    assert_no_axe_violations(page)
    if shot:
        screenshot(page, shot)
    errors.assert_none()


def _focused_name(page: Page) -> str:
    """The accessible name of the focused element, as a screen reader announces it."""
    return str(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return '';
                const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
                return (label || el.getAttribute('aria-label') || el.innerText || el.value
                        || '').trim();
            }"""
        )
    )


def _tab_to(page: Page, name: str, most: int = 80) -> list[str]:
    """Press Tab until the focus is on the element named `name`; every stop on the way
    must have a name (nothing silent to a screen reader). Returns the names passed."""
    seen = []
    for _ in range(most):
        page.keyboard.press("Tab")
        current = _focused_name(page)
        assert current, f"a focus stop without an accessible name after {seen[-3:]}"
        seen.append(current)
        if current.startswith(name):
            return seen
    raise AssertionError(f"Tab never reached {name!r}; passed {seen}")


class SmsGateway(BaseHTTPRequestHandler):
    """A fake SMS gateway: the texts the server sent, newest last (the outbox row forgets a
    login code once it is sent, so the code is read where an SMS arrives)."""

    texts: list[str] = []  # noqa: RUF012

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        SmsGateway.texts.append(str(body["message"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "gw"}')

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture(scope="module")
def sms_gateway() -> Iterator[list[str]]:
    """The server's SMS go to the fake gateway while this module runs."""
    gateway = HTTPServer(("127.0.0.1", 0), SmsGateway)
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    before = os.environ.get("SAMFARD_SMS_URL")
    os.environ["SAMFARD_SMS_URL"] = f"http://127.0.0.1:{gateway.server_address[1]}/sms"
    yield SmsGateway.texts
    if before is None:
        del os.environ["SAMFARD_SMS_URL"]
    else:
        os.environ["SAMFARD_SMS_URL"] = before
    gateway.shutdown()


def _code(texts: list[str]) -> str:
    assert texts, "the login code was sent"
    found = re.search(r"\d{6}", texts[-1])
    assert found
    return found.group()


def _traveller_logs_in_by_keyboard(
    browser: Browser, server: LiveServer, trip: Trip, texts: list[str]
) -> Page:
    page = new_page(browser, viewport={"width": 390, "height": 844})
    errors = ConsoleErrors(page)
    page.goto(server.url("/mina-resor/logga-in"))
    _check(page, errors, "mina-resor-logga-in")
    _tab_to(page, "Ditt personnummer")
    page.keyboard.type(trip.personal_number)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Skriv koden från SMS:et")).to_be_visible()
    _check(page, errors)
    # The code field waits with the focus; the browser applies autofocus at its next
    # rendering step, which can come after the heading is visible, so wait for it.
    expect(page.get_by_label("Kod (6 siffror)")).to_be_focused()
    page.keyboard.type(_code(texts))
    page.keyboard.press("Enter")
    page.wait_for_url(server.url("/mina-resor"))
    return page


def test_a_traveller_books_cancels_and_reports_then_the_centre_closes_it(
    noon_server: LiveServer, browser: Browser, planned_trip: Trip, sms_gateway: list[str]
) -> None:
    page = _traveller_logs_in_by_keyboard(browser, noon_server, planned_trip, sms_gateway)
    errors = ConsoleErrors(page)
    expect(page.get_by_role("heading", name="Mina resor", level=1)).to_be_visible()
    tree = page.locator("main").aria_snapshot()
    for line in ('heading "Kommande resor"', 'heading "Boka resa"', 'textbox "Till"',
                 'group "Vilken resa?"', 'radio "Färdtjänst"', 'button "Boka resan"'):  # fmt: skip
        assert line in tree, f"the screen reader's view lacks {line}:\n{tree}"
    assert planned_trip.reference in tree
    _check(page, errors, "mina-resor")

    # Sent empty, the page comes back with the problems in view and focused, every one named.
    page.get_by_role("button", name="Boka resan").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)  # Till and Tid

    # Book with the keyboard alone: the form's fields in order, Enter on the button.
    passed = _tab_to(page, "Till")
    assert "Färdtjänst" in passed and "Från" in passed
    page.keyboard.type(planned_trip.city)
    _tab_to(page, "Datum")
    page.keyboard.press("Control+a")  # a special vehicle is booked a day ahead
    page.keyboard.type((noon_server.day + timedelta(days=1)).isoformat())
    _tab_to(page, "Tid")
    page.keyboard.type("13:30")
    _tab_to(page, "Boka resan")
    page.keyboard.press("Enter")
    receipt = page.locator("#kvitto")
    expect(receipt).to_contain_text("Resan är bokad")
    expect(receipt).to_be_focused()  # read out at once, not the page from the top
    reference = receipt.locator("[data-reference]").inner_text()
    _check(page, errors, "mina-resor-bokad")

    # Changes their mind: cancel from the list, after a question on its own page, by keyboard.
    card = page.locator("li.trip", has_text=reference)
    link = card.get_by_role("link", name=re.compile("^Avboka resan"))
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Vill du avboka resan?")).to_be_visible()
    _check(page, errors, "mina-resor-avboka")
    _tab_to(page, "Ja, avboka resan")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text(f"Resan {reference} är avbokad")
    expect(page.get_by_role("status").first).to_be_focused()
    expect(page.locator("li.trip", has_text=reference)).to_have_count(0)

    # The vehicle of the planned trip was late: report it (keyboard only, radios by Space).
    planned = page.locator("li.trip", has_text=planned_trip.reference)
    expect(planned).to_contain_text("Bilen kommer mellan")  # the promised window
    planned.get_by_role("link", name=re.compile("^Rapportera avvikelse")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Rapportera avvikelse")).to_be_visible()
    _check(page, errors)
    _tab_to(page, "Skicka")
    page.keyboard.press("Enter")  # nothing chosen: what to fix, linked to the field
    expect(page.locator(".error-summary")).to_contain_text("Välj vad som hände")
    _check(page, errors)
    _tab_to(page, "Bilen kom för sent")
    page.keyboard.press("Space")
    _tab_to(page, "Nej, ingen skada")  # Tab leaves a radio group for the next one
    _tab_to(page, "Berätta vad som hände")
    page.keyboard.type("Bilen kom 35 minuter efter fönstret.")
    _tab_to(page, "Skicka")
    page.keyboard.press("Enter")
    expect(page.locator("#kvitto")).to_be_focused()
    deviation = page.locator("[data-deviation]").inner_text()
    assert deviation.startswith("AV-")
    page.reload()  # the receipt is a page of its own: reading it again files nothing
    expect(page.locator("[data-deviation]")).to_have_text(deviation)
    expect(page.locator("#kvitto")).to_be_focused()
    _check(page, errors, "mina-resor-avvikelse")
    page.close()

    # The operator investigates, decides (upheld: the contract's penalty) and closes.
    desk = login(browser, noon_server, "operator")
    errors = ConsoleErrors(desk)
    desk.goto(noon_server.url("/kvalitet"))
    _check(desk, errors, "kvalitet")
    desk.get_by_role("link", name=deviation).click()
    expect(desk.get_by_role("heading", name=f"Avvikelse {deviation}")).to_be_visible()
    expect(desk.locator("dd", has_text=planned_trip.carrier)).to_be_visible()
    desk.get_by_label("Anteckning", exact=True).fill("Utföraren tillfrågad")
    desk.get_by_role("button", name="Starta utredning").click()
    expect(desk.locator("[data-status]")).to_have_text("Utreds")
    desk.get_by_label("Befogad (utförarens ansvar)").check()
    desk.get_by_label("Motivering").fill("Hämtningen låg 35 minuter efter fönstret.")
    desk.get_by_role("button", name="Besluta").click()
    # Befogad charges the penalty: asked first, with the amount (focus on the question).
    expect(desk.get_by_role("heading", name="Besluta befogad med vite 500,00 kr?")).to_be_focused()
    desk.get_by_role("button", name="Ja, besluta befogad").click()
    expect(desk.get_by_role("status")).to_be_focused()
    expect(desk.locator("[data-penalty]")).to_contain_text("500,00")
    desk.get_by_role("button", name="Avsluta ärendet").click()
    expect(desk.locator("[data-status]")).to_have_text("Avslutad")
    _check(desk, errors, "kvalitet-avvikelse")

    # Settlement and follow-up: the penalty, and deviations per 1 000 against the target.
    analyst = login(browser, noon_server, "analyst")
    errors = ConsoleErrors(analyst)
    analyst.goto(
        noon_server.url(
            f"/uppfoljning?manad={planned_trip.month}&huvudman={planned_trip.principal}"
        )
    )
    quality = analyst.locator("#kvalitet")
    expect(quality).to_be_visible()
    kpi = analyst.locator("table.kpis tr", has_text="Avvikelser per 1 000 resor")
    expect(kpi).to_contain_text("4")  # the target
    expect(kpi).to_contain_text("Trafikavtalet: högst 4 per 1 000 resor")
    expect(analyst.get_by_text(re.compile(r"Viten från utförarna: 500,00"))).to_be_visible()
    expect(
        analyst.locator("table", has_text="Avvikelser per utförare").locator(
            "tr", has_text=planned_trip.carrier
        )
    ).to_contain_text("500,00")
    _check(analyst, errors, "uppfoljning-kvalitet")
    invoice = analyst.request.get(
        noon_server.url("/api/v1/reports/invoice-basis"),
        params={"carrier": planned_trip.carrier, "month": planned_trip.month, "format": "csv"},
    )
    assert invoice.ok, invoice.text()
    assert f"VITE {deviation}" in invoice.text() and "ATT BETALA" in invoice.text()
