"""The live day's pages in a real browser: the controller's alerts on /trafik (loaded by
htmx, acknowledged with the keyboard) and a run offer accepted on /utforare. axe-core
finds no serious or critical violation and no console error. Screenshots go to
docs/screenshots/."""

from __future__ import annotations

from datetime import datetime

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    login,
    reader_engine,
    screenshot,
)
from playwright.sync_api import Browser, expect
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.db import transaction
from samfard.dispatch import alerts, handoff
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.browser


def test_the_controller_acknowledges_an_alert_and_a_carrier_run_is_accepted(
    live_server: LiveServer, browser: Browser
) -> None:
    now = datetime.now(STOCKHOLM)
    engine = reader_engine(live_server.database_url)
    with Session(engine) as session:
        offers = handoff.offer_day(session=session, day=live_server.day, actor=SYSTEM, now=now)
        with transaction(session):
            alerts.raise_alert(
                session, kind="run_declined", day=live_server.day, subject="vehicle browser",
                message="Testbil: utföraren avböjde körningen (webbläsartest).", at=now,
            )  # fmt: skip
    engine.dispose()
    page = login(browser, live_server, "operator", viewport={"width": 1280, "height": 900})
    errors = ConsoleErrors(page)
    page.goto(live_server.url(f"/trafik?datum={live_server.day.isoformat()}"))
    section = page.locator("#larm")
    expect(section).to_contain_text("Körning avböjd")
    assert_no_axe_violations(page)
    screenshot(page, "trafik-larm")
    button = section.get_by_role("button", name="Kvittera").first
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#larm-meddelande")).to_contain_text("Larmet är kvitterat")

    waiting = next(o for o in offers if o.state == "offered")
    page.goto(live_server.url(f"/utforare?datum={live_server.day.isoformat()}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Körningar att ta")
    assert_no_axe_violations(page)
    screenshot(page, "utforare")
    name = vehicle_name_sv(waiting.vehicle_code)
    row = page.locator("tr", has_text=name)
    row.get_by_role("button", name="Acceptera").click()
    expect(page.locator("tr", has_text=name)).to_contain_text("Accepterad")
    errors.assert_none()
