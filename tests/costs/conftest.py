"""Named fixtures for the cost tests: one taxi contract and one own-fleet contract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from samfard.costs.contracts import Contract, FleetCostModel, PriceList, VehicleType


@pytest.fixture
def taxi_2026() -> Contract:
    """Taxi contract for 2026: car 45 kr + 12 kr/km + 3 kr/min, night +20 %, weekend +10 %."""
    return Contract(
        code="TX-2026",
        carrier="Taxi Jämt",
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
        area=frozenset({"2380", "2309"}),
        tariffs=(
            PriceList(
                VehicleType.TAXI,
                start_fee=4500,
                per_km=Decimal(1200),
                per_driving_minute=Decimal(300),
                per_waiting_minute=Decimal(500),
                night_surcharge_pct=Decimal(20),
                weekend_surcharge_pct=Decimal(10),
                wheelchair_supplement=0,
            ),
            PriceList(
                VehicleType.WHEELCHAIR,
                start_fee=9000,
                per_km=Decimal(1500),
                per_driving_minute=Decimal(400),
                per_waiting_minute=Decimal(600),
                wheelchair_supplement=10000,
            ),
            PriceList(
                VehicleType.STRETCHER,
                start_fee=50000,
                per_km=Decimal(2500),
                per_driving_minute=Decimal(600),
                per_waiting_minute=Decimal(600),
                stretcher_supplement=30000,
            ),
        ),
    )


@pytest.fixture
def own_fleet_2026() -> Contract:
    """Own fleet: 1 200 kr per vehicle-day, driver 360 kr/h, 4 kr/km."""
    return Contract(
        code="EGEN-2026",
        carrier="Regionens fordon",
        valid_from=date(2026, 1, 1),
        valid_to=None,
        area=frozenset({"2380"}),
        tariffs=(
            FleetCostModel(
                VehicleType.TAXI,
                fixed_per_vehicle_day=120000,
                driver_per_hour=36000,
                per_km=Decimal(400),
            ),
        ),
        own_fleet=True,
    )
