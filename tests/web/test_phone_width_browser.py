"""The pages with tables at phone width (390 px) in a real browser.

A walk-through of a working day (2026-12) found axe-core's serious
`scrollable-region-focusable` on /uppfoljning, /enheter and /admin: a table that scrolls
sideways in its `.table-wrap` could not be scrolled from the keyboard. Every such wrapper
is now a named region that takes focus (as /trafik's timeline is), drawn by
`ui.table_wrap` or, on a page that writes the class itself, given the same by base.html's
script. /gods and / ran 550-660 px wider than the screen: their tables now stack as cards.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

import pytest
from browser_harness import LiveServer, assert_no_axe_violations, login, reader_engine
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.booking.schemas import Location
from samfard.geo.models import Place
from samfard.goods import service as goods
from samfard.goods.price_store import demo_price_lists, store_price_list
from samfard.goods.prices import GoodsKind
from samfard.goods.schemas import ConsignmentCreate
from samfard.timeutil import local

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}}

# Every page with a scrolling table wrapper, and who opens it.
PAGES = [
    ("analyst", "/uppfoljning"),
    ("analyst", "/enheter"),
    ("admin", "/admin"),
    ("operator", "/trafik"),
    ("operator", "/utforare"),
    ("operator", "/gods?datum={goods_day}"),
    ("operator", "/"),
]


def overflow(page: Page) -> int:
    """How many pixels the page runs wider than the screen."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


@pytest.fixture(scope="module")
def with_goods(live_server: LiveServer) -> Iterator[LiveServer]:
    """The served database with the demo goods prices and a parcel two days after the
    served day (a day with no plan, so no run of the other tests changes): the goods list
    ran 550 px wider than a phone only with a consignment in it."""
    engine = reader_engine(live_server.database_url)
    day = live_server.day + timedelta(days=2)
    with Session(engine) as session:
        for price_list in demo_price_lists():
            store_price_list(session, price_list)
        session.commit()
        hospital, town = (
            session.scalars(select(Place.id).where(Place.name == name)).one()
            for name in ("Östersunds sjukhus", "Strömsund")
        )
        goods.create_consignment(
            session=session,
            actor=SYSTEM,
            now=datetime.now(UTC),
            data=ConsignmentCreate(
                principal="23",
                kind=GoodsKind.PARCEL,
                units=2,
                description="Blodprover till laboratoriet",
                pickup=Location(place_id=hospital),
                dropoff=Location(place_id=town),
                pickup_from=local(day, clock_time(8)),
                pickup_until=local(day, clock_time(10)),
                dropoff_from=local(day, clock_time(9)),
                dropoff_until=local(day, clock_time(12)),
            ),
        )
    engine.dispose()
    yield live_server


@pytest.mark.parametrize(("role", "path"), PAGES)
def test_a_page_with_tables_fits_a_phone_and_its_tables_scroll_from_the_keyboard(
    with_goods: LiveServer, browser: Browser, role: str, path: str
) -> None:
    live_server = with_goods
    path = path.format(goods_day=(live_server.day + timedelta(days=2)).isoformat())
    page = login(browser, live_server, role, **PHONE)
    response = page.goto(live_server.url(path))
    assert response is not None and response.status == 200, path
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    assert overflow(page) <= 1, f"{path} is {overflow(page)} px wider than the screen"
    if path.startswith("/gods"):
        expect(page.locator("table.goods")).to_contain_text("Blodprover till laboratoriet")
    # Every wrapper that scrolls is a named region that takes focus, and an arrow key
    # moves it.
    wraps = page.locator(".table-wrap")
    for index in range(wraps.count()):
        wrap = wraps.nth(index)
        assert wrap.get_attribute("tabindex") == "0", path
        assert wrap.get_attribute("role") == "region", path
        assert (wrap.get_attribute("aria-label") or "").strip(), path
    scrolling = [
        wraps.nth(i)
        for i in range(wraps.count())
        if wraps.nth(i).evaluate("e => e.scrollWidth > e.clientWidth + 1")
    ]
    if scrolling:
        wrap = scrolling[0]
        wrap.focus()
        expect(wrap).to_be_focused()
        wrap.press("ArrowRight")
        wrap.press("ArrowRight")
        page.wait_for_function("e => e.scrollLeft > 0", arg=wrap.element_handle())
    page.context.close()
