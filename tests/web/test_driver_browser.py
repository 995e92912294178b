"""The driver's page /forare in Chromium at phone width: today's run, the buttons, a queue
that survives a lost connection and is sent once when it returns, and the traffic page
told of the reports by server-sent events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from browser_harness import (
    ConsoleErrors,
    LiveServer,
    Questions,
    assert_no_axe_violations,
    login,
    planned_database,
    reader_engine,
    screenshot,
    serve,
    staff,
)
from playwright.sync_api import APIResponse, Browser, Page, Route, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import busiest_run
from samfard.access.permissions import Role
from samfard.booking.models import Booking
from samfard.dispatch.driver.models import StopEvent
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def today_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server whose plan is today's (a driver sees only today's run) and one driver for
    the vehicle of its first run, plus a controller."""
    now = datetime.now(STOCKHOLM)
    day = now.date()
    folder = tmp_path_factory.mktemp("driver")
    with planned_database(folder, day, seed=3, trips=30) as (url, session):
        run = busiest_run(session, day)
        staff(session, "driver", Role.DRIVER, now, carrier_id=run.vehicle.carrier_id,
              vehicle_id=run.vehicle_id)  # fmt: skip
        staff(session, "controller", Role.OPERATOR, now)
    yield from serve(url, day)


def _driver(browser: Browser, server: LiveServer) -> tuple[Page, Questions]:
    """The driver logged in at phone width, and the page's questions, answered yes after
    each report pressed when a report is far ahead of its stop: these tests run at any hour
    of the real day, so whether the page asks depends on when they run
    (tests/web/test_driver_early_browser.py tests the question itself)."""
    page = login(browser, server, "driver", **PHONE)
    return page, Questions(page)


def _stored(server: LiveServer) -> list[tuple[str, str, int | None]]:
    engine = reader_engine(server.database_url)
    with Session(engine) as session:
        rows = session.execute(
            select(StopEvent.client_event_id, StopEvent.kind, StopEvent.stop_id).order_by(
                StopEvent.id
            )
        ).all()
    engine.dispose()
    return [(r[0], r[1], r[2]) for r in rows]


def test_driver_reports_offline_and_the_queue_is_sent_once_when_back(
    browser: Browser, today_server: LiveServer
) -> None:
    page, questions = _driver(browser, today_server)
    errors = ConsoleErrors(page)
    page.goto(today_server.url("/forare"))
    expect(page.get_by_role("heading", name="Min körning", exact=False)).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "driver-run")
    first = page.locator("li.stop-pickup").first
    stop_id = int((first.get_attribute("id") or "").removeprefix("stopp-"))

    # Uteblev is offered at the door only, after Framme; the drop-off waits for Hämtad.
    expect(first.get_by_role("button", name="Uteblev", exact=False)).to_have_count(0)
    drop_off = page.locator(f'button[data-pickup="{stop_id}"]')
    expect(drop_off).to_have_count(2)
    expect(drop_off.first).to_be_disabled()
    # Online: Framme is stored at once and the list shows it.
    first.get_by_role("button", name="Framme").click()
    questions.answer_if_asked(yes=True)
    expect(page.locator(f"#stopp-{stop_id} .reported")).to_contain_text("Framme")
    expect(
        page.locator(f"#stopp-{stop_id}").get_by_role("button", name="Uteblev", exact=False)
    ).to_have_count(1)
    assert [k for _, k, _ in _stored(today_server)] == ["arrived"]

    # Offline: Hämtad waits in the queue, shown on the page, and survives a reload.
    page.context.set_offline(True)
    page.locator(f"#stopp-{stop_id}").get_by_role("button", name="Hämtad").press("Enter")
    questions.answer_if_asked(yes=True)
    expect(page.locator("#ko li")).to_have_count(1)
    expect(page.locator(f"#stopp-{stop_id} form.report")).to_have_count(0)  # finished: no Uteblev
    expect(page.locator("#ko-antal")).to_have_text("1")
    expect(page.locator("#anslutning")).to_contain_text("Ingen anslutning")
    expect(drop_off.first).to_be_enabled()  # Hämtad is queued: the queue carries both
    assert_no_axe_violations(page)
    screenshot(page, "driver-offline-queue")
    assert len(_stored(today_server)) == 1, "nothing reaches the server while offline"
    queued = page.evaluate("() => JSON.parse(localStorage.getItem('samfard.forare.ko'))")
    assert [e["kind"] for e in queued] == ["picked_up"]

    # Back online: the queue is sent in order, once, and the page shows the stop done.
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.locator("#ko li")).to_have_count(0)
    expect(page.locator(f"#stopp-{stop_id} .reported")).to_contain_text("Hämtad")
    stored = _stored(today_server)
    assert [k for _, k, _ in stored] == ["arrived", "picked_up"]
    assert stored[1][0] == queued[0]["client_event_id"]

    # Replaying the same queued report again (a lost answer) stores nothing new.
    again = page.evaluate(
        """async (event) => {
            const csrf = document.cookie.match(/samfard_csrf=([^;]+)/)[1];
            const answer = await fetch('/api/v1/driver/events', {method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
                body: JSON.stringify(event)});
            return answer.status;
        }""",
        {k: v for k, v in queued[0].items() if k != "label"},
    )
    assert again == 200
    assert len(_stored(today_server)) == 2
    engine = reader_engine(today_server.database_url)
    with Session(engine) as session:
        booking_id = session.scalar(
            select(StopEvent.booking_id).where(StopEvent.stop_id == stop_id)
        )
        status = session.scalar(select(Booking.status).where(Booking.id == booking_id))
        count = session.scalar(select(func.count()).select_from(StopEvent))
    engine.dispose()
    assert status == "in_progress" and count == 2
    screenshot(page, "driver-after-sync")
    errors.messages = [m for m in errors.messages if "ERR_INTERNET_DISCONNECTED" not in m]
    errors.assert_none()


def test_a_waiting_report_keeps_its_button_away_in_a_list_from_before_it_was_stored(
    browser: Browser, today_server: LiveServer
) -> None:
    """The stop list fetched from the server while a report still waits (here: the page
    loaded again while reports cannot be sent) does not offer the report's button again,
    so the driver does not report twice; the report is sent once it can be."""
    page, questions = _driver(browser, today_server)
    errors = ConsoleErrors(page)
    page.goto(today_server.url("/forare"))
    stop = page.locator("li.stop-pickup:not(.stop-done)").last
    stop_id = int((stop.get_attribute("id") or "").removeprefix("stopp-"))
    stop = page.locator(f"#stopp-{stop_id}")
    page.route("**/api/v1/driver/events", lambda route: route.abort())
    stop.get_by_role("button", name="Framme").click()
    questions.answer_if_asked(yes=True)
    expect(page.locator("#ko li")).to_have_count(1)
    page.reload()
    expect(page.locator("#ko li")).to_have_count(1)
    expect(stop.locator(".pending")).to_have_text("Väntar på att skickas")
    expect(stop.get_by_role("button", name="Framme")).to_have_count(0)
    expect(stop.get_by_role("button", name="Hämtad")).to_have_count(1)
    assert [k for _, k, s in _stored(today_server) if s == stop_id] == []
    page.unroute("**/api/v1/driver/events")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(stop.locator(".reported")).to_contain_text("Framme")
    expect(stop.get_by_role("button", name="Framme")).to_have_count(0)
    assert [k for _, k, s in _stored(today_server) if s == stop_id] == ["arrived"]
    errors.messages = [m for m in errors.messages if "net::ERR_FAILED" not in m]
    errors.assert_none()
    page.context.close()


def test_an_older_stop_list_arriving_late_does_not_replace_a_newer_one(
    browser: Browser, today_server: LiveServer
) -> None:
    """Fetches of the stop list overlap (a report sent and the server's change events each
    ask for one): the answer to an older one, read before Hämtad was stored, arriving after
    a newer one must not bring back the Hämtad button, which would report the pickup twice.
    Fetches after the newer answer are refused here, so that none of them hides the older
    answer by replacing the list once more."""
    page, questions = _driver(browser, today_server)
    errors = ConsoleErrors(page)
    page.goto(today_server.url("/forare"))
    stop = page.locator("li.stop-pickup:not(.stop-done):not(:has(.reported))").first
    stop_id = int((stop.get_attribute("id") or "").removeprefix("stopp-"))
    stop = page.locator(f"#stopp-{stop_id}")
    held: list[tuple[Route, APIResponse]] = []
    refusing = False

    def hold_the_first(route: Route) -> None:
        if not held:
            held.append((route, route.fetch()))  # the list as it is now, answered later
        elif refusing:
            route.abort()
        else:
            route.continue_()

    page.route("**/forare?del=stopp", hold_the_first)
    stop.get_by_role("button", name="Framme").click()
    questions.answer_if_asked(yes=True)
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the page did not fetch its stop list after Framme was sent"
    stop.get_by_role("button", name="Hämtad").click()
    questions.answer_if_asked(yes=True)
    expect(stop.locator(".reported")).to_contain_text("Hämtad")
    refusing = True
    route, older = held[0]
    in_older = older.text().split(f'id="stopp-{stop_id}"')[1].split("</li>")[0]
    assert 'value="picked_up"' in in_older  # read before Hämtad: it offers the button
    route.fulfill(response=older)
    page.wait_for_timeout(1000)  # the older answer read and, but for the fix, shown
    expect(stop.locator(".reported")).to_contain_text("Hämtad")
    expect(stop.get_by_role("button", name="Hämtad")).to_have_count(0)
    assert [k for _, k, s in _stored(today_server) if s == stop_id] == ["arrived", "picked_up"]
    errors.messages = [m for m in errors.messages if "net::ERR_FAILED" not in m]
    errors.assert_none()
    page.context.close()


def test_the_traffic_page_hears_a_drivers_report_by_server_sent_events(
    browser: Browser, today_server: LiveServer
) -> None:
    controller = login(browser, today_server, "controller")
    controller.goto(today_server.url(f"/trafik?datum={today_server.day.isoformat()}"))
    expect(controller.locator("#trafik-live")).to_have_text("")
    driver, questions = _driver(browser, today_server)
    driver.goto(today_server.url("/forare"))
    driver.locator("li.stop:not(.stop-done) form.report button:enabled").first.click()
    questions.answer_if_asked(yes=True)
    expect(controller.locator("#trafik-live")).to_contain_text("Uppdaterad")
    assert_no_axe_violations(controller)


def test_the_traffic_page_shows_only_the_answer_to_its_latest_fetch(
    browser: Browser, today_server: LiveServer
) -> None:
    """Two changes a second apart each fetch the plan again; the answer to the first,
    arriving after the second's, must not replace the newer parts. The stream is played
    here (two change events, then none), and the first answer is one made to be told apart."""
    controller = login(browser, today_server, "controller")
    errors = ConsoleErrors(controller)
    streamed: list[int] = []

    def two_changes(route: Route) -> None:
        streamed.append(1)
        events = "retry: 1000\nid: 1\nevent: change\ndata: {}\n\n" if len(streamed) <= 2 else ""
        route.fulfill(status=200, content_type="text/event-stream", body=events)

    controller.route("**/trafik/strom?*", two_changes)
    controller.goto(today_server.url(f"/trafik?datum={today_server.day.isoformat()}"))
    expect(controller.locator("#planinfo")).to_contain_text("Planversion")
    held: list[Route] = []
    refusing = False

    def hold_the_first(route: Route) -> None:
        if not held:
            held.append(route)
        elif refusing:
            route.abort()
        else:
            route.continue_()

    controller.route("**/trafik?datum=*", hold_the_first)
    expect(controller.locator("#trafik-live")).to_contain_text("Uppdaterad")
    assert len(held) == 1  # the first change's fetch, still unanswered
    refusing = True
    older = '<html><body><p class="plan-meta" id="planinfo">En äldre plan</p></body></html>'
    held[0].fulfill(status=200, content_type="text/html", body=older)
    controller.wait_for_timeout(1000)  # the older answer read and, but for the fix, shown
    expect(controller.locator("#planinfo")).to_contain_text("Planversion")
    errors.messages = [m for m in errors.messages if "net::ERR_FAILED" not in m]
    errors.assert_none()
    controller.context.close()


def test_the_page_reports_the_vehicles_position_when_the_browser_allows_it(
    browser: Browser, today_server: LiveServer
) -> None:
    where = {"latitude": 63.17912, "longitude": 14.63577}
    page = login(
        browser, today_server, "driver", permissions=["geolocation"], geolocation=where, **PHONE
    )
    page.goto(today_server.url("/forare"))
    for _ in range(100):
        engine = reader_engine(today_server.database_url)
        with Session(engine) as session:
            found = session.execute(
                select(StopEvent.lat, StopEvent.lon).where(StopEvent.kind == "position")
            ).first()
        engine.dispose()
        if found is not None:
            break
        page.wait_for_timeout(100)
    assert found is not None and tuple(found) == (63.17912, 14.63577)
