"""The carriers' offers and the controller's answers on /trafik in Chromium, with the
keyboard alone. A walk-through of a working day (2026-12) found

* /utforare reloading after each Acceptera or Avböj with focus at the top and no word of
  what was done (with 30 runs the 20th was 60 Tabs away every time), and Avböj, which
  takes the vehicle out of the day for good, declining at once;
* no way on /trafik to offer the day's runs to the carriers;
* "Larmet är kvitterat." twice on the page after Kvittera;
* the re-plan's progress bar at 0 % for the whole run: each poll of it waited for the
  re-plan's write lock (SQLite) and failed after 15 s.

axe-core finds no serious or critical violation and the console stays clean.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    Questions,
    assert_no_axe_violations,
    demo_day,
    login,
    planned_database,
    reader_engine,
    screenshot,
    serve,
    staff,
)
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.db import transaction
from samfard.dispatch import alerts, handoff
from samfard.dispatch.jobs import REPLAN
from samfard.dispatch.live_models import RunOffer
from samfard.dispatch.offer_states import OFFERED
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.jobs import Job
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.browser

WIDE = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A small planned day of its own (its runs are offered and answered here) and a
    controller."""
    now = datetime.now(STOCKHOLM)
    day = demo_day()
    folder = tmp_path_factory.mktemp("utforare")
    with planned_database(folder, day, seed=4, trips=30) as (url, session):
        staff(session, "trafikledare", Role.OPERATOR, now)
    yield from serve(url, day)


def _focused(page: Page) -> str:
    return str(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.tagName + '#' + e.id + ' ' + e.textContent.trim(); }"
        )
    )


def _tab_to(page: Page, name: str, *, limit: int = 120) -> int:
    """Press Tab until the focused control's text starts with `name`; the presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if _focused(page).split(" ", 1)[-1].startswith(name):
            return presses
    raise AssertionError(f"Tab never reached {name!r}; focus is on {_focused(page)}")


def _htmx_ready(page: Page, selector: str) -> None:
    """Wait until htmx has taken up the (swapped-in) form: a key pressed before that sends
    it the plain way, as a page of its own."""
    page.wait_for_function(
        "s => { const f = document.querySelector(s);"
        " return !!(f && f['htmx-internal-data'] && f['htmx-internal-data'].initHash); }",
        arg=selector,
    )


def _offered(server: LiveServer) -> list[handoff.OfferPublic]:
    """The day's offers (offered now if they are not yet), in the page's order."""
    engine = reader_engine(server.database_url)
    with Session(engine) as session:
        offers = handoff.offer_day(
            session=session, day=server.day, actor=SYSTEM, now=datetime.now(STOCKHOLM)
        )
    engine.dispose()
    return offers


def _state(server: LiveServer, offer_id: int) -> str:
    engine = reader_engine(server.database_url)
    with Session(engine) as session:
        state = session.scalars(select(RunOffer.state).where(RunOffer.id == offer_id)).one()
    engine.dispose()
    return str(state)


def test_each_answer_is_said_where_it_was_given_and_a_decline_is_asked_first(
    browser: Browser, server: LiveServer
) -> None:
    waiting = [o for o in _offered(server) if o.state == OFFERED]
    assert len(waiting) >= 3, "the day needs three runs to answer"
    first, second = waiting[0], waiting[1]
    page = login(browser, server, "trafikledare", **WIDE)
    errors = ConsoleErrors(page)
    page.goto(server.url(f"/utforare?datum={server.day.isoformat()}"))
    _tab_to(page, "Acceptera")  # the first run's
    page.keyboard.press("Enter")
    said = page.locator("#svarat")
    expect(said).to_be_focused()
    expect(said).to_have_attribute("role", "status")
    expect(said).to_contain_text(
        f"Körningen med {vehicle_name_sv(first.vehicle_code)} är accepterad."
    )
    assert _state(server, first.id) == "accepted"
    assert_no_axe_violations(page)
    screenshot(page, "utforare-svarat")

    # On to the next run to answer from there, not from the top of the page.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Svara på nästa")).to_be_focused()
    page.keyboard.press("Enter")
    reason = page.locator(f"#skal-{second.id}")
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("maxlength", "300")
    page.keyboard.type("Bilen står på verkstad")
    page.keyboard.press("Tab")  # Acceptera
    page.keyboard.press("Tab")  # Avböj
    assert _focused(page).split(" ", 1)[-1].startswith("Avböj")
    page.keyboard.press("Enter")

    # Asked first, on the page; nothing declined yet.
    question = page.locator("#question-title")
    expect(question).to_be_focused()
    name = vehicle_name_sv(second.vehicle_code)
    expect(question).to_have_text(f"Avböja körningen med {name}?")
    assert _state(server, second.id) == OFFERED
    assert_no_axe_violations(page)
    screenshot(page, "utforare-avboj-fraga")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=f"Ja, avböj körningen med {name}")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Nej, avböj inte")).to_be_focused()
    page.keyboard.press("Enter")  # no: back to the row, the reason kept
    expect(reason).to_be_focused()
    expect(reason).to_have_value("Bilen står på verkstad")
    assert _state(server, second.id) == OFFERED

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Avböj again
    expect(question).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # yes
    expect(said).to_be_focused()
    expect(said).to_contain_text(f"Körningen med {name} är avböjd")
    assert _state(server, second.id) == "declined"
    errors.assert_none()
    page.context.close()


def test_the_controller_offers_the_days_runs_from_trafik(
    browser: Browser, server: LiveServer
) -> None:
    page = login(browser, server, "trafikledare", **WIDE)
    errors = ConsoleErrors(page)
    questions = Questions(page)
    page.goto(server.url(f"/trafik?datum={server.day.isoformat()}"))
    button = page.get_by_role("button", name="Erbjud körningarna till utförarna")
    button.focus()
    page.keyboard.press("Enter")
    asked = questions.answer(yes=True)
    result = page.locator("#erbjud-svar")
    expect(result).to_contain_text("Hos utförarna:")
    assert asked.startswith("Erbjuda dagens körningar till utförarna?"), asked
    expect(button).to_be_focused()
    expect(result.get_by_role("link", name="Se utförarnas svar")).to_be_visible()
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()


def test_an_acknowledged_alert_is_said_once(browser: Browser, server: LiveServer) -> None:
    engine = reader_engine(server.database_url)
    with Session(engine) as session, transaction(session):
        alerts.raise_alert(
            session, kind="run_declined", day=server.day, subject="vehicle once",
            message="Bil E: utföraren avböjde körningen (test).", at=datetime.now(STOCKHOLM),
        )  # fmt: skip
    engine.dispose()
    page = login(browser, server, "trafikledare", **WIDE)
    errors = ConsoleErrors(page)
    page.goto(server.url(f"/trafik?datum={server.day.isoformat()}"))
    _htmx_ready(page, "#larm form")
    page.locator("#larm button.kvittera").first.focus()
    page.keyboard.press("Enter")
    live = page.locator("#larm-meddelande")
    expect(live).to_have_text("Larmet är kvitterat.")
    # Every element showing the message, or reading it out (a visually hidden one too).
    shown = page.evaluate(
        """() => Array.from(document.querySelectorAll('body *')).filter(e =>
            Array.from(e.childNodes).some(n => n.nodeType === 3
                && n.textContent.includes('Larmet är kvitterat.'))
            && e.checkVisibility()).length"""
    )
    assert shown == 1
    expect(live.locator("p")).to_be_visible()  # shown, not only read out
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()


def _job(server: LiveServer, state: str) -> str:
    """A re-planning job of the day, `state`, 5 s into a step expected to take 13 s."""
    job_id = uuid.uuid4().hex
    engine = reader_engine(server.database_url)
    with Session(engine) as session, transaction(session):
        session.add(
            Job(
                id=job_id, kind=REPLAN, subject="2000-01-01", args={}, state=state, done=0.02,
                message="Läser dagen och beräknar en ny plan", step_expected_s=13.0,
                step_started_at=datetime.now(UTC) - timedelta(seconds=5), attempts=1,
                started_by="trafikledare", created_at=datetime.now(UTC),
            )
        )  # fmt: skip
    engine.dispose()
    return job_id


def test_the_replans_progress_is_read_while_the_replan_writes(
    browser: Browser, server: LiveServer
) -> None:
    """The re-plan holds SQLite's write lock for its whole solve; its progress is read
    beside it, moved by the time spent, and a job not yet started shows no number."""
    page = login(browser, server, "trafikledare", **WIDE)
    # Made after the login, whose time (seconds on a busy machine) would count as the
    # step's: the bar moves with the time spent.
    running, queued = _job(server, "running"), _job(server, "queued")
    writer = sqlite3.connect(server.database_url.removeprefix("sqlite:///"), timeout=1)
    writer.isolation_level = None
    writer.execute("BEGIN IMMEDIATE")  # as plan_day's transaction holds it
    try:
        answer = page.request.get(server.url(f"/trafik/jobb/{running}"), timeout=5_000)
        assert answer.status == 200, answer.status
        html = answer.text()
        waiting = page.request.get(server.url(f"/trafik/jobb/{queued}"), timeout=5_000).text()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    page.set_content(f"<main>{html}{waiting}</main>")
    bar = page.locator(f"#jobb-progress-{running}")
    value = int(bar.get_attribute("value") or 0)
    assert 30 <= value <= 60, value  # 2 % reported, 5 of 13 s gone
    assert page.locator(f"#jobb-progress-{queued}").get_attribute("value") is None
    expect(page.get_by_text("Omplanering väntar på att starta")).to_be_visible()
    page.context.close()
