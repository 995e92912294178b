"""Focus after an error, in Chromium: Dagens resor's Datum typed as on the other day
pickers ("7/12"), and one it cannot read said at the field; Mina resor's login at phone
width, where "123" went straight to "Skriv koden från SMS:et" and an empty submit left
the focus on <body>. Each error now comes in an error summary that takes the focus, the
field marked and the typed text kept; axe-core finds no serious or critical violation."""

from __future__ import annotations

import re

import pytest
from browser_harness import ConsoleErrors, LiveServer, assert_no_axe_violations, login, new_page
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}}
READ_AS = "Skriv datumet som ÅÅÅÅ-MM-DD, eller dag och månad som 3/12"


def test_the_day_lists_date_is_typed_and_a_wrong_one_is_said_at_the_field(
    live_server: LiveServer, browser: Browser
) -> None:
    page = login(browser, live_server, "operator")
    errors = ConsoleErrors(page)
    page.goto(live_server.url(f"/?date={live_server.day.isoformat()}"))
    field = page.get_by_label("Datum")
    field.fill("2026-12-8")
    field.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(READ_AS)
    expect(page.locator("#date-error")).to_contain_text(READ_AS)
    expect(field).to_have_value("2026-12-8")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page)
    day = live_server.day
    field.fill(f"{day.day}/{day.month}")
    field.press("Enter")
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.get_by_label("Datum")).to_have_value(day.isoformat())
    expect(page.locator("table.bookings tbody tr[data-ref]").first).to_be_visible()
    errors.assert_none()
    page.context.close()


def test_mina_resor_login_says_what_is_wrong_and_moves_the_focus_there(
    live_server: LiveServer, browser: Browser
) -> None:
    page = new_page(browser, **PHONE)
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/mina-resor/logga-in"))
    page.get_by_role("button", name="Skicka kod").click()  # nothing typed
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Skriv ditt personnummer")
    field = page.get_by_label("Ditt personnummer")
    field.fill("123")
    field.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in på Mina resor")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#personnummer-error")).to_contain_text(
        re.compile("Skriv personnumret med 10 eller 12 siffror")
    )
    expect(page.get_by_label("Ditt personnummer")).to_have_value("123")
    assert_no_axe_violations(page)
    page.get_by_label("Ditt personnummer").fill("19121212-1213")  # a typing error
    page.get_by_label("Ditt personnummer").press("Enter")
    expect(page.locator(".error-summary")).to_contain_text("fel kontrollsiffra")
    page.get_by_label("Ditt personnummer").fill("19800101-0001")  # well formed, no account
    page.get_by_label("Ditt personnummer").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv koden från SMS:et")
    expect(page.get_by_label("Kod (6 siffror)")).to_be_focused()
    errors.assert_none()
    page.context.close()
