"""/trafik with the keyboard alone (Chromium): the alerts section is replaced whole by
htmx, and focus fell to <body> after Kvittera, after "Planera om resten av dagen" and on
its 30-second reload; and "Planera om" started a whole day's re-plan without a question.
Here focus stays on the control, or moves to the next alert or the section's heading, the
answer is read out, and both re-plans ask first (in Swedish). axe-core finds no serious or
critical violation and the console stays clean."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from browser_harness import (
    PASSWORD,
    ConsoleErrors,
    LiveServer,
    Questions,
    assert_no_axe_violations,
    demo_day,
    login,
    planned_database,
    reader_engine,
    serve,
    staff,
)
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access.permissions import Role
from samfard.db import transaction
from samfard.dispatch import alerts, store
from samfard.jobs import Job
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.browser

WIDE = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A small planned day of its own (these tests re-plan it) and a controller."""
    now = datetime.now(STOCKHOLM)
    day = demo_day()
    folder = tmp_path_factory.mktemp("trafik")
    with planned_database(folder, day, seed=4, trips=20) as (url, session):
        staff(session, "trafikledare", Role.OPERATOR, now)
    yield from serve(url, day)


def _alerts(server: LiveServer, *names: str) -> None:
    """Open alerts, newest last (the page lists the newest first)."""
    engine = reader_engine(server.database_url)
    with Session(engine) as session, transaction(session):
        for name in names:
            alerts.raise_alert(
                session, kind="run_declined", day=server.day, subject=f"vehicle {name}",
                message=f"{name}: utföraren avböjde körningen (test).", at=datetime.now(STOCKHOLM),
            )  # fmt: skip
    engine.dispose()


def _focused(page: Page) -> str:
    """The focused element as "tag#id text"."""
    return str(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.tagName + '#' + e.id + ' ' + e.textContent.trim(); }"
        )
    )


def _tab_to(page: Page, name: str, *, exact: bool = False, limit: int = 80) -> None:
    """Press Tab until the focused control's text is `name` (or starts with it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = _focused(page).split(" ", 1)[-1]
        if text == name or (not exact and text.startswith(name)):
            return
    raise AssertionError(f"Tab never reached {name!r}; focus is on {_focused(page)}")


def _day_page(browser: Browser, server: LiveServer) -> tuple[Page, ConsoleErrors, Questions]:
    page = login(browser, server, "trafikledare", **WIDE)
    errors = ConsoleErrors(page)
    questions = Questions(page)
    page.clock.install()  # the alerts' 30-second reload, on a clock the test moves
    page.goto(server.url(f"/trafik?datum={server.day.isoformat()}"))
    expect(page.locator("#larm")).to_be_visible()
    return page, errors, questions


def test_kvittera_moves_focus_to_the_next_alert_and_then_to_the_heading(
    browser: Browser, server: LiveServer
) -> None:
    _alerts(server, "Bil A", "Bil B")
    page, errors, _ = _day_page(browser, server)
    live = page.locator("#larm-meddelande")
    _tab_to(page, "Kvittera")
    first = page.evaluate("() => document.activeElement.id")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{first}")).to_have_count(0)
    expect(page.locator("#larm button.kvittera")).to_have_count(1)
    expect(page.locator("#larm button.kvittera")).to_be_focused()
    expect(live).to_have_text("Larmet är kvitterat.")
    assert_no_axe_violations(page)
    page.keyboard.press("Enter")  # the last alert
    expect(page.locator("#larm")).to_contain_text("Inga öppna larm")
    expect(page.get_by_role("heading", name="Larm", exact=True)).to_be_focused()
    expect(live).to_have_text("Larmet är kvitterat.")
    page.keyboard.press("Tab")  # on from the heading, not from the top of the page
    assert "Planera om resten av dagen" in _focused(page)
    errors.assert_none()
    page.context.close()


def test_the_30_second_reload_keeps_focus_on_the_same_control(
    browser: Browser, server: LiveServer
) -> None:
    _alerts(server, "Bil C")
    page, errors, _ = _day_page(browser, server)
    _tab_to(page, "Kvittera")
    focused = page.evaluate("() => document.activeElement.id")
    _alerts(server, "Bil D")  # a new alert comes with the reload: the rows move
    with page.expect_response(lambda r: "/trafik/larm" in r.url):
        page.clock.fast_forward(31_000)
    expect(page.locator("#larm")).to_contain_text("Bil D")
    expect(page.locator(f"#{focused}")).to_be_focused()
    errors.assert_none()
    page.context.close()


def test_both_replans_ask_first_and_the_rest_of_the_day_keeps_focus(
    browser: Browser, server: LiveServer
) -> None:
    page, errors, questions = _day_page(browser, server)
    live = page.locator("#larm-meddelande")

    _tab_to(page, "Planera om resten av dagen")
    page.keyboard.press("Enter")
    asked = questions.answer(yes=True)
    assert asked == "Planera om resten av dagen? Resenärer vars tid ändras får besked."
    # Shown once, in the status region outside the section (not also above the table).
    expect(live).to_contain_text("Resten av dagen är omplanerad", timeout=60_000)
    expect(page.locator("#planera-om-nu")).to_be_focused()
    expect(page.locator("#larm .larm-svar")).to_be_hidden()

    # "Planera om" re-plans the whole day: nothing starts until the question is answered.
    _tab_to(page, "Planera om", exact=True)
    jobs = _jobs(server)
    page.keyboard.press("Enter")
    assert questions.answer(yes=False).startswith("Planera om hela dagen?")
    page.wait_for_timeout(300)  # a request the answer let through would be on its way
    assert _jobs(server) == jobs and page.locator("#jobb").inner_text().strip() == ""
    expect(page.get_by_role("button", name="Planera om", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    assert questions.answer(yes=True).startswith("Planera om hela dagen?")
    # Done before the page closes: a job still running would outlive the server.
    expect(page.get_by_text("Omplaneringen är klar")).to_be_visible(timeout=90_000)
    assert _jobs(server) == jobs + 1
    errors.assert_none()
    page.context.close()


def _jobs(server: LiveServer) -> int:
    engine = reader_engine(server.database_url)
    with Session(engine) as session:
        count = session.scalar(select(func.count()).select_from(Job))
    engine.dispose()
    return int(count or 0)


def test_skip_links_lead_to_the_unplanned_trips_and_a_move_is_read_out(
    browser: Browser, server: LiveServer
) -> None:
    """The first "Flytta till körning" was 85 Tabs down, and after a move focus was on
    <body>, so the confirmation was not read."""
    page, errors, _ = _day_page(browser, server)
    page.locator("#innehall").focus()  # where "Hoppa till innehållet" leads
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Till oplanerade resor")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["width"] > 1  # shown when focused
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Till larmen")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#unplanned-title")).to_be_focused()
    page.keyboard.press("Tab")  # on from the unplanned trips, past the timeline and map
    assert page.evaluate(
        "() => document.getElementById('oplanerade').compareDocumentPosition("
        "document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING"
        " || document.getElementById('oplanerade').contains(document.activeElement)"
    )
    day = server.day.isoformat()
    engine = reader_engine(server.database_url)
    with Session(engine) as session:
        plan = store.latest_plan(session, server.day)
        assert plan is not None
        stop = next(s for run in plan.runs for s in run.stops if s.booking_id)
        leg = f"{stop.booking_id}-{stop.leg_seq}"
    engine.dispose()
    page.goto(server.url(f"/trafik?datum={day}&flyttad={leg}"))  # the move's redirect
    expect(page.locator("#flyttad")).to_be_focused()
    expect(page.locator("#flyttad")).to_contain_text(f"resa {stop.leg_seq + 1} går nu med")
    errors.assert_none()
    page.context.close()


def test_a_change_refused_in_place_shows_why_and_takes_the_focus(
    browser: Browser, server: LiveServer
) -> None:
    """htmx swaps no 4xx answer: a button that works in place and was refused showed
    nothing. Here the controller logged in again in another tab, so the day page's form is
    stale; "Planera om resten av dagen", answered Ja, shows the error page in <main>
    (sidfel.js) with its heading focused."""
    page, errors, questions = _day_page(browser, server)
    other = page.context.new_page()  # the same browser: its new session replaces the old
    other.goto(server.url("/login"))
    other.get_by_label("Användarnamn").fill("trafikledare")
    other.get_by_label("Lösenord").fill(PASSWORD)
    other.get_by_role("button", name="Logga in").click()
    other.wait_for_url(lambda url: not url.endswith("/login"))
    other.close()
    _tab_to(page, "Planera om resten av dagen")
    page.keyboard.press("Enter")
    questions.answer(yes=True)
    stale = page.get_by_role("heading", name="Sidan har gått ut", level=1)
    expect(stale).to_be_focused()
    expect(page.locator("#innehall")).to_contain_text("Ladda om sidan och gör om ändringen.")
    assert page.locator("#innehall").count() == 1, "the error is in <main>, not a page in it"
    assert_no_axe_violations(page)
    errors.messages = [m for m in errors.messages if "403" not in m]
    errors.assert_none()
    page.context.close()
