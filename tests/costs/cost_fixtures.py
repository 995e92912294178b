"""Helpers shared by the cost tests (a uniquely named module, importable by name)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from samfard.costs.contracts import Need
from samfard.costs.pricing import TripFacts
from samfard.timeutil import STOCKHOLM

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=STOCKHOLM)


def trip(
    trip_id: str,
    km: str,
    minutes: str,
    *,
    at: datetime = MONDAY_10,
    principal: str = "23",
    service: str = "sjukresa",
    needs: frozenset[Need] = frozenset(),
    passengers: int = 1,
) -> TripFacts:
    return TripFacts(
        trip_id=trip_id,
        principal=principal,
        service=service,
        pickup_at=at,
        direct_km=Decimal(km),
        direct_minutes=Decimal(minutes),
        passengers=passengers,
        needs=needs,
    )
