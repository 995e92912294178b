"""The booking desk's public-transport check in a real browser: an operator books a
sjukresa for Anna, who lives on Storgatan in Östersund beside the town buses, and before
booking sees under Kollektivtrafik the buses that take her to Östersunds sjukhus and back,
with the mode and the fee that follow (public transport, 0 kr) and no pickup to wait for;
the receipt read to her names the bus, and the booking stored goes by public transport.
The page passes axe-core with nothing serious or critical.

The server runs on its own small world on the demo feed (SAMFARD_GTFS unset) with a fixed
clock, so the journey and the booking rules are the same whenever the test runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from browser_harness import (
    PASSWORD,
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    login,
    reader_engine,
    screenshot,
    serve,
)
from playwright.sync_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.booking.models import Booking
from samfard.clock import FixedClock
from samfard.db import make_engine, upgrade
from samfard.geo.gtfs.store import planner_for
from samfard.reference import load_reference_data
from samfard.timeutil import STOCKHOLM
from samfard.travellers.schemas import Address, TravellerCreate
from samfard.travellers.service import register_traveller

pytestmark = pytest.mark.browser

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=STOCKHOLM)  # a Friday
VISIT = date(2026, 11, 25)  # the Wednesday after
REFERENCE = re.compile(r"SF-[A-Z2-9]{8}")


def _world(url: str) -> int:
    """Migrate; an operator and Anna at Storgatan 1, Östersund (no certificate, no decision,
    no permit); Anna's id."""
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference_data(session=session)
        create_user(session=session, username="operator", password=PASSWORD,
                    role=Role.OPERATOR, now=NOW, principal_codes=["*"])  # fmt: skip
        registrar = Actor(user_id=None, username="test", role=Role.OPERATOR,
                          principal_codes=frozenset({"23"}))  # fmt: skip
        anna = register_traveller(
            session=session,
            actor=registrar,
            now=NOW,
            data=TravellerCreate(
                personal_number="19121212-1212",
                first_name="Anna",
                last_name="Testsson",
                address=Address(
                    street="Storgatan 1",
                    postal_code="831 30",
                    city="Östersund",
                    municipality_code="2380",
                    lat=63.1767,
                    lon=14.6361,
                ),  # fmt: skip
            ),
        )
        anna_id = anna.id
    engine.dispose()
    return anna_id


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, int]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('kollektiv') / 'samfard.sqlite3'}"
    anna = _world(url)
    planner_for(None).day(VISIT)  # the feed read and the day laid out before the pages ask
    for server in serve(url, VISIT, clock=FixedClock(NOW)):
        yield server, anna


def test_the_desk_shows_the_bus_before_booking_and_books_public_transport(
    desk: tuple[LiveServer, int], browser: Browser
) -> None:
    server, anna = desk
    page = login(browser, server, "operator")
    errors = ConsoleErrors(page)
    page.goto(server.url(f"/bokning?resenar={anna}"))
    page.get_by_label("Till").fill("Östersunds sjukhus")
    page.get_by_role("option", name=re.compile("Östersunds sjukhus")).first.click()
    page.get_by_label("Tid för besök").fill(f"{VISIT.isoformat()} 10:00")
    page.get_by_label("Syfte").select_option("treatment")
    page.get_by_label("Boka även returresa").check()
    page.get_by_label("Retur, hämtas klockan").fill("13:00")
    page.get_by_role("button", name="Visa bedömning").click()

    preview = page.locator("#forhandsvisning")
    facts = preview.locator("dl.facts")
    transit = facts.locator("dt:text-is('Kollektivtrafik') + dd")
    expect(transit).to_have_text(
        "Kan resa kollektivt: utresa: buss 1 09:46–09:50, direkt (dörr till dörr 09:46–09:50, "
        "4 min mot bilens 4 min, 0 m gång); retur: buss 1 13:00–13:05, direkt (dörr till dörr "
        "13:00–13:05, 5 min mot bilens 4 min, 0 m gång)"
    )
    assert "Beviljas enligt reglerna" in preview.inner_text()
    assert facts.locator("dt:text-is('Färdsätt') + dd").inner_text() == "buss eller tåg"
    assert facts.locator("dt:text-is('Egenavgift') + dd").inner_text() == "0,00 kr"
    outward = facts.locator("dt:text-is('Utresa') + dd").inner_text()
    assert (
        outward == "onsdag 25 november 2026 kl. 10:00; reser med buss eller tåg, ingen hämtning"
    ), outward
    assert "hämtningsfönst" not in preview.inner_text(), "a bus trip is never planned"
    assert_no_axe_violations(page)
    screenshot(page, "bokning-kollektivtrafik")

    page.get_by_role("button", name="Boka", exact=True).click()
    receipt = page.locator("#kvitto")
    receipt.wait_for()
    found = REFERENCE.search(receipt.inner_text())
    assert found, receipt.inner_text()
    expect(receipt).to_contain_text(
        "Ingen bil hämtar: resan görs med buss eller tåg. Kan resa kollektivt: utresa: buss 1 "
        "09:46–09:50, direkt"
    )
    assert "Hämtningstiden meddelas" not in receipt.inner_text()
    engine = reader_engine(server.database_url)
    with Session(engine) as session:
        booking = session.scalars(select(Booking).where(Booking.reference == found.group())).one()
        assert booking.traveller_id == anna and booking.mode == "public_transport"
        assert booking.status == "approved" and (booking.decision or {}).get("fee_ore") == 0
    engine.dispose()
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()
