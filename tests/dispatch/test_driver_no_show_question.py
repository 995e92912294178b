"""Uteblev is asked about before it is recorded, on the page without script too.

A walk-through of a working day (2026-12) pressed Framme for a traveller whose pickup
window had begun, tabbed to "Uteblev, 11:41 Nils" and pressed Enter: the booking became
no_show and a 38 kr no-show fee was written, with no question (only reports far ahead of
their time were asked about). A no-show ends the trip and may cost the traveller money,
so it is now always asked about: forare.js asks in a dialog on the page
(tests/web/test_driver_no_show_browser.py); the form posted without script gets the
question on a page of its own, and nothing is stored until the driver says yes.
"""

from __future__ import annotations

import re
from datetime import timedelta

from dispatch_fixtures import DAY, plan_demo_day
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import STRONG_PASSWORD, busiest_run, login_form
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.booking.models import Booking
from samfard.clock import FixedClock
from samfard.dispatch.driver.models import StopEvent
from samfard.dispatch.live_models import NoShowCharge
from samfard.timeutil import STOCKHOLM


def test_without_script_uteblev_is_asked_about_and_stored_only_on_yes(
    app_client: TestClient, session: Session, clock: FixedClock
) -> None:
    plan_demo_day(session)
    run = busiest_run(session, DAY)
    pickup = next(s for s in run.stops if s.kind == "pickup" and s.promised_from is not None)
    assert pickup.promised_from is not None and pickup.booking_id is not None
    clock.current = pickup.promised_from + timedelta(minutes=6)  # the window has begun
    assert clock.current.astimezone(STOCKHOLM).date() == DAY
    create_user(
        session=session, username="forare-uteblev", password=STRONG_PASSWORD, role=Role.DRIVER,
        now=clock.now(), principal_codes=["*"], carrier_id=run.vehicle.carrier_id,
        vehicle_id=run.vehicle_id,
    )  # fmt: skip
    app_client.cookies.clear()
    app_client.post("/login", data=login_form("forare-uteblev", app_client))
    csrf = str(app_client.cookies[CSRF_COOKIE])
    form = {"csrf_token": csrf, "run_id": str(run.id), "stop_id": str(pickup.id)}
    framme = app_client.post(
        "/forare/rapport",
        data=form | {"client_event_id": "uteblev-0001", "kind": "arrived"},
        follow_redirects=False,
    )
    assert framme.status_code == 303, "Framme within the window is not asked about"

    page = app_client.get("/forare").text
    card = page.split(f'id="stopp-{pickup.id}"')[1].split("</li>")[0]
    button = re.search(r'<button[^>]*class="report-no_show"[^>]*>', card)
    assert button is not None
    name = re.search(r'data-name="([^"]+)"', button.group(0))
    assert name is not None, "Uteblev carries the name its question says"
    assert '<dialog id="fraga-rapport"' in page and "Avbryt</button>" in page

    stored = select(func.count()).select_from(StopEvent)
    charged = select(func.count()).select_from(NoShowCharge)
    no_show = form | {"client_event_id": "uteblev-0002", "kind": "no_show"}
    asked = app_client.post("/forare/rapport", data=no_show, follow_redirects=False)
    assert asked.status_code == 200
    assert f"<h1>Rapportera att {name.group(1)} uteblev?</h1>" in asked.text
    assert "avgiften för bomkörning" in asked.text
    assert 'name="bekraftat" value="ja"' in asked.text and 'value="uteblev-0002"' in asked.text
    assert f'href="/forare#stopp-{pickup.id}">Avbryt</a>' in asked.text
    assert session.scalar(stored) == 1 and session.scalar(charged) == 0
    booking = session.get(Booking, pickup.booking_id)
    assert booking is not None and booking.status != "no_show"

    done = app_client.post(
        "/forare/rapport", data=no_show | {"bekraftat": "ja"}, follow_redirects=False
    )
    assert done.status_code == 303 and "fel=" not in done.headers["location"]
    assert session.scalar(stored) == 2
    session.refresh(booking)
    assert booking.status == "no_show"
