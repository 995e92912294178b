"""The register (/resenarer) in a real browser: search, a traveller's card, registering
with an error first; axe-core finds no serious or critical violation, no console error."""

from __future__ import annotations

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    login,
    screenshot,
)
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_register_search_card_and_a_new_traveller(
    live_server: LiveServer, browser: Browser
) -> None:
    page = login(browser, live_server, "operator")
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/resenarer"))
    page.get_by_label("Sök i registret").fill("son")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.get_by_role("status").get_by_text("träffar").wait_for()
    assert_no_axe_violations(page)
    page.locator("table a").first.click()
    page.get_by_role("heading", name="Tillstånd", exact=True).wait_for()
    assert_no_axe_violations(page)
    screenshot(page, "resenarer-kort")

    page.goto(live_server.url("/resenarer/ny"))
    page.get_by_label("Personnummer").fill("19450312-1239")  # wrong check digit
    page.get_by_label("Förnamn").fill("Greta")
    page.get_by_label("Efternamn").fill("Webbsson")
    page.get_by_label("Gatuadress").fill("Kyrkogatan 4")
    page.get_by_label("Postnummer").fill("831 31")
    page.get_by_label("Ort").fill("Östersund")
    page.get_by_label("Kommun").select_option("2380")
    page.get_by_role("button", name="Registrera").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "kontrollsiffra" in summary.inner_text()
    assert_no_axe_violations(page)
    page.get_by_label("Personnummer").fill("19450312-1230")
    page.get_by_role("button", name="Registrera").click()
    page.get_by_role("heading", name="Greta Webbsson").wait_for()
    assert "Resenären är registrerad" in page.inner_text("main")
    page.get_by_role("link", name="Boka resa för resenären").click()
    page.get_by_role("heading", name="Greta Webbsson").wait_for()
    assert page.url.endswith("/bokning?resenar=" + page.url.rsplit("=", 1)[1])
    errors.assert_none()
    page.context.close()
