"""A world with two sides for scope tests: what region 23 (Jämtland Härjedalen) holds, and
callers scoped to region 22 (Västernorrland) and its Sundsvall municipality (2281), who
must learn nothing of it.

The 23 side: Anna (lives in Östersund, 2380) with a sjukresa booking, a booking made by the
dialysis unit, a series and a certificate; a traveller with a protected identity who lives
in Sundsvall but travels on region 23's account; their stops on runs of carrier 1; a
settled month of carrier 1. The 22 side: Bo in Sundsvall with two bookings, one of them on
a run shared with Anna, and a run of carrier 2. Anna and Bo live kilometres from any bus
stop, so their taxis wait in the assessor's queue, where a 22 caller must not see Anna's.

Plans and settled runs are written as rows: these tests are about who may read them, not
about the planner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from access_world import CARE_UNIT, MONDAY, PROTECTED, book, sjukresa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import ANNA, ANNA_FAR_FROM_A_LINE, NOW, auth, place_id, register, token_for
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.booking.models import Booking
from samfard.costs.models import SettledRun, SettledTrip
from samfard.db import transaction
from samfard.dispatch.models import PlanRun, Run, Stop, Vehicle
from samfard.goods.price_store import demo_price_lists, store_price_list
from samfard.timeutil import STOCKHOLM, local

BO = {
    **ANNA,
    "personal_number": "19550303-1238",
    "first_name": "Bo",
    "last_name": "Sundström",
    "address": {  # in the forest north-west of Sundsvall, kilometres from any stop
        "street": "Skogsstigen 3",
        "postal_code": "856 52",
        "city": "Sundsvall",
        "municipality_code": "2281",
        "lat": 62.42,
        "lon": 17.22,
    },
    "phone": "070-5550001",
}
OTHER_UNIT = "Östersunds sjukhus, ortopedi"
CARRIER_23 = "Jämtlandstaxi"
CARRIER_22 = "Mittnorrtaxi"
# What no caller scoped to 22 may ever read: Anna's name, number, street and phone.
ANNA_SECRETS = ("Testsson", "191212121212", "19121212-1212", "Skogsvägen 1", "1234567")
SIDE_22 = ["22", "2281"]


@dataclass(frozen=True)
class ScopeWorld:
    desk: str  # an operator scoped to every principal, who built the world
    admin: str  # a system administrator (every principal, no right to protected identities)
    anna: int
    hidden: int
    bo: int
    anna_booking: int
    anna_care_booking: int
    hidden_booking: int
    bo_booking: int
    bo_booking_2: int
    anna_series: int
    anna_certificate: int  # issued at the 23 care unit
    anna_references: tuple[str, ...]
    user_23: int
    issuer_23: int
    issuer_22: int
    vehicles: dict[str, int]
    runs: dict[str, int]  # shared (carrier 1: Anna and Bo), bo (carrier 2), hidden (carrier 1)
    anna_deviation: int  # a deviation about Anna's trip (region 23, carrier 1)
    hidden_aid: int  # region 23's aid to the protected person's home (a consignment)


def _issuer(client: TestClient, admin: str, hsa: str, unit: str, principal: str) -> int:
    response = client.post(
        "/api/v1/issuers",
        json={
            "hsa_id": hsa,
            "name": f"Doktor {hsa[-3:]}",
            "unit": unit,
            "principal": principal,
            "course_passed_on": "2026-01-01",
            "certified_until": "2027-12-31",
        },
        headers=auth(admin),
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def certificate(issuer: int, principal: str) -> dict[str, Any]:
    return {
        "principal": principal,
        "kind": "single_trip",
        "modes": ["taxi"],
        "valid_from": "2026-11-20",
        "valid_until": "2026-12-20",
        "issuer_id": issuer,
    }


def series_body(client: TestClient, token: str, traveller_id: int, region: str) -> dict[str, Any]:
    one = sjukresa(client, token, traveller_id, region)
    return {
        "traveller_id": traveller_id,
        "service": "sjukresa",
        "principal": region,
        "purpose": "treatment",
        "weekdays": ["mon", "wed"],
        "start_date": "2026-11-30",
        "end_date": "2026-12-09",
        "legs": [
            {
                "origin": {"home": True},
                "destination": one["legs"][0]["destination"],
                "appointment_time": "09:30",
            }
        ],
    }


def _vehicle(session: Session, code: str, carrier_id: int) -> Vehicle:
    vehicle = Vehicle(
        code=code,
        carrier_name=CARRIER_23 if carrier_id == 1 else CARRIER_22,
        carrier_id=carrier_id,
        county_code="23" if carrier_id == 1 else "22",
        vehicle_type="taxi",
        seats=4,
        wheelchair_places=0,
        stretcher_places=0,
        depot_name="Depå",
        depot_lat=63.0,
        depot_lon=15.0,
        shift_start=time(5, 0),
        shift_end=time(23, 0),
        cost_per_km_ore=1000,
        cost_per_hour_ore=30000,
        fixed_cost_ore=0,
        active=True,
    )
    session.add(vehicle)
    session.flush()
    return vehicle


def _run(session: Session, plan: PlanRun, vehicle: Vehicle, bookings: list[int]) -> Run:
    """A run picking up each booking's first leg in turn, then dropping each off."""
    start = local(MONDAY, time(7, 0))
    legs = {}
    for booking_id in bookings:
        booking = session.get(Booking, booking_id)
        assert booking is not None
        legs[booking_id] = booking.legs[0]
    run = Run(
        plan_run_id=plan.id,
        vehicle_id=vehicle.id,
        start_at=start,
        end_at=start + timedelta(hours=3),
        distance_km=25.0,
    )
    seq = 0
    for kind in ("pickup", "dropoff"):
        for booking_id in bookings:
            leg = legs[booking_id]
            at = start + timedelta(minutes=10 * (seq + 1))
            run.stops.append(
                Stop(
                    seq=seq,
                    booking_id=booking_id,
                    leg_id=leg.id,
                    leg_seq=leg.seq,
                    kind=kind,
                    planned_at=at,
                    promised_from=at - timedelta(minutes=10) if kind == "pickup" else None,
                    promised_until=at + timedelta(minutes=10) if kind == "pickup" else None,
                )
            )
            seq += 1
    session.add(run)
    session.flush()
    session.expire(plan, ["runs"])
    return run


def _plan(session: Session, shared: list[int], bo: list[int], hidden: list[int]) -> dict[str, Any]:
    v1, v2, v3 = (_vehicle(session, c, k) for c, k in (("JT-1", 1), ("MN-2", 2), ("JT-3", 1)))
    plan = PlanRun(
        service_date=MONDAY,
        version=1,
        kind="day_ahead",
        created_at=NOW,
        created_by="scope-world",
        settings={},
        objective=0.0,
        verified=True,
        unserved=[],
    )
    session.add(plan)
    session.flush()
    runs = {
        "shared": _run(session, plan, v1, shared).id,
        "bo": _run(session, plan, v2, bo).id,
        "hidden": _run(session, plan, v3, hidden).id,
    }
    return {"vehicles": {"shared": v1.id, "bo": v2.id, "hidden": v3.id}, "runs": runs}


def add_settled_run(
    session: Session, ref: str, carrier: str, day: date, principals: list[str]
) -> None:
    start = datetime.combine(day, time(9, 0), tzinfo=STOCKHOLM)
    ore = dict.fromkeys(
        (
            "start_fee_ore",
            "distance_ore",
            "driving_time_ore",
            "waiting_time_ore",
            "surcharge_ore",
            "supplements_ore",
            "driver_ore",
        ),
        0,
    )
    session.add(
        SettledRun(
            run_ref=ref,
            source="history",
            day=day,
            carrier=carrier,
            contract_code="K-1",
            vehicle_type="taxi",
            basis="actual",
            start_at=start,
            end_at=start + timedelta(hours=1),
            driven_m=12000,
            driving_cmin=3000,
            waiting_cmin=0,
            fixed_ore=77_700,
            total_ore=77_700,
            settled_at=NOW,
            **ore,
        )
    )
    session.flush()
    for n, principal in enumerate(principals):
        session.add(
            SettledTrip(
                trip_key=f"{ref}.{n}",
                run_ref=ref,
                booking_id=None,
                leg_seq=None,
                principal_code=principal,
                service="sjukresa",
                day=day,
                pickup_at=start,
                passengers=1,
                run_passengers=len(principals),
                direct_m=10000,
                standalone_ore=50_000,
                allocated_ore=40_000,
                fee_ore=0,
                stretcher=False,
                dialysis=False,
                wheelchair=False,
                promised_pickup=None,
                actual_pickup=None,
                deviations=0,
                carrier=carrier,
                contract_code="K-1",
            )
        )
    session.flush()


def build_scope_world(client: TestClient, session: Session) -> ScopeWorld:
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="scope-admin")
    desk = token_for(session, Role.OPERATOR, now=NOW, username="scope-desk")
    anna = register(client, desk, ANNA_FAR_FROM_A_LINE)
    hidden = register(client, desk, PROTECTED)
    bo = register(client, desk, BO)
    anna_booking = book(client, desk, anna, "23")
    hidden_booking = book(client, desk, hidden, "23")
    bo_booking = book(client, desk, bo, "22")
    bo_booking_2 = book(client, desk, bo, "22")
    care = token_for(
        session,
        Role.CARE_ISSUER,
        now=NOW,
        username="scope-dialys",
        principals=["23"],
        care_unit=CARE_UNIT,
    )
    anna_care_booking = book(client, care, anna, "23")
    series = client.post(
        "/api/v1/series", json=series_body(client, desk, anna, "23"), headers=auth(desk)
    )
    assert series.status_code == 201, series.text
    issuer_23 = _issuer(client, admin, "SE2321000065-S23", CARE_UNIT, "23")
    issuer_22 = _issuer(client, admin, "SE2321000065-S22", "Sundsvalls sjukhus", "22")
    issued = client.post(
        f"/api/v1/travellers/{anna}/certificates",
        json=certificate(issuer_23, "23"),
        headers=auth(admin),
    )
    assert issued.status_code == 201, issued.text
    user_23 = create_user(
        session=session,
        username="scope-op-23",
        password="correct-horse-42",
        role=Role.OPERATOR,
        now=NOW,
        principal_codes=["23"],
    )
    # The aid is booked before Monday is planned, so the plan carries the world's trips
    # only (goods booked for a planned day go into its plan at once: docs/goods.md).
    with transaction(session):
        for price_list in demo_price_lists():
            store_price_list(session, price_list)
    aid = client.post(
        "/api/v1/goods", json=aid_body(client, desk, hidden, "23"), headers=auth(desk)
    )
    assert aid.status_code == 201, aid.text
    fleet = _plan(
        session,
        shared=[anna_booking, bo_booking],
        bo=[bo_booking_2],
        hidden=[hidden_booking],
    )
    add_settled_run(session, "s-23", CARRIER_23, date(2026, 10, 5), ["23"])
    add_settled_run(session, "s-23-empty", CARRIER_23, date(2026, 9, 7), [])
    add_settled_run(session, "s-22", CARRIER_22, date(2026, 10, 6), ["22"])
    anna_deviation = _deviation(client, desk, anna_booking)
    references = tuple(
        str(session.get(Booking, b).reference)  # type: ignore[union-attr]
        for b in (anna_booking, anna_care_booking, hidden_booking)
    )
    return ScopeWorld(
        desk=desk,
        admin=admin,
        anna=anna,
        hidden=hidden,
        bo=bo,
        anna_booking=anna_booking,
        anna_care_booking=anna_care_booking,
        hidden_booking=hidden_booking,
        bo_booking=bo_booking,
        bo_booking_2=bo_booking_2,
        anna_series=int(series.json()["id"]),
        anna_certificate=int(issued.json()["id"]),
        anna_references=references,
        user_23=user_23.id,
        issuer_23=issuer_23,
        issuer_22=issuer_22,
        vehicles=fleet["vehicles"],
        runs=fleet["runs"],
        anna_deviation=anna_deviation,
        hidden_aid=int(aid.json()["id"]),
    )


def aid_body(client: TestClient, token: str, recipient: int, principal: str) -> dict[str, Any]:
    """An aid (hjälpmedel) from the hospital to the recipient's home on Monday morning."""
    return {
        "principal": principal,
        "kind": "aid",
        "units": 2,
        "description": "Rullstol",
        "recipient_traveller_id": recipient,
        "pickup": {"place_id": place_id(client, token, "Östersunds sjukhus")},
        "dropoff": {"home": True},
        "pickup_from": local(MONDAY, time(9)).isoformat(),
        "pickup_until": local(MONDAY, time(11)).isoformat(),
        "dropoff_from": local(MONDAY, time(9)).isoformat(),
        "dropoff_until": local(MONDAY, time(14)).isoformat(),
    }


def deviation_body(booking_id: int) -> dict[str, Any]:
    """A late vehicle on a trip; it happened (the world's clock is before the trip day)."""
    return {
        "booking_id": booking_id,
        "kind": "late",
        "severity": "moderate",
        "description": "Bilen kom 30 minuter sent",
        "occurred_at": (NOW - timedelta(hours=1)).isoformat(),
    }


def _deviation(client: TestClient, token: str, booking_id: int) -> int:
    response = client.post(
        "/api/v1/deviations", json=deviation_body(booking_id), headers=auth(token)
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def morning_of_the_day() -> datetime:
    """The clock for a driver's "today": the world's service day, early."""
    return local(MONDAY, time(6, 0))
