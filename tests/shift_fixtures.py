"""An in-memory vehicle route of two trips (no database), with the demo contracts parsed
from their files, for tests that price a whole shift and compare plan and settlement."""

from __future__ import annotations

import tomllib
from datetime import date, time, timedelta
from decimal import Decimal

from samfard.booking.models import Booking, Leg
from samfard.costs.contracts import Contract, parse_contract
from samfard.costs.service import DEMO_CONTRACTS
from samfard.dispatch.models import Run, Stop, Vehicle
from samfard.geo.traveltime import Point
from samfard.timeutil import local

DAY = date(2026, 11, 23)  # a Monday
OSTERSUND = Point(63.1767, 14.6361)
BRUNFLO = Point(63.0770, 14.8190)
KROKOM = Point(63.3270, 14.4560)


def demo_contracts() -> list[Contract]:
    contracts = []
    for path in sorted(DEMO_CONTRACTS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        head = data["carrier"]
        for raw in data["contracts"]:
            contracts.append(
                parse_contract(
                    {**raw, "carrier": head["name"], "own_fleet": head.get("own_fleet", False)}
                )
            )
    return contracts


def vehicle(carrier: str, kind: str = "wheelchair") -> Vehicle:
    return Vehicle(
        id=7,
        code="v7",
        carrier_name=carrier,
        carrier_id=3,
        county_code="23",
        vehicle_type=kind,
        seats=4,
        wheelchair_places=2,
        stretcher_places=0,
        depot_name="Östersund",
        depot_lat=OSTERSUND.lat,
        depot_lon=OSTERSUND.lon,
        shift_start=time(7),
        shift_end=time(16),
        cost_per_km_ore=1600,
        cost_per_hour_ore=52000,
        fixed_cost_ore=25000,
        active=True,
    )


def _booking(number: int, needs: list[str]) -> Booking:
    return Booking(
        id=number,
        principal_code="23",
        service="sjukresa",
        needs=needs,
        companions=[],
        purpose=None,
    )


def _leg(number: int, origin: Point, destination: Point) -> Leg:
    return Leg(
        id=10 * number,
        booking_id=number,
        seq=0,
        origin_lat=origin.lat,
        origin_lon=origin.lon,
        destination_lat=destination.lat,
        destination_lon=destination.lon,
    )


def route_of(
    v: Vehicle,
    trips: list[tuple[list[str], Point, Point]],
    plan: list[tuple[int, str, time]],
    day: date = DAY,
) -> tuple[Run, dict[int, Leg], dict[int, Booking]]:
    """A stored vehicle run of `trips` (needs, origin, destination; booking k + 1 is
    trips[k], its leg 10 * (k + 1)) with stops `plan` (booking, pickup or dropoff, planned
    time), leaving the depot 5 minutes before the first stop and home 30 after the last."""
    bookings = {k + 1: _booking(k + 1, needs) for k, (needs, _, _) in enumerate(trips)}
    legs = {10 * (k + 1): _leg(k + 1, o, d) for k, (_, o, d) in enumerate(trips)}
    stops = [
        Stop(
            id=k,
            seq=k,
            booking_id=b,
            leg_id=10 * b,
            leg_seq=0,
            kind=kind,
            planned_at=local(day, at),
        )
        for k, (b, kind, at) in enumerate(plan)
    ]
    run = Run(
        id=1,
        plan_run_id=1,
        vehicle_id=v.id,
        vehicle=v,
        start_at=stops[0].planned_at - timedelta(minutes=5),
        end_at=stops[-1].planned_at + timedelta(minutes=30),
        distance_km=0.0,
        stops=stops,
    )
    return run, legs, bookings


def two_trip_route(v: Vehicle) -> tuple[Run, dict[int, Leg], dict[int, Booking]]:
    """Östersund to Brunflo at 08:00 (seated), then Brunflo to Krokom at 10:00 (wheelchair):
    two stretches, the vehicle empty in between."""
    return route_of(
        v,
        [([], OSTERSUND, BRUNFLO), (["wheelchair"], BRUNFLO, KROKOM)],
        [
            (1, "pickup", time(8, 0)),
            (1, "dropoff", time(8, 30)),
            (2, "pickup", time(10, 0)),
            (2, "dropoff", time(10, 50)),
        ],
    )


def ore(value: Decimal) -> int:
    return int(value.to_integral_value())
