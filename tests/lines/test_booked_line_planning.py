"""A booked departure is planned into the day at the timetabled time: the planner picks
the traveller up at the boarding stop no earlier than the timetable says and at most the
rulebook's few minutes later, and promises a window inside that (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, time, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, auth, iso, plan_fixed, register, token_for
from samfard.access.permissions import Role
from samfard.db import transaction
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.models import Stop
from samfard.geo.models import Place
from samfard.timeutil import local

MONDAY = date(2026, 11, 23)


def test_a_booked_departure_is_picked_up_at_the_timetabled_time(
    app_client: TestClient, session: Session
) -> None:
    operator = token_for(session, Role.OPERATOR, now=NOW)
    traveller = register(app_client, operator)
    rows = session.execute(select(Place.key, Place.id).where(Place.key.in_(["funasdalen", "hede"])))
    stops = {row.key: row.id for row in rows}
    created = app_client.post(
        "/api/v1/bookings",
        json={
            "traveller_id": traveller,
            "service": "anropsstyrd_linjetrafik",
            "principal": "RKM-23",
            "legs": [
                {
                    "origin": {"place_id": stops["funasdalen"]},
                    "destination": {"place_id": stops["hede"]},
                    "pickup_at": iso(MONDAY, "06:40"),
                }
            ],
        },
        headers=auth(operator),
    )
    assert created.status_code == 201, created.text
    booking_id = created.json()["id"]
    assert created.json()["status"] == "approved"
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    plan_fixed(session, MONDAY, now=local(date(2026, 11, 22), time(18)), seed=1)
    [pickup] = session.scalars(
        select(Stop).where(Stop.booking_id == booking_id, Stop.kind == "pickup")
    )
    timetabled = local(MONDAY, time(6, 40))
    assert timetabled <= pickup.planned_at <= timetabled + timedelta(minutes=5)
    assert pickup.promised_from is not None and pickup.promised_from >= timetabled
