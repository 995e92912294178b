"""Focus after every action on /intyg, /kvalitet and /resenarer, in Chromium: revoking
asks first (focus on the question), an empty reason focuses the error summary, what was
done is focused as a status; Besluta without an outcome is the page's error (no browser
bubble), Befogad asks first with the penalty; /kvalitet fits a 390 px phone. axe-core
finds no serious or critical violation on any of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from browser_harness import (
    PASSWORD,
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    login,
    served_session,
)
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.service import actor_for_user, create_user
from samfard.dispatch.models import Run, Stop, Vehicle
from samfard.quality import service as quality
from samfard.quality.schemas import DeviationCreate
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Issuer, Traveller

pytestmark = pytest.mark.browser
UNIT = "Sundsvalls sjukhus"


def _nurse_and_patient(server: LiveServer) -> str:
    """A certified nurse of Sundsvalls sjukhus (logs in as `syster-fokus`); returns the
    personnummer of an unprotected patient in Västernorrland's register."""
    today = datetime.now(STOCKHOLM).date()
    with served_session(server) as session:
        create_user(session=session, username="syster-fokus", password=PASSWORD,
                    role=Role.CARE_ISSUER, now=datetime.now(UTC), principal_codes=["22"],
                    care_unit=UNIT)  # fmt: skip
        session.add(
            Issuer(hsa_id="SAMFARD-syster-fokus", name="Syster Fokus", unit=UNIT,
                   principal_code="22", course_passed_on=today - timedelta(days=10),
                   certified_until=today + timedelta(days=300), username="syster-fokus")
        )  # fmt: skip
        session.commit()
        number = session.scalar(
            select(Traveller.personal_number)
            .where(Traveller.municipality_code.like("22%"), Traveller.protected_identity.is_(False))
            .order_by(Traveller.id)
            .limit(1)
        )
    assert number is not None
    return str(number)


def _issue(page: Page, number: str, visit: str, *, confirm: bool = True) -> None:
    page.get_by_label("Patientens personnummer").fill(number)
    page.get_by_label("Tillåtet färdsätt").select_option("taxi")
    page.get_by_label("Giltigt till och med").fill(visit)
    page.get_by_label("Besöksdag").fill(visit)
    page.get_by_label("Medicinskt skäl").fill("kan inte åka buss efter operationen")
    page.get_by_role("button", name="Fortsätt").click()
    if confirm:
        expect(page.get_by_role("heading", name="Kontrollera intyget")).to_be_focused()
        page.get_by_role("button", name="Utfärda intyget").click()


def test_intyg_focus_after_issue_duplicate_and_revocation(
    live_server: LiveServer, browser: Browser
) -> None:
    number = _nurse_and_patient(live_server)
    visit = (datetime.now(STOCKHOLM).date() + timedelta(days=5)).isoformat()
    page = login(browser, live_server, "syster-fokus")
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/intyg"))
    _issue(page, number, visit)
    expect(page.get_by_role("status")).to_be_focused()

    _issue(page, number, visit, confirm=False)  # the same certificate again: refused at once
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Patienten har redan ett likadant giltigt intyg")
    assert_no_axe_violations(page)

    page.goto(live_server.url("/intyg"))
    page.get_by_role("button", name="Återkalla").first.click()
    question = page.get_by_role("heading", name="Återkalla sjukreseintyget för")
    expect(question).to_be_focused()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ja, återkalla intyget").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Skriv varför intyget återkallas")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Skäl att återkalla")).to_be_focused()
    page.get_by_label("Skäl att återkalla").fill("Besöket är inställt")
    page.get_by_role("button", name="Ja, återkalla intyget").click()
    status = page.get_by_role("status")
    expect(status).to_be_focused()
    expect(status).to_contain_text("återkallat")
    errors.assert_none()
    page.context.close()


def _deviation(server: LiveServer, description: str) -> int:
    """A late-vehicle deviation about a trip a procured taxi drives (its contract has
    penalties), reported by the operator through the service after the trip's day."""
    with served_session(server) as session:
        booking_id = session.scalar(
            select(Stop.booking_id)
            .join(Run, Run.id == Stop.run_id)
            .join(Vehicle, Vehicle.id == Run.vehicle_id)
            .where(Vehicle.carrier_name.like("%Taxi%"), Stop.kind == "pickup")
            .order_by(Stop.booking_id)
            .limit(1)
        )
        assert booking_id is not None
        user = session.scalars(select(User).where(User.username == "operator")).one()
        later = datetime.now(UTC) + timedelta(days=3)
        deviation = quality.report_deviation(
            session=session,
            data=DeviationCreate(booking_id=booking_id, kind="late", description=description),
            actor=actor_for_user(user),
            now=later,
        )
        return deviation.id


def test_kvalitet_focus_after_each_step_and_the_penalty_question(
    live_server: LiveServer, browser: Browser
) -> None:
    deviation = _deviation(live_server, "40 min sent")
    page = login(browser, live_server, "operator")
    errors = ConsoleErrors(page)
    page.goto(live_server.url(f"/kvalitet/{deviation}"))
    page.get_by_role("button", name="Starta utredning").click()
    status = page.get_by_role("status")
    expect(status).to_be_focused()
    expect(status).to_contain_text("Utredningen är startad")

    page.get_by_label("Motivering").fill("Sent enligt föraren")
    page.get_by_role("button", name="Besluta", exact=True).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Välj utfall")
    summary.get_by_role("link", name="Välj utfall").click()
    expect(page.locator("#utfall-upheld")).to_be_focused()
    assert_no_axe_violations(page)

    page.locator("#utfall-upheld").check()
    page.get_by_label("Motivering").fill("Sent enligt föraren")
    page.get_by_role("button", name="Besluta", exact=True).click()
    question = page.get_by_role("heading", name="Besluta befogad med vite")
    expect(question).to_be_focused()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ja, besluta befogad").click()
    status = page.get_by_role("status")
    expect(status).to_be_focused()
    expect(status).to_contain_text("Beslutet är sparat")
    errors.assert_none()
    page.context.close()


def test_kvalitet_fits_a_phone(live_server: LiveServer, browser: Browser) -> None:
    deviation = _deviation(live_server, "Bilen kom aldrig, resenären missade behandlingsstarten")
    page = login(browser, live_server, "operator", viewport={"width": 390, "height": 844})
    for path in ("/kvalitet", f"/kvalitet/{deviation}"):
        page.goto(live_server.url(path))
        page.get_by_role("heading", level=1).wait_for()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px phone"
        assert_no_axe_violations(page)
    page.context.close()


def test_resenarer_focus_after_saving_a_permit(live_server: LiveServer, browser: Browser) -> None:
    with served_session(live_server) as session:
        traveller = session.scalar(
            select(Traveller.id).where(Traveller.protected_identity.is_(False)).limit(1)
        )
    page = login(browser, live_server, "operator")
    errors = ConsoleErrors(page)
    page.goto(live_server.url(f"/resenarer/{traveller}"))
    page.get_by_label("Beslutande kommun").select_option(index=0)
    page.get_by_role("button", name="Spara tillstånd").click()
    status = page.get_by_role("status")
    expect(status).to_be_focused()
    expect(status).to_contain_text("Tillståndet är sparat")
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()
