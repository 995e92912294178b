"""Plan and manifest routes: shape, permissions, carrier scoping, no personal numbers.

The demo day is loaded once per database (`loaded_day`, not planned: the plan route's test
plans it itself); each test runs in a savepoint of it, and a test that reads a plan plans
the day there as dispatch_fixtures.plan_demo_day does."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import pytest
from dispatch_fixtures import DAY, PLAN_NOW, load_demo
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import auth, plan_fixed, token_for
from samfard.access.permissions import Role
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.clock import FixedClock
from samfard.dispatch.models import Vehicle
from samfard.timeutil import local
from samfard.travellers.models import Traveller

pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def loaded_day(module_session: Session) -> frozenset[int]:
    """The demo day and its fleet loaded, not planned, built once per database; each test
    runs in a savepoint of it. The ids of the approved bookings."""
    approved = load_demo(module_session)
    module_session.commit()
    return approved


def plan_loaded_day(session: Session) -> None:
    """Plan the loaded day as dispatch_fixtures.plan_demo_day does after loading it."""
    plan_fixed(session, DAY, now=PLAN_NOW, seed=1)


def driver_of(
    session: Session, clock: FixedClock, run: dict[str, Any], username: str = "driver"
) -> str:
    """A token of the driver of `run`'s vehicle, with the clock moved to the run's day:
    a driver reads only their own run, today."""
    vehicle = session.get(Vehicle, run["vehicle"]["id"])
    assert vehicle is not None
    clock.current = local(DAY, time(6, 0))
    return token_for(
        session,
        Role.DRIVER,
        now=clock.now(),
        username=username,
        carrier_id=vehicle.carrier_id,
        vehicle_id=vehicle.id,
    )


def test_plan_route_plans_the_day_and_get_returns_ordered_runs(
    app_client: TestClient, session: Session, clock: FixedClock, loaded_day: frozenset[int]
) -> None:
    token = token_for(session, Role.OPERATOR, now=clock.now())
    missing = app_client.get(f"/api/v1/plans/{DAY}", headers=auth(token))
    assert missing.status_code == 404 and "samfard plan" in missing.json()["detail"]
    made = app_client.post(f"/api/v1/plans/{DAY}?time_limit=1", headers=auth(token))
    assert made.status_code == 201, made.text
    summary = made.json()
    assert summary["version"] == 1 and summary["served"] > 0
    body = app_client.get(f"/api/v1/plans/{DAY}", headers=auth(token)).json()
    assert body["verified"] and body["version"] == 1 and body["service_date"] == str(DAY)
    assert len(body["runs"]) == summary["vehicles_used"] > 0
    for run in body["runs"]:
        assert [s["seq"] for s in run["stops"]] == list(range(len(run["stops"])))
        times = [s["planned_at"] for s in run["stops"]]
        assert times == sorted(times)
        seen: set[tuple[int, int]] = set()
        for stop in run["stops"]:
            key = (stop["booking_id"], stop["leg_seq"])
            if stop["kind"] == "pickup":
                seen.add(key)
                assert stop["promised_from"] <= stop["planned_at"] <= stop["promised_until"]
            else:
                assert key in seen, "a drop-off follows its pickup on the same run"
            assert stop["booking_reference"] and stop["address"]
        assert run["vehicle"]["code"] and run["distance_km"] > 0


def test_plans_need_the_plans_permissions(
    app_client: TestClient, session: Session, clock: FixedClock
) -> None:
    driver = token_for(session, Role.DRIVER, now=clock.now())
    assert app_client.get(f"/api/v1/plans/{DAY}", headers=auth(driver)).status_code == 403
    assert app_client.post(f"/api/v1/plans/{DAY}", headers=auth(driver)).status_code == 403


def test_manifest_shows_first_names_and_hides_personal_numbers_and_last_names(
    app_client: TestClient, session: Session, clock: FixedClock, loaded_day: frozenset[int]
) -> None:
    plan_loaded_day(session)
    operator = token_for(session, Role.OPERATOR, now=clock.now(), username="op")
    run = app_client.get(f"/api/v1/plans/{DAY}", headers=auth(operator)).json()["runs"][0]
    driver = driver_of(session, clock, run)
    answer = app_client.get(f"/api/v1/runs/{run['id']}/manifest", headers=auth(driver))
    assert answer.status_code == 200, answer.text
    manifest = answer.json()
    assert len(manifest["stops"]) == len(run["stops"])
    text = answer.text
    assert not re.search(r"\d{12}", text), "no personal number on a manifest"
    assert "syntetisk" not in text, "demo last names end in (syntetisk): none may show"
    first = manifest["stops"][0]
    assert set(first) >= {"first_name", "address", "needs", "message_to_driver", "planned_at"}
    names = {t.first_name for t in session.query(Traveller)}
    assert all(s["first_name"] in names or "skyddad" in s["first_name"] for s in manifest["stops"])


def test_a_driver_of_another_carrier_cannot_read_the_manifest(
    app_client: TestClient, session: Session, clock: FixedClock, loaded_day: frozenset[int]
) -> None:
    plan_loaded_day(session)
    operator = token_for(session, Role.OPERATOR, now=clock.now(), username="op")
    runs = app_client.get(f"/api/v1/plans/{DAY}", headers=auth(operator)).json()["runs"]
    run = runs[0]
    own = 1 if run["vehicle"]["carrier_name"].endswith("Härjedalen") else 2
    mine = driver_of(session, clock, run, username="mine")
    other = token_for(
        session, Role.DRIVER, now=clock.now(), username="other", carrier_id=3 - own, vehicle_id=1
    )
    url = f"/api/v1/runs/{run['id']}/manifest"
    refused = app_client.get(url, headers=auth(other))  # answered as a run that is not there
    assert refused.status_code == 404 and refused.json()["detail"] == f"no run with id {run['id']}"
    assert app_client.get(url, headers=auth(mine)).status_code == 200
    assert app_client.get("/api/v1/runs/999999/manifest", headers=auth(mine)).status_code == 404


def test_approving_a_booking_on_a_planned_day_answers_with_its_promised_pickup(
    app_client: TestClient, session: Session, clock: FixedClock, loaded_day: frozenset[int]
) -> None:
    plan_loaded_day(session)
    waiting = session.scalars(
        select(Booking).where(
            Booking.service_date == DAY,
            Booking.status == BookingStatus.REQUESTED.value,
        )
    ).all()
    assert waiting, "the demo day leaves some bookings for an assessor"
    admin = token_for(session, Role.SYSTEM_ADMIN, now=clock.now(), username="admin")
    answers = [
        app_client.post(
            f"/api/v1/bookings/{booking.id}/assessment",
            json={"action": "approve", "reason": "assessor: approved"},
            headers=auth(admin),
        )
        for booking in waiting
    ]
    assert all(a.status_code == 200 for a in answers), answers[0].text
    scheduled = [a.json() for a in answers if a.json()["status"] == "scheduled"]
    assert scheduled, "at least one approval fits the plan"
    for body in scheduled:
        for leg in body["legs"]:
            assert leg["promised_pickup_from"] <= leg["promised_pickup_until"]


def test_protected_identity_is_masked_in_the_plan_and_named_only_generically_on_manifests(
    app_client: TestClient, session: Session, clock: FixedClock, loaded_day: frozenset[int]
) -> None:
    plan_loaded_day(session)
    operator = token_for(session, Role.OPERATOR, now=clock.now(), username="op")
    run = app_client.get(f"/api/v1/plans/{DAY}", headers=auth(operator)).json()["runs"][0]
    booking = session.get(Booking, run["stops"][0]["booking_id"])
    assert booking is not None
    traveller = session.get(Traveller, booking.traveller_id)
    assert traveller is not None
    traveller.protected_identity = True
    session.flush()

    def stops_of(token: str) -> list[dict[str, object]]:
        body = app_client.get(f"/api/v1/plans/{DAY}", headers=auth(token)).json()
        mine = next(r for r in body["runs"] if r["id"] == run["id"])
        return [s for s in mine["stops"] if s["booking_id"] == booking.id]

    masked = stops_of(operator)
    assert masked and all(s["address"] == "Skyddad adress" and s["lat"] is None for s in masked)
    trusted = token_for(
        session, Role.OPERATOR, now=clock.now(), username="trusted", may_see_protected=True
    )
    assert all(s["address"] != "Skyddad adress" and s["lat"] for s in stops_of(trusted))
    driver = driver_of(session, clock, run)
    manifest = app_client.get(f"/api/v1/runs/{run['id']}/manifest", headers=auth(driver))
    first = manifest.json()["stops"][0]
    assert "skyddad" in first["first_name"] and first["address"] != "Skyddad adress"
