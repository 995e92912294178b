"""/admin in Chromium: a new care account's problems are all listed at once, each a link
that takes the focus to its field, and the care unit is chosen from the list by keyboard;
axe-core finds no serious or critical violation on the page with the errors."""

from __future__ import annotations

import pytest
from browser_harness import PASSWORD, ConsoleErrors, LiveServer, assert_no_axe_violations, login
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


def test_every_problem_is_listed_and_the_unit_is_chosen_by_keyboard(
    live_server: LiveServer, browser: Browser
) -> None:
    page = login(browser, live_server, "admin")
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/admin"))
    page.get_by_label("Användarnamn", exact=True).fill("syster-ny")
    page.get_by_label("Startlösenord", exact=True).fill("kort")
    page.get_by_label("Roll", exact=True).last.select_option("care_issuer")
    page.get_by_label("Huvudmän").last.fill("99")
    page.get_by_role("button", name="Skapa konto").press("Enter")
    summary = page.locator(".error-summary li a")
    expect(summary).to_have_count(3)  # password, principal, unit: all at once
    assert_no_axe_violations(page)
    summary.last.press("Enter")
    unit = page.locator("#vardenhet")
    expect(unit).to_be_focused()  # the link takes the keyboard to the list

    page.get_by_label("Startlösenord", exact=True).fill(PASSWORD)
    page.get_by_label("Huvudmän").last.fill("22")
    unit.focus()
    unit.select_option("Sundsvalls sjukhus")
    page.get_by_role("button", name="Skapa konto").press("Enter")
    expect(page.get_by_role("status")).to_have_text("Kontot syster-ny är skapat.")
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()
