"""The keyboard walk-through of /login and /admin in Chromium that found the page's
English bubbles, the lost focus and the deactivation without a question: each step now
answers in Swedish on the page and puts the focus on what it says. axe-core finds no
serious or critical violation on the pages as they are left."""

from __future__ import annotations

from datetime import datetime

import pytest
from browser_harness import (
    PASSWORD,
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    login,
    new_page,
    served_session,
)
from playwright.sync_api import Browser, expect

from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.browser


def test_the_login_page_starts_in_the_username_and_keeps_the_focus_on_its_answer(
    live_server: LiveServer, browser: Browser
) -> None:
    with served_session(live_server) as session:
        create_user(session=session, username="focus-walker", password=PASSWORD,
                    role=Role.OPERATOR, now=datetime.now(STOCKHOLM),
                    principal_codes=["23"])  # fmt: skip
    page = new_page(browser)
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/login"))
    expect(page.locator("[name=username]")).to_be_focused()  # the cursor waits there
    page.keyboard.press("Enter")  # nothing typed: the page answers, not the browser
    expect(page.get_by_role("alert")).to_have_text("Ange ditt användarnamn och ditt lösenord.")
    expect(page.locator("#login-error")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("focus-walker")
    page.keyboard.press("Tab")
    page.keyboard.type("not-the-password-1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord.")
    expect(page.locator("#login-error")).to_be_focused()
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()


def test_an_administrator_makes_deactivates_and_reactivates_an_account_by_keyboard(
    live_server: LiveServer, browser: Browser
) -> None:
    page = login(browser, live_server, "admin")
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/admin"))
    page.get_by_role("button", name="Skapa konto").focus()
    page.keyboard.press("Enter")  # empty: the page's Swedish summary, no browser bubble
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Ange ett användarnamn.")
    page.get_by_label("Användarnamn", exact=True).fill("focus-made")
    page.get_by_label("Startlösenord", exact=True).fill(PASSWORD)  # not "Nytt startlösenord"
    page.get_by_label("Roll", exact=True).last.select_option("analyst")
    page.get_by_label("Huvudmän").last.fill("23")
    page.get_by_role("button", name="Skapa konto").press("Enter")
    expect(page.get_by_role("status")).to_have_text("Kontot focus-made är skapat.")
    expect(page.get_by_role("status")).to_be_focused()

    page.get_by_text("Ändra focus-made").click()
    page.get_by_role("button", name="Avaktivera focus-made").press("Enter")
    question = page.get_by_role("heading", name="Avaktivera kontot focus-made?")
    expect(question).to_be_visible()
    expect(page.locator("#question-title")).to_be_focused()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ja, avaktivera focus-made").press("Enter")
    expect(page.get_by_role("status")).to_have_text("Kontot focus-made är avaktiverat.")
    page.get_by_role("button", name="Aktivera focus-made").press("Enter")
    expect(page.get_by_role("status")).to_have_text(
        "Kontot focus-made är aktiverat och kan logga in igen."
    )
    expect(page.get_by_role("status")).to_be_focused()
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()
