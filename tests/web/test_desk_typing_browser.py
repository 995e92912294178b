"""The booking desk while the operator types, in Chromium: the preview follows a time as it
is typed (it kept the old return time until focus left the field), a companion count is a
text field that keeps "1,5" as typed and refuses it at the field (a number field made it
15), and a trip between two streets of the traveller's own town is booked with a note
that both lie at the town's point (it was refused as one that starts where it ends).
axe-core and the console are checked on each."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    login,
    reader_engine,
    screenshot,
    served_session,
)
from playwright.sync_api import Browser, Page, Request, expect
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_booking_desk_browser import by_bus, desk_on, receipt_reference

from samfard.access.actor import SYSTEM
from samfard.geo.models import Place
from samfard.travellers import credentials
from samfard.travellers import service as traveller_service
from samfard.travellers.models import PermitKind
from samfard.travellers.schemas import Address, PermitCreate, TravellerCreate

pytestmark = pytest.mark.browser
PREVIEW = "/bokning/forhandsgranska"


@pytest.fixture(scope="module")
def db(live_server: LiveServer) -> Iterator[Session]:
    engine = reader_engine(live_server.database_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def previews(page: Page) -> list[str]:
    """The preview requests the page sends from now on (their URLs, as sent)."""
    sent: list[str] = []

    def seen(request: Request) -> None:
        if request.url.endswith(PREVIEW):
            sent.append(request.url)

    page.on("request", seen)
    return sent


def test_the_preview_follows_a_time_as_it_is_typed(
    live_server: LiveServer, browser: Browser, db: Session
) -> None:
    """Typing a new return time updates "Före bokning" shortly after the typing stops,
    the focus staying in the field, with one request for the whole time and not one per
    key (the delay restarts with each key)."""
    page, errors = desk_on(browser, live_server, by_bus(db)[0])
    page.get_by_label("Till").fill("Östersunds sjukhus")
    page.get_by_label("Tid för besök").fill("10:00")
    page.get_by_label("Boka även returresa").check()
    back = page.get_by_label("Retur, hämtas klockan")
    back.focus()
    page.keyboard.type("12:00", delay=60)
    retur = page.locator("#forhandsvisning dt:text-is('Retur') + dd")
    expect(retur).to_contain_text("12:00")
    time.sleep(1)  # whatever was on its way has come
    sent = previews(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("15:00", delay=60)
    expect(retur).to_contain_text("15:00", timeout=5_000)
    expect(back).to_be_focused()
    time.sleep(1)
    assert 1 <= len(sent) <= 2, f"{len(sent)} previews for five keys: one is expected"
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()


def test_a_companion_count_is_typed_as_text_and_one_and_a_half_is_refused(
    live_server: LiveServer, browser: Browser, db: Session
) -> None:
    """Ledsagare "1,5" stays "1,5" (Chromium's number field made it 15) and is refused at
    the field, in a new booking and in a coming trip's "Ändra"."""
    page, errors = desk_on(browser, live_server, by_bus(db)[0])
    page.get_by_label("Till").fill("Östersunds sjukhus")
    page.get_by_label("Tid för besök").fill("16:00")
    escorts = page.locator("#ledsagare")  # the new booking's (a coming trip has its own)
    escorts.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("1,5")
    assert escorts.input_value() == "1,5"
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Ange ett heltal från 0 till 2")
    assert escorts.input_value() == "1,5", "the form kept as typed"
    summary.get_by_role("link", name=re.compile("heltal")).click()
    expect(escorts).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    page.keyboard.press("Enter")
    reference = receipt_reference(page)
    row = page.locator(f"tr[data-ref='{reference}']")
    row.get_by_text("Ändra eller avbeställ").click()
    changed = row.get_by_label("Ledsagare")
    changed.fill("")
    changed.type("1,5")
    assert changed.input_value() == "1,5"
    row.get_by_role("button", name="Spara ändringar").click()
    row = page.locator(f"tr[data-ref='{reference}']")
    expect(row.locator(".error-summary")).to_contain_text("Ange ett heltal från 0 till 2")
    assert row.get_by_label("Ledsagare").input_value() == "1,5"
    assert_no_axe_violations(page)
    screenshot(page, "bokning-heltal")
    errors.assert_none()
    page.context.close()


def enrol_in_town(server: LiveServer) -> int:
    """Gunnel, at home on a street of Östersund registered without coordinates (placed at
    the town's point, as the register places such a home), with a färdtjänst permit."""
    with served_session(server) as session:
        town = session.scalars(select(Place).where(Place.key == "ostersund")).one()
        now = datetime.now(UTC)
        traveller, _ = traveller_service.enrol_traveller(
            session=session,
            actor=SYSTEM,
            now=now,
            synthetic=True,
            data=TravellerCreate(
                personal_number="19410612-2007",
                first_name="Gunnel",
                last_name="Stadsbo (syntetisk)",
                address=Address(street="Storgatan 12", postal_code="831 30", city="Östersund",
                                municipality_code="2380", lat=town.lat, lon=town.lon),
            ),
        )  # fmt: skip
        credentials.add_permit(
            session=session,
            traveller_id=traveller.id,
            actor=SYSTEM,
            now=now,
            data=PermitCreate(
                kind=PermitKind.FARDTJANST,
                principal="2380",
                valid_from=server.day - timedelta(days=30),
                valid_until=server.day + timedelta(days=300),
            ),
        )
        return traveller.id


def test_a_street_in_the_travellers_own_town_is_booked_with_a_note(
    live_server: LiveServer, browser: Browser
) -> None:
    gunnel = enrol_in_town(live_server)
    page = login(browser, live_server, "operator")
    errors = ConsoleErrors(page)
    page.goto(live_server.url(f"/bokning?resenar={gunnel}"))
    page.get_by_label("Tjänst").select_option("fardtjanst")
    page.get_by_label("Till").fill("Kyrkgatan 20, Östersund")
    page.get_by_label("Hämtningstid").fill("14:00")
    preview = page.locator("#forhandsvisning")
    expect(preview).to_contain_text("Beviljas enligt reglerna")
    expect(preview.locator("[data-place-note]")).to_contain_text(
        "Från och Till ligger på samma punkt på kartan, vid Östersund"
    )
    assert "Resan börjar där den slutar" not in preview.inner_text()
    assert_no_axe_violations(page)
    screenshot(page, "bokning-samma-ort")
    page.get_by_role("button", name="Boka", exact=True).click()
    receipt_reference(page)
    expect(page.locator("#kvitto [data-place-note]")).to_contain_text("vid Östersund")
    errors.assert_none()
    page.context.close()
