"""The goods desk /gods in a real browser: the operator books a parcel with the keyboard
through the labelled fields, reads back the reference and price, sees a refusal in
Swedish tied to its field, sees the parcel planned at once (the served day has a plan, so
it goes straight into it) and cancels, after a question; axe-core finds no serious or
critical violation and no console error. The screenshot goes to docs/screenshots/gods.png.
An aid's recipient is searched for by name and picked with the arrows and Enter, as at
the booking desk (screenshot gods-mottagare.png)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    Questions,
    assert_no_axe_violations,
    login,
    reader_engine,
    screenshot,
)
from playwright.sync_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.goods.price_store import demo_price_lists, store_price_list
from samfard.travellers.models import Traveller

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def with_prices(live_server: LiveServer) -> Iterator[LiveServer]:
    """The served database with the demo goods price lists."""
    engine = reader_engine(live_server.database_url)
    with Session(engine) as session:
        for price_list in demo_price_lists():
            store_price_list(session, price_list)
        session.commit()
    engine.dispose()
    yield live_server


def test_an_operator_books_and_cancels_goods_with_the_keyboard(
    with_prices: LiveServer, browser: Browser
) -> None:
    page = login(browser, with_prices, "operator")
    errors = ConsoleErrors(page)
    day = with_prices.day.isoformat()
    page.goto(with_prices.url(f"/gods?datum={day}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gods")
    assert_no_axe_violations(page)
    page.get_by_label("Beställande huvudman").select_option("23")
    page.get_by_label("Slag av gods").select_option("parcel")
    page.get_by_label("Antal kolli").fill("2")
    page.get_by_label("Beskrivning").fill("Provrör")
    page.get_by_label("Hämtas vid").select_option(label="Östersunds sjukhus, Östersund")
    page.get_by_label("Lämnas vid").select_option(label="Strömsund, Strömsund")
    page.get_by_label("Hämtas senast").fill("07:00")  # before "tidigast": refused
    page.get_by_label("Hämtas senast").press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Hämtningens sista tid ligger före dess första")
    assert_no_axe_violations(page)
    page.get_by_label("Hämtas senast").fill("10:00")
    page.get_by_role("button", name="Boka gods").click()
    done = page.get_by_role("status").filter(has_text="bokad, pris")
    expect(done).to_contain_text("bokad, pris 95,00 kr")
    row = page.get_by_role("row").filter(has_text="Bussgods: Provrör")
    expect(row).to_contain_text("95,00 kr")
    expect(row).to_contain_text("Planerad")  # inserted live into the day's plan
    assert_no_axe_violations(page)
    screenshot(page, "gods")
    # Avboka asks first, on the page: no, and nothing happens, focus back on Avboka; yes,
    # and what was done takes focus.
    questions = Questions(page)
    avboka = row.get_by_role("button", name="Avboka")
    avboka.press("Enter")
    assert questions.answer(yes=False).startswith("Avboka godset ")
    expect(avboka).to_be_focused()
    expect(row).to_contain_text("Planerad")
    avboka.press("Enter")
    assert_no_axe_violations(page)  # the question open
    screenshot(page, "gods-avboka-fraga")
    assert questions.answer(yes=True).endswith("Det går inte att ångra.")
    cancelled = page.get_by_role("status").filter(has_text="avbokad")
    expect(cancelled).to_be_visible()
    expect(cancelled).to_be_focused()
    expect(page.get_by_role("row").filter(has_text="Bussgods: Provrör")).to_contain_text("Avbokad")
    errors.assert_none()
    page.context.close()


def test_an_aids_recipient_is_searched_and_picked_with_the_keyboard(
    with_prices: LiveServer, browser: Browser
) -> None:
    """Mottagare is the booking desk's search: a name typed surname first lists the
    traveller, ↓ and Enter pick them ("Vald: …"), and the aid is booked for them."""
    engine = reader_engine(with_prices.database_url)
    with Session(engine) as session:
        traveller = session.scalars(
            select(Traveller)
            .where(Traveller.protected_identity.is_(False), Traveller.municipality_code == "2380")
            .order_by(Traveller.id)
        ).first()
        assert traveller is not None, "the demo day has travellers of Östersund"
        name = f"{traveller.first_name} {traveller.last_name}"
        typed = f"{traveller.last_name} {traveller.first_name}"
    engine.dispose()
    page = login(browser, with_prices, "operator")
    errors = ConsoleErrors(page)
    page.goto(with_prices.url(f"/gods?datum={with_prices.day.isoformat()}"))
    page.get_by_label("Beställande huvudman").select_option("23")
    page.get_by_label("Slag av gods").select_option("aid")
    page.get_by_label("Antal kolli").fill("1")
    page.get_by_label("Beskrivning").fill("Rollator")
    recipient = page.get_by_role("combobox", name="Mottagare")
    recipient.press_sequentially(typed, delay=20)
    option = page.get_by_role("option").filter(has_text=name).first
    expect(option).to_be_visible()
    expect(recipient).to_have_attribute("aria-expanded", "true")
    assert_no_axe_violations(page)
    screenshot(page, "gods-mottagare")
    recipient.press("ArrowDown")
    recipient.press("Enter")
    expect(recipient).to_have_value(name)
    expect(page.get_by_role("status").filter(has_text="Vald:")).to_have_text(f"Vald: {name}")
    recipient.press("Tab")
    expect(page.get_by_label("Hämtas vid")).to_be_focused()
    page.get_by_label("Hämtas vid").select_option(label="Östersunds sjukhus, Östersund")
    page.get_by_label("Lämnas vid").select_option(label="Mottagarens hem")
    page.get_by_role("button", name="Boka gods").click()
    expect(page.get_by_role("status").filter(has_text="bokad, pris")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Hjälpmedel: Rollator")
    expect(row).to_contain_text(f"till {name}")
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()
