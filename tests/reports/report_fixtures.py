"""A hand-computed fixture: November 2026 against November 2025 for Region Jämtland (23).

2025-11, principal 23: two sjukresor, 600 + 400 kr, alone 600 + 600 kr, fees 200 kr each.
2026-11, principal 23: three sjukresor at 500 kr, alone 600 kr each, fees 200 kr each:
  t1 10 km, shared (1 of 2 on board), picked up exactly 10 min late (punctual);
  t2 20 km, shared (1 of 2), 11 min late with one deviation; t3 120 km alone, dialysis,
  stretcher, no actual times reported.
2026-03, principal 23: one sjukresa at 100 kr (year to date only).
2026-11, principal 2380: one färdtjänst trip at 300 kr (other principal).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from samfard.reports.kpi import TripRecord
from samfard.timeutil import STOCKHOLM


def _rec(trip_id: str, day: date, cost: int, alone: int, km: str, **kw: object) -> TripRecord:
    facts: dict[str, object] = {
        "trip_id": trip_id,
        "principal": "23",
        "service": "sjukresa",
        "day": day,
        "passengers": 1,
        "run_passengers": 1,
        "direct_km": Decimal(km),
        "standalone": alone,
        "allocated": cost,
        "fee": 20000,
    }
    facts.update(kw)
    return TripRecord(**facts)  # type: ignore[arg-type]


PROMISED = datetime(2026, 11, 10, 10, 0, tzinfo=STOCKHOLM)


def november_records() -> list[TripRecord]:
    last = date(2025, 11, 12)
    now = date(2026, 11, 10)
    return [
        _rec("p1", last, 60000, 60000, "15"),
        _rec("p2", last, 40000, 60000, "15"),
        _rec(
            "t1",
            now,
            50000,
            60000,
            "10",
            run_passengers=2,
            promised_pickup=PROMISED,
            actual_pickup=PROMISED + timedelta(minutes=10),
        ),
        _rec(
            "t2",
            now,
            50000,
            60000,
            "20",
            run_passengers=2,
            deviations=1,
            promised_pickup=PROMISED,
            actual_pickup=PROMISED + timedelta(minutes=11),
        ),
        _rec("t3", now, 50000, 60000, "120", dialysis=True, stretcher=True),
        _rec("m1", date(2026, 3, 2), 10000, 10000, "5", fee=0),
        _rec("f1", now, 30000, 30000, "5", principal="2380", service="fardtjanst", fee=4500),
    ]
