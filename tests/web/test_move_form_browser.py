"""The move form (/trafik/flytta) in a real browser: each run of the day is marked before
the controller chooses, the runs that can take the leg first ("Ryms", each with the pickup
it would get, the first preselected) and the others after with why ("Ryms inte"). axe-core
finds no serious or critical violation and no console error. The screenshot goes to
docs/screenshots/trafik-flytta.png (docs/live-day.md)."""

from __future__ import annotations

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

from samfard.dispatch import store

pytestmark = pytest.mark.browser


def test_the_move_form_marks_each_run_before_the_controller_chooses(
    live_server: LiveServer, browser: Browser
) -> None:
    engine = reader_engine(live_server.database_url)
    with Session(engine) as session:
        plan = store.latest_plan(session, live_server.day)
        assert plan is not None, "the live server's day is planned"
        legs = [
            (stop.booking_id, stop.leg_seq)
            for run in plan.runs
            for stop in run.stops
            if stop.kind == "pickup" and stop.booking_id is not None
        ]
    engine.dispose()
    page = login(browser, live_server, "operator", viewport={"width": 1280, "height": 900})
    errors = ConsoleErrors(page)
    for booking_id, leg_seq in legs:  # a leg some runs can take and some cannot
        page.goto(live_server.url(f"/trafik/flytta?booking_id={booking_id}&leg_seq={leg_seq}"))
        labels = page.locator("#till-korning optgroup").evaluate_all(
            "groups => groups.map(g => g.label)"
        )
        if any(label.startswith("Ryms (") for label in labels) and any(
            label.startswith("Ryms inte (") for label in labels
        ):
            break
    else:
        pytest.fail("no leg of the day fits some runs and not others")
    expect(page.get_by_role("heading", level=1)).to_have_text("Flytta resa till en annan körning")
    select = page.get_by_label("Till körning")
    expect(select.locator("option:checked")).to_contain_text("ryms, hämtas")
    expect(select.locator("optgroup[label^='Ryms inte'] option").first).to_contain_text(
        "ryms inte: "
    )
    assert_no_axe_violations(page)
    # A closed select shows one run: the screenshot shows the list open, as a list box.
    select.evaluate("s => { s.size = Math.min(s.options.length + 2, 14); }")
    screenshot(page, "trafik-flytta")
    errors.assert_none()
