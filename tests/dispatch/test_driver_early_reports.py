"""A report far ahead of the stop's time is asked about first; Uteblev waits, disabled, for
the promised window.

A driver's taps at 03:15 were stored as Framme, Hämtad and Lämnad for a pickup promised
10:20-10:35, and Uteblev was offered as a working button although the card said it could be
reported only from 10:20. The rule (`rules.asks_first`) and the page without script are
tested here; forare.js asks the same with the phone's clock
(tests/web/test_driver_early_browser.py).

The page tests share the planned demo day, built once per database (`planned`); each
logs its driver in and reports in a savepoint of it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from dispatch_fixtures import DAY
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import STRONG_PASSWORD, busiest_run, login_form
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.clock import FixedClock
from samfard.dispatch.driver.models import StopEvent
from samfard.dispatch.driver.rules import EARLY_REPORT, asks_first, stop_time
from samfard.dispatch.models import Stop
from samfard.timeutil import STOCKHOLM

TEN = datetime(2026, 11, 23, 10, 20, tzinfo=STOCKHOLM)
MINUTE = timedelta(minutes=1)

pytestmark = pytest.mark.world_per_module


@pytest.mark.parametrize(
    ("stop_kind", "reported", "before", "asked"),
    [
        ("pickup", False, EARLY_REPORT + MINUTE, True),
        ("pickup", False, timedelta(hours=7), True),
        ("pickup", False, EARLY_REPORT, False),  # 30 minutes early is a car ahead of its run
        ("pickup", False, -MINUTE, False),
        ("pickup", True, timedelta(hours=7), False),  # Hämtad after a confirmed Framme
        ("dropoff", False, timedelta(hours=7), False),  # follows a reported pickup
    ],
)
def test_the_first_report_at_a_pickup_far_ahead_is_asked_about(
    stop_kind: str, reported: bool, before: timedelta, asked: bool
) -> None:
    said = asks_first(
        stop_kind=stop_kind, planned_at=TEN + 15 * MINUTE, promised_from=TEN,
        reported=reported, at=TEN - before,
    )  # fmt: skip
    assert said is asked


def test_the_stops_time_is_the_earlier_of_plan_and_promise() -> None:
    assert stop_time(TEN + MINUTE, TEN) == TEN
    assert stop_time(TEN - MINUTE, TEN) == TEN - MINUTE
    assert stop_time(TEN, None) == TEN


def _driver(client: TestClient, session: Session, clock: FixedClock) -> tuple[Stop, str]:
    """A driver logged in, at 2 hours before the first promised pickup of the busiest run;
    that pickup and the CSRF token."""
    run = busiest_run(session, DAY)
    pickup = next(s for s in run.stops if s.kind == "pickup" and s.promised_from is not None)
    assert pickup.promised_from is not None
    clock.current = pickup.promised_from - timedelta(hours=2)
    assert clock.current.astimezone(STOCKHOLM).date() == DAY
    create_user(
        session=session, username="forare-tidig", password=STRONG_PASSWORD, role=Role.DRIVER,
        now=clock.now(), principal_codes=["*"], carrier_id=run.vehicle.carrier_id,
        vehicle_id=run.vehicle_id,
    )  # fmt: skip
    client.cookies.clear()
    client.post("/login", data=login_form("forare-tidig", client))
    return pickup, str(client.cookies[CSRF_COOKIE])


def test_without_script_an_early_report_gets_a_question_and_is_stored_once_confirmed(
    app_client: TestClient, session: Session, clock: FixedClock, planned: None
) -> None:
    pickup, csrf = _driver(app_client, session, clock)
    stored = select(func.count()).select_from(StopEvent)
    form = {
        "csrf_token": csrf, "client_event_id": "early-press-0001", "run_id": str(pickup.run_id),
        "stop_id": str(pickup.id), "kind": "arrived",
    }  # fmt: skip
    asked = app_client.post("/forare/rapport", data=form, follow_redirects=False)
    assert asked.status_code == 200 and "Rapportera Framme nu?" in asked.text
    assert "om 2 tim 0 min" in asked.text and 'name="bekraftat" value="ja"' in asked.text
    assert 'href="/forare">Nej, tillbaka' in asked.text
    assert session.scalar(stored) == 0, "nothing is stored before the driver says yes"
    sent = app_client.post("/forare/rapport", data=form | {"bekraftat": "ja"})
    assert sent.status_code == 200 and "sparades inte" not in sent.text
    assert session.scalar(stored) == 1
    # The stop is reported: Hämtad goes at once.
    picked = form | {"client_event_id": "early-press-0002", "kind": "picked_up"}
    done = app_client.post("/forare/rapport", data=picked, follow_redirects=False)
    assert done.status_code == 303 and session.scalar(stored) == 2


def test_the_page_gives_each_unreported_pickup_its_time_and_uteblev_waits_for_the_window(
    app_client: TestClient, session: Session, clock: FixedClock, planned: None
) -> None:
    pickup, csrf = _driver(app_client, session, clock)
    assert pickup.promised_from is not None
    page = app_client.get("/forare").text
    card = page.split(f'id="stopp-{pickup.id}"')[1].split("</li>")[0]
    until = re.search(r'data-early-until="([^"]+)"', card)
    assert until is not None
    expected = stop_time(pickup.planned_at, pickup.promised_from) - EARLY_REPORT
    assert datetime.fromisoformat(until.group(1)) == expected
    assert "data-early-text=" in card and "utlovat" in card
    # Framme, asked and confirmed: Uteblev is shown, disabled, with the time it opens.
    form = {
        "csrf_token": csrf, "client_event_id": "early-press-0003", "run_id": str(pickup.run_id),
        "stop_id": str(pickup.id), "kind": "arrived", "bekraftat": "ja",
    }  # fmt: skip
    app_client.post("/forare/rapport", data=form)
    card = app_client.get("/forare?del=stopp").text.split(f'id="stopp-{pickup.id}"')[1]
    card = card.split("</li>")[0]
    button = re.search(r'<button[^>]*class="report-no_show"[^>]*>', card)
    assert button is not None and " disabled" in button.group(0)
    assert f'data-opens="{pickup.promised_from.isoformat()}"' in button.group(0)
    assert f'aria-describedby="uteblev-{pickup.id}"' in button.group(0)
    hint = re.search(rf'<p class="hint" id="uteblev-{pickup.id}"([^>]*)>([^<]*)', card)
    assert hint is not None and "hidden" not in hint.group(1)
    assert "Uteblev går att rapportera från" in hint.group(2)
    assert "data-early-until" not in card.split(">")[0], "reported: no question any more"
    # When the window opens the button works and the hint is hidden.
    clock.current = pickup.promised_from + MINUTE
    card = app_client.get("/forare?del=stopp").text.split(f'id="stopp-{pickup.id}"')[1]
    button = re.search(r'<button[^>]*class="report-no_show"[^>]*>', card.split("</li>")[0])
    assert button is not None and " disabled" not in button.group(0)
    assert re.search(rf'<p class="hint" id="uteblev-{pickup.id}" hidden>', card)
