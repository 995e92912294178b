"""The driver's page without script: today's run with its buttons, a press posted as a form
is stored once (a double submit too), a refusal is shown on the page in Swedish, and a
drop-off's buttons wait for its pickup.

The planned demo day is built once per database (`planned`); each test logs its driver in
and reports in a savepoint of it."""

from __future__ import annotations

import re
from datetime import time

import pytest
from dispatch_fixtures import DAY
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
from samfard.timeutil import STOCKHOLM, local

pytestmark = pytest.mark.world_per_module


def test_a_press_without_script_is_stored_once_and_a_refusal_is_shown(
    app_client: TestClient, session: Session, clock: FixedClock, planned: None
) -> None:
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
    # A report id the page would never make (tampered with) is refused in Swedish.
    tampered = {**form, "client_event_id": "kort id!", "kind": "picked_up"}
    refused = app_client.post("/forare/rapport", data=tampered, follow_redirects=True)
    assert "Hämtad sparades inte: Rapporten var felaktig" in refused.text
    assert "String should" not in refused.text and session.scalar(count) == 1
    # A redirect names no site the caller wrote into the Host header (the probe of
    # 2026-12-06 was sent on to http://evil.example/...).
    forged = app_client.post("/forare/rapport", data=tampered, headers={"host": "evil.example"},
                             follow_redirects=False)  # fmt: skip
    assert forged.status_code == 303 and forged.headers["location"].startswith("/forare?")
    fragment = app_client.get("/forare?del=stopp")
    assert "Rapporterat: Framme" in fragment.text and "<html" not in fragment.text


def _stop(html: str, stop_id: int) -> str:
    """One stop's item of the driver's list."""
    found = re.search(rf'<li [^>]*id="stopp-{stop_id}".*?</li>', html, re.S)
    assert found is not None, stop_id
    return found.group(0)


def test_a_drop_off_waits_for_its_pickup_with_the_reason_shown(
    app_client: TestClient, session: Session, clock: FixedClock, planned: None
) -> None:
    """Framme and Lämnad were offered at a drop-off before its pickup was reported, and the
    server refused Lämnad ("Resenären är inte rapporterad hämtad än"): they are disabled,
    with the reason beside them, until the pickup is reported Hämtad."""
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    run = plan.runs[0]
    pickup = next(s for s in run.stops if s.kind == "pickup" and s.booking_id)
    dropoff = next(s for s in run.stops if s.kind == "dropoff" and s.leg_id == pickup.leg_id)
    clock.current = local(DAY, time(23, 0))
    create_user(
        session=session, username="forare-lamna", password=STRONG_PASSWORD, role=Role.DRIVER,
        now=clock.now(), principal_codes=["*"], carrier_id=run.vehicle.carrier_id,
        vehicle_id=run.vehicle_id,
    )  # fmt: skip
    app_client.cookies.clear()
    app_client.post("/login", data=login_form("forare-lamna", app_client))
    csrf = str(app_client.cookies[CSRF_COOKIE])

    waiting = _stop(app_client.get("/forare").text, dropoff.id)
    buttons = re.findall(r"<button [^>]*>", waiting)
    assert len(buttons) == 2 and all(" disabled" in b for b in buttons), buttons
    assert all(f'data-pickup="{pickup.id}"' in b for b in buttons)
    assert f'aria-describedby="lamnas-{dropoff.id}"' in buttons[0]
    at = pickup.planned_at.astimezone(STOCKHOLM).strftime("%H:%M")
    assert (
        f'<p class="hint" id="lamnas-{dropoff.id}">Framme och Lämnad går att rapportera när '
        f"hämtningen {at} är rapporterad Hämtad.</p>"
    ) in waiting
    assert " disabled" not in _stop(app_client.get("/forare").text, pickup.id)

    for n, kind in enumerate(("arrived", "picked_up")):
        form = {"csrf_token": csrf, "client_event_id": f"lamna-{n:04}", "run_id": str(run.id),
                "stop_id": str(pickup.id), "kind": kind}  # fmt: skip
        sent = app_client.post("/forare/rapport", data=form, follow_redirects=False)
        assert "fel=" not in sent.headers["location"], sent.headers["location"]
    ready = _stop(app_client.get("/forare").text, dropoff.id)
    assert ready.count("<button ") == 2 and " disabled" not in ready
    assert "lamnas-" not in ready
