"""The assessor's queue with the keyboard alone (Debian's Chromium): an opened case, and the
next case after a decision, take focus at the case's heading, so the decision is a Tab away
however long the queue is; a skip link passes the queue list. A walk-through took 38 Tabs
from loading a case to Bevilja with 22 cases waiting, and more with every case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    login,
    served_session,
)
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from helpers import ANNA_FAR_FROM_A_LINE
from samfard.access.actor import SYSTEM
from samfard.booking import service as booking_service
from samfard.booking.schemas import (
    BookingCreate,
    Channel,
    LegCreate,
    Location,
    SeriesCreate,
    SeriesLeg,
    Weekday,
)
from samfard.booking.series import create_series
from samfard.geo.models import Place
from samfard.timeutil import local
from samfard.travellers import service as traveller_service
from samfard.travellers.models import Traveller
from samfard.travellers.schemas import TravellerCreate

pytestmark = pytest.mark.browser

# A traveller of this test alone, far from any stop: her taxi waits for an assessor.
BRITA = {**ANNA_FAR_FROM_A_LINE, "personal_number": "19400404-1234", "first_name": "Brita"}
ENOUGH_TABS = 80


def _brita(server: LiveServer) -> int:
    """Brita's id, registered on first use (the served world lives for the session)."""
    with served_session(server) as session:
        known = session.scalars(
            select(Traveller).where(Traveller.personal_number == "194004041234")
        ).first()
        if known is not None:
            return known.id
        traveller, _ = traveller_service.enrol_traveller(
            session=session,
            actor=SYSTEM,
            now=datetime.now(UTC),
            synthetic=True,
            data=TravellerCreate.model_validate(BRITA),
        )
        return traveller.id


def _book_cases(server: LiveServer, count: int) -> None:
    """`count` taxi trips of Region Jämtland Härjedalen that wait in the assessor's queue,
    booked through the services as the desk would."""
    traveller = _brita(server)
    with served_session(server) as session:
        hospital = session.scalars(select(Place).where(Place.name == "Östersunds sjukhus")).one()
        for hour in range(8, 8 + count):
            booking, _ = booking_service.create_booking(
                session=session,
                actor=SYSTEM,
                now=datetime.now(UTC),
                data=BookingCreate(
                    traveller_id=traveller,
                    service="sjukresa",
                    principal="23",
                    purpose="treatment",
                    legs=[
                        LegCreate(
                            origin=Location(home=True),
                            destination=Location(place_id=hospital.id),
                            appointment_at=local(server.day, clock_time(hour)),
                        )
                    ],
                    channel=Channel.PHONE,
                ),
            )
            assert (booking.decision or {}).get("outcome") == "needs_assessor", booking.decision


def _tabs_to(page: Page, selector: str) -> int:
    """Tabs pressed from where focus is until `selector` has it."""
    for count in range(1, ENOUGH_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return count
    return ENOUGH_TABS + 1


def _queue_length(page: Page) -> int:
    return page.locator(".queue-list li").count()


def test_a_case_opens_with_focus_on_it_and_the_decision_a_tab_away(
    live_server: LiveServer, browser: Browser
) -> None:
    _book_cases(live_server, 3)
    page = login(browser, live_server, "assessor")
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/bedomning"))
    expect(page.locator("#case-title")).to_be_focused()
    shorter = _queue_length(page)
    assert _tabs_to(page, "#beslut-bevilja") == 1, "the heading, then the decision"
    assert_no_axe_violations(page)

    _book_cases(live_server, 5)
    page.goto(live_server.url("/bedomning"))
    assert _queue_length(page) == shorter + 5
    expect(page.locator("#case-title")).to_be_focused()
    assert _tabs_to(page, "#beslut-bevilja") == 1, "as many keys with a longer queue"

    # A case chosen from the list (the last one): focus on it again.
    page.locator(".queue-list a").last.focus()
    reference = page.locator(".queue-list a .ref").last.inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("#case-title")).to_have_text(f"Ärende {reference}")
    expect(page.locator("#case-title")).to_be_focused()

    # Decide with the keyboard: the next case opens with focus on it, the saved decision
    # as the heading's description.
    assert _tabs_to(page, "#beslut-bevilja") == 1
    page.keyboard.press("Space")
    assert _tabs_to(page, "#motivering") == 1
    page.keyboard.type("Kan inte åka buss efter behandlingen")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(reference)
    expect(page.locator("#case-title")).to_be_focused()
    expect(page.locator("#case-title")).to_have_attribute("aria-describedby", "decided-note")
    assert reference not in page.locator("#case-title").inner_text()
    assert _tabs_to(page, "#beslut-bevilja") == 1
    assert_no_axe_violations(page)

    # From the top of the content, a skip link passes the queue list.
    page.locator("main").focus()
    assert _tabs_to(page, "a[href='#case-title']") <= 3, "before the queue's first case"
    expect(page.locator("a[href='#case-title']")).to_have_text("Hoppa förbi kön till ärendet")
    page.keyboard.press("Enter")
    expect(page.locator("#case-title")).to_be_focused()
    assert _tabs_to(page, "#beslut-bevilja") == 1
    errors.assert_none()
    page.context.close()


def test_a_form_with_problems_keeps_focus_on_its_summary(
    live_server: LiveServer, browser: Browser
) -> None:
    """The case's focus never takes the place of the error summary's."""
    _book_cases(live_server, 1)
    page = login(browser, live_server, "assessor")
    page.goto(live_server.url("/bedomning"))
    page.get_by_role("button", name="Spara beslut").press("Enter")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    page.context.close()


def test_a_decided_case_shows_its_decision_and_offers_only_reconsideration(
    live_server: LiveServer, browser: Browser
) -> None:
    """Denied with the keyboard, the case opened again shows who denied it and the
    reconsideration form, not the decision form (which answered "ladda om" before)."""
    _book_cases(live_server, 1)
    page = login(browser, live_server, "assessor")
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/bedomning"))
    chosen = page.locator(".queue-list a[aria-current='true']").get_attribute("href")
    assert chosen is not None
    page.locator("#beslut-avsla").check()
    page.locator("#motivering").fill("Bussen går hela vägen")
    page.get_by_role("button", name="Spara beslut").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("avslagen")

    page.goto(live_server.url(chosen))
    expect(page.locator("#case-title")).to_be_focused()
    expect(page.locator("#beslut-status")).to_contain_text("Resan är avslagen av handläggaren")
    assert page.locator("#beslut-bevilja").count() == 0, "no decision form"
    expect(page.get_by_label("Motivering till omprövningen")).to_be_visible()
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()


def test_the_letter_of_the_chosen_decision_is_previewed_with_the_keyboard(
    live_server: LiveServer, browser: Browser
) -> None:
    """Avslå and a motivering, then Förhandsvisa: the denial letter under the form, focus
    on its heading, the form keeping the choice; nothing saved."""
    _book_cases(live_server, 1)
    page = login(browser, live_server, "assessor")
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/bedomning"))
    waiting = _queue_length(page)
    assert _tabs_to(page, "#beslut-bevilja") == 1
    page.keyboard.press("ArrowDown")  # to Avslå
    assert _tabs_to(page, "#motivering") == 1
    page.keyboard.type("Bussen går hela vägen")
    assert _tabs_to(page, "button[formaction$='/forhandsvisa']") == 2, "after Spara beslut"
    page.keyboard.press("Enter")
    expect(page.locator("#preview-title")).to_be_focused()
    expect(page.locator("#preview-title")).to_have_text(
        "Förhandsvisning av beslutsbrevet vid avslag"
    )
    letter = page.locator(".letter-preview .letter")
    expect(letter).to_contain_text("Din ansökan om resa har avslagits.")
    expect(letter).to_contain_text("Handläggarens motivering: Bussen går hela vägen")
    expect(page.locator("#beslut-avsla")).to_be_checked()
    expect(page.locator("#motivering")).to_have_value("Bussen går hela vägen")
    assert _queue_length(page) == waiting, "nothing decided"
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()


def _book_series(server: LiveServer) -> list[int]:
    """A dialysis series of Brita's, Monday, Wednesday and Friday for two weeks from the
    served day: each trip waits for an assessor."""
    traveller = _brita(server)
    with served_session(server) as session:
        hospital = session.scalars(select(Place).where(Place.name == "Östersunds sjukhus")).one()
        _, bookings = create_series(
            session=session,
            actor=SYSTEM,
            now=datetime.now(UTC),
            data=SeriesCreate(
                traveller_id=traveller,
                service="sjukresa",
                principal="23",
                purpose="dialysis",
                weekdays=[Weekday("mon"), Weekday("wed"), Weekday("fri")],
                start_date=server.day,
                end_date=server.day + timedelta(days=13),
                legs=[
                    SeriesLeg(
                        origin=Location(home=True),
                        destination=Location(place_id=hospital.id),
                        appointment_time=clock_time(7, 30),
                    )
                ],
            ),
        )
        return [b.id for b in bookings]


def test_a_series_is_marked_and_decided_alike_with_the_keyboard(
    live_server: LiveServer, browser: Browser
) -> None:
    ids = _book_series(live_server)
    page = login(browser, live_server, "assessor")
    errors = ConsoleErrors(page)
    page.goto(live_server.url(f"/bedomning?arende={ids[0]}"))
    expect(page.locator(".series-note")).to_contain_text(f"Del av serie: {len(ids)} resor")
    expect(page.locator(f".queue-list a[href$='arende={ids[1]}'] .series")).to_contain_text(
        "Del av serie"
    )
    assert_no_axe_violations(page)
    expect(page.locator("#case-title")).to_be_focused()
    assert _tabs_to(page, "#beslut-bevilja") == 1
    page.keyboard.press("Space")
    assert _tabs_to(page, "#motivering") == 1
    page.keyboard.type("Dialys, orkar inte buss")
    assert _tabs_to(page, "#hela-serien") == 1, "the series' choice after the motivering"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"och {len(ids) - 1} andra resor i serien")
    for booking_id in ids:
        assert page.locator(f".queue-list a[href$='arende={booking_id}']").count() == 0
    errors.assert_none()
    page.context.close()
