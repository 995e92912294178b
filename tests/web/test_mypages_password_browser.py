"""Byt lösenord in Mina resor in Chromium, by keyboard alone: a traveller who logs in with
a password follows the link on their page, gets the error summary for two new passwords
that differ, then changes it and is told so. axe-core finds no serious or critical
violation on the form, with its errors, or on the answer."""

from __future__ import annotations

from datetime import datetime

import pytest
from browser_harness import (
    PASSWORD,
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    login,
    screenshot,
    served_session,
)
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller

pytestmark = pytest.mark.browser
NEW = "ett-nytt-losen-2026"


def test_a_traveller_changes_their_password_by_keyboard(
    live_server: LiveServer, browser: Browser
) -> None:
    with served_session(live_server) as session:
        traveller = session.scalars(
            select(Traveller.id).where(Traveller.protected_identity.is_(False)).limit(1)
        ).one()
        create_user(session=session, username="pw-walker", password=PASSWORD,
                    role=Role.TRAVELLER, now=datetime.now(STOCKHOLM),
                    traveller_id=traveller)  # fmt: skip
    page = login(browser, live_server, "pw-walker")
    errors = ConsoleErrors(page)
    expect(page).to_have_url(live_server.url("/mina-resor"))
    page.get_by_role("link", name="Byt lösenord").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Byt lösenord")
    expect(page.get_by_label("Nuvarande lösenord")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW + "x")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Skriv samma nya lösenord två gånger.")
    assert_no_axe_violations(page)
    screenshot(page, "mina-resor-losenord")
    page.get_by_label("Nuvarande lösenord").focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW)
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Lösenordet är bytt.")
    expect(status).to_be_focused()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Tillbaka till Mina resor").press("Enter")
    expect(page).to_have_url(live_server.url("/mina-resor"))
    errors.assert_none()
    page.context.close()
