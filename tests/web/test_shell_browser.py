"""The page shell in a real browser: login, the day's overview, navigation per role,
logout, skip link; axe-core finds no serious or critical violation, and the day's overview
(`/`) has its heading for each role that opens it (axe's page-has-heading-one, a moderate
best-practice rule the WCAG run leaves out, found it missing)."""

from __future__ import annotations

from datetime import datetime

import pytest
from browser_harness import (
    PASSWORD,
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    inject_axe,
    login,
    new_page,
    screenshot,
    served_session,
    unmapped_travellers,
)
from playwright.sync_api import Browser, Page, expect

from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.timeutil import STOCKHOLM
from samfard.travellers.views import MASK
from samfard.web.templating import sv_date

# axe-core's rules of a page's headings: one h1, no level skipped, none empty.
HEADING_RULES = ["page-has-heading-one", "heading-order", "empty-heading"]


def heading_violations(page: Page) -> list[str]:
    """The heading rules axe-core finds broken on the page as it is now."""
    inject_axe(page)
    results = page.evaluate(
        "async (rules) => await axe.run(document, {runOnly: {type: 'rule', values: rules}})",
        HEADING_RULES,
    )
    return [v["id"] for v in results["violations"]]


pytestmark = pytest.mark.browser


def test_login_page_is_accessible_and_wrong_password_is_shown(
    live_server: LiveServer, browser: Browser
) -> None:
    page = new_page(browser)
    errors = ConsoleErrors(page)
    page.goto(live_server.url("/"))
    assert page.url.endswith("/login"), "an anonymous visitor is sent to the login page"
    assert_no_axe_violations(page)
    page.get_by_label("Användarnamn").fill("operator")
    page.get_by_label("Lösenord").fill("not-the-password-1")
    page.get_by_role("button", name="Logga in").click()
    assert page.get_by_role("alert").is_visible()
    assert page.url.endswith("/login")
    errors.assert_none()
    page.context.close()


def test_operator_sees_the_day_and_the_workspace_navigation(
    live_server: LiveServer, browser: Browser
) -> None:
    page = login(browser, live_server, "operator")
    errors = ConsoleErrors(page)
    page.goto(live_server.url(f"/?date={live_server.day.isoformat()}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Resor {_day_sv(live_server)}")
    assert heading_violations(page) == []
    rows = page.locator("table.bookings tbody tr[data-ref]")
    assert rows.count() >= 20
    mapped = page.locator("table.bookings tbody tr[data-lat]")
    assert page.locator("#map .leaflet-interactive").count() == mapped.count() >= 20
    assert all(name == MASK for name in unmapped_travellers(page))
    nav = page.get_by_role("navigation", name="Arbetsytor")
    names = [link.inner_text() for link in nav.get_by_role("link").all()]
    assert names == [
        "Dagens resor",
        "Bokning",
        "Gods",
        "Resenärer",
        "Trafik",
        "Körningar",
        "Kvalitet",
    ]
    assert "operator" in page.locator(".top .who").inner_text()
    assert "beställningsmottagare" in page.locator(".top .who").inner_text()
    assert_no_axe_violations(page)
    # The table lists every marker: none is a keyboard stop, and the zoom speaks Swedish.
    expect(page.locator("#map path.leaflet-interactive").first).to_have_attribute("tabindex", "-1")
    assert page.locator("#map [tabindex='0']").count() == 0
    expect(page.get_by_title("Zooma in")).to_be_visible()
    screenshot(page, "dagens-resor")
    errors.assert_none()
    page.context.close()


def test_the_skip_link_is_first_and_leads_to_the_content(
    live_server: LiveServer, browser: Browser
) -> None:
    page = login(browser, live_server, "operator")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "innehall"
    page.context.close()


def test_navigation_follows_the_role(live_server: LiveServer, browser: Browser) -> None:
    """An assessor sees assessment but not the follow-up; a page the role may not open
    answers 403 inside the shell, in Swedish."""
    assessor = login(browser, live_server, "assessor")
    names = [
        a.inner_text()
        for a in assessor.get_by_role("navigation", name="Arbetsytor").get_by_role("link").all()
    ]
    assert "Bedömning" in names and "Uppföljning" not in names
    assessor.context.close()
    analyst = login(browser, live_server, "analyst")
    response = analyst.goto(live_server.url("/"))
    assert response is not None and response.status == 403
    assert analyst.get_by_role("heading", name="Du saknar behörighet").is_visible()
    nav = analyst.get_by_role("navigation", name="Arbetsytor")
    assert [a.inner_text() for a in nav.get_by_role("link").all()] == ["Uppföljning", "Enheter"]
    analyst.context.close()


def test_logout_ends_the_session(live_server: LiveServer, browser: Browser) -> None:
    page = login(browser, live_server, "operator")
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/login?utloggad=1")
    assert "Du är utloggad" in page.inner_text("main")
    page.goto(live_server.url("/"))
    assert page.url.endswith("/login"), "the old session no longer opens pages"
    assert "samfard_session" not in {c["name"] for c in page.context.cookies()}
    page.context.close()


def test_a_form_post_without_its_csrf_field_is_refused(
    live_server: LiveServer, browser: Browser
) -> None:
    """The logout form's hidden field is what makes the post count: without it, 403."""
    page = login(browser, live_server, "operator")
    response = page.request.post(live_server.url("/logout"), form={"x": "1"}, max_redirects=0)
    assert response.status == 403
    page.goto(live_server.url("/"))
    assert not page.url.endswith("/login"), "the session is still open"
    page.context.close()


def _day_sv(server: LiveServer) -> str:
    """The served day as the page's heading says it ("onsdag 2 december 2026")."""
    return sv_date(server.day, "day")


def test_a_nurse_sees_the_day_under_its_heading(live_server: LiveServer, browser: Browser) -> None:
    """Care staff land on `/` too; the page is theirs as much as the operator's."""
    with served_session(live_server) as session:
        create_user(
            session=session, username="syster-shell", password=PASSWORD,
            role=Role.CARE_ISSUER, now=datetime.now(STOCKHOLM), principal_codes=["22"],
            care_unit="Sundsvalls sjukhus",
        )  # fmt: skip
    page = login(browser, live_server, "syster-shell")
    errors = ConsoleErrors(page)
    page.goto(live_server.url(f"/?date={live_server.day.isoformat()}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Resor {_day_sv(live_server)}")
    assert heading_violations(page) == []
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()
