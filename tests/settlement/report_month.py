"""A hand-made settled month (October 2026 and October 2025) with figures easy to check.

Principal 23, October 2026: three trips, cost 300 + 200 + 500 kr, standalone 400 + 250 +
500 kr, fees 50 + 0 + 75 kr. October 2025: one sjukresa for 400 kr. Principal 22 has one
trip of 999 kr in October 2026, which no principal-23 figure may include.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from samfard.costs.service import insert_settled
from samfard.db import transaction
from samfard.timeutil import local

CARRIER = "Demo Taxi Jämtland Härjedalen"
SETTLED_AT = local(date(2026, 11, 1), time(3, 0))

# (key, principal, service, day, allocated, standalone, fee, direct metres, run)
TRIPS = (
    ("t1", "23", "sjukresa", date(2026, 10, 5), 30000, 40000, 5000, 12000, "r1"),
    ("t2", "23", "sjukresa", date(2026, 10, 5), 20000, 25000, 0, 8000, "r1"),
    ("t3", "23", "fardtjanst", date(2026, 10, 20), 50000, 50000, 7500, 45000, "r2"),
    ("t4", "23", "sjukresa", date(2025, 10, 7), 40000, 40000, 0, 20000, "r3"),
    ("t5", "22", "sjukresa", date(2026, 10, 9), 99900, 99900, 0, 150000, "r4"),
)


def _run(ref: str, day: date, total: int) -> dict[str, Any]:
    start = local(day, time(8, 0))
    return {
        "run_ref": ref,
        "source": "history",
        "day": day,
        "carrier": CARRIER,
        "contract_code": "JH-TAXI-2026" if day.year == 2026 else "JH-TAXI-2025",
        "vehicle_type": "taxi",
        "basis": "planned",
        "start_at": start,
        "end_at": local(day, time(9, 0)),
        "driven_m": 30000,
        "driving_cmin": 4000,
        "waiting_cmin": 500,
        "start_fee_ore": 0,
        "distance_ore": total,
        "driving_time_ore": 0,
        "waiting_time_ore": 0,
        "surcharge_ore": 0,
        "supplements_ore": 0,
        "fixed_ore": 0,
        "driver_ore": 0,
        "total_ore": total,
        "settled_at": SETTLED_AT,
    }


def _trip(row: tuple[Any, ...]) -> dict[str, Any]:
    key, principal, service, day, allocated, standalone, fee, metres, run = row
    pickup: datetime = local(day, time(8, 15))
    return {
        "trip_key": key,
        "run_ref": run,
        "booking_id": None,
        "leg_seq": None,
        "principal_code": principal,
        "service": service,
        "day": day,
        "pickup_at": pickup,
        "passengers": 1,
        "run_passengers": 2 if run == "r1" else 1,
        "direct_m": metres,
        "standalone_ore": standalone,
        "allocated_ore": allocated,
        "fee_ore": fee,
        "stretcher": False,
        "dialysis": False,
        "wheelchair": False,
        "promised_pickup": pickup,
        "actual_pickup": pickup,
        "deviations": 0,
        "carrier": CARRIER,
        "contract_code": "JH-TAXI-2026",
    }


def load_month(session: Session) -> None:
    runs: dict[str, tuple[date, int]] = {}
    for row in TRIPS:
        day, cost = runs.get(row[8], (row[3], 0))
        runs[row[8]] = (day, cost + row[4])
    with transaction(session):
        insert_settled(
            session,
            [_run(ref, day, total) for ref, (day, total) in runs.items()],
            [_trip(row) for row in TRIPS],
        )
