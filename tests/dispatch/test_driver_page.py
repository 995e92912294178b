"""The driver's page without script: today's run with its buttons, a press posted as a form
is stored once (a double submit too), and a refusal is shown on the page in Swedish."""

from __future__ import annotations

from datetime import time

from dispatch_fixtures import DAY, plan_demo_day
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import STRONG_PASSWORD, login_form
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.clock import FixedClock
from samfard.dispatch import store
from samfard.dispatch.driver.models import StopEvent
from samfard.timeutil import local


def test_a_press_without_script_is_stored_once_and_a_refusal_is_shown(
    app_client: TestClient, session: Session, clock: FixedClock
) -> None:
    plan_demo_day(session)
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    run = plan.runs[0]
    clock.current = local(DAY, time(23, 0))
    create_user(
        session=session,
        username="forare-sida",
        password=STRONG_PASSWORD,
        role=Role.DRIVER,
        now=clock.now(),
        principal_codes=["*"],
        carrier_id=run.vehicle.carrier_id,
        vehicle_id=run.vehicle_id,
    )
    app_client.cookies.clear()
    logged_in = app_client.post(
        "/login", data=login_form("forare-sida", app_client), follow_redirects=False
    )
    assert logged_in.status_code == 303 and logged_in.headers["location"].endswith("/forare")
    csrf = str(app_client.cookies[CSRF_COOKIE])
    page = app_client.get("/forare")
    assert page.status_code == 200 and "Min körning" in page.text
    assert page.text.count(">Framme<") == len(run.stops)
    pickup = next(s for s in run.stops if s.kind == "pickup")
    form = {
        "csrf_token": csrf,
        "client_event_id": "form-press-0001",
        "run_id": str(run.id),
        "stop_id": str(pickup.id),
        "kind": "arrived",
    }
    for _ in range(2):  # a double submit
        sent = app_client.post("/forare/rapport", data=form, follow_redirects=False)
        assert sent.status_code == 303 and "fel=" not in sent.headers["location"]
    count = select(func.count()).select_from(StopEvent)
    assert session.scalar(count) == 1
    wrong = {**form, "client_event_id": "form-press-0002", "kind": "arrived"}
    refused = app_client.post("/forare/rapport", data=wrong, follow_redirects=True)
    assert refused.status_code == 200
    assert "Framme sparades inte: Det är redan rapporterat för stoppet." in refused.text
    assert session.scalar(count) == 1
    fragment = app_client.get("/forare?del=stopp")
    assert "Rapporterat: Framme" in fragment.text and "<html" not in fragment.text
