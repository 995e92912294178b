"""Contracts: validity boundaries, overlap refusal, bad rates, holiday calendar."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from typing import Any

import pytest

from samfard.costs.contracts import (
    Contract,
    PriceList,
    VehicleType,
    find_contract,
    is_weekend_rate_day,
    parse_contract,
    swedish_holidays,
    validate_contracts,
)
from samfard.errors import Conflict, InputError, NotFound


def raw_contract(code: str, valid_from: str, valid_to: str | None, **car: Any) -> dict[str, Any]:
    tariff = {
        "vehicle_type": "taxi",
        "start_fee": 4500,
        "per_km": "12.5",
        "per_driving_minute": 300,
        "per_waiting_minute": 500,
        **car,
    }
    return {
        "code": code,
        "carrier": "Taxi Jämt",
        "valid_from": valid_from,
        "valid_to": valid_to,
        "area": ["2380"],
        "tariffs": [tariff],
    }


def test_contract_covers_both_ends_of_its_period_and_nothing_outside(taxi_2026: Contract) -> None:
    assert taxi_2026.covers(date(2026, 1, 1))
    assert taxi_2026.covers(date(2026, 12, 31))
    assert not taxi_2026.covers(date(2025, 12, 31))
    assert not taxi_2026.covers(date(2027, 1, 1))


def test_contract_ending_the_day_before_the_next_begins_does_not_overlap() -> None:
    first = parse_contract(raw_contract("A", "2025-01-01", "2025-12-31"))
    second = parse_contract(raw_contract("B", "2026-01-01", None))
    validate_contracts([second, first])
    found = find_contract(
        [first, second], carrier="Taxi Jämt", vehicle_type=VehicleType.TAXI, day=date(2025, 12, 31)
    )
    assert found.code == "A"
    found = find_contract(
        [first, second], carrier="Taxi Jämt", vehicle_type=VehicleType.TAXI, day=date(2026, 1, 1)
    )
    assert found.code == "B"


def test_overlap_by_one_day_is_refused_naming_both_contracts() -> None:
    first = parse_contract(raw_contract("A", "2025-01-01", "2025-12-31"))
    second = parse_contract(raw_contract("B", "2025-12-31", None))
    with pytest.raises(Conflict) as caught:
        validate_contracts([first, second])
    assert "B" in caught.value.message and "A" in caught.value.message
    assert "taxi" in caught.value.message
    assert caught.value.field == "valid_from"


def test_overlap_is_allowed_for_other_vehicle_types_and_other_carriers() -> None:
    first = parse_contract(raw_contract("A", "2025-01-01", None))
    other_type = parse_contract(raw_contract("B", "2025-06-01", None, vehicle_type="stretcher"))
    other_carrier = dataclasses.replace(
        parse_contract(raw_contract("C", "2025-06-01", None)), carrier="Buss AB"
    )
    validate_contracts([first, other_type, other_carrier])


def test_negative_rate_is_refused_naming_contract_and_field() -> None:
    with pytest.raises(InputError) as caught:
        parse_contract(raw_contract("TX-9", "2026-01-01", None, per_km="-1"))
    assert "TX-9" in caught.value.message
    assert caught.value.field == "per_km"


def test_end_before_start_is_refused() -> None:
    with pytest.raises(InputError, match="valid_to 2025-01-01 is before"):
        parse_contract(raw_contract("TX-9", "2026-01-01", "2025-01-01"))


def test_unpriced_vehicle_type_is_refused_naming_contract(taxi_2026: Contract) -> None:
    only_car = dataclasses.replace(taxi_2026, tariffs=taxi_2026.tariffs[:1])
    with pytest.raises(InputError) as caught:
        only_car.tariff_for(VehicleType.STRETCHER)
    assert "TX-2026" in caught.value.message and "stretcher" in caught.value.message
    assert caught.value.field == "vehicle_type"


def test_no_contract_on_a_day_is_not_found(taxi_2026: Contract) -> None:
    with pytest.raises(NotFound, match="2027-01-01"):
        find_contract(
            [taxi_2026], carrier="Taxi Jämt", vehicle_type=VehicleType.TAXI, day=date(2027, 1, 1)
        )


def test_holidays_follow_easter_and_midsummer() -> None:
    days = swedish_holidays(2026)
    assert date(2026, 4, 3) in days  # Good Friday; Easter Sunday 2026-04-05
    assert date(2026, 4, 6) in days  # Easter Monday
    assert date(2026, 5, 14) in days  # Ascension
    assert date(2026, 6, 19) in days  # Midsummer Eve
    assert date(2026, 10, 31) in days  # All Saints' Day
    assert date(2025, 4, 21) in swedish_holidays(2025)  # Easter Monday 2025
    assert date(2024, 3, 29) in swedish_holidays(2024)  # Good Friday 2024
    assert len(days) == 16


def test_weekend_rate_days_are_weekends_and_holidays_only() -> None:
    assert is_weekend_rate_day(date(2026, 11, 21))  # Saturday
    assert is_weekend_rate_day(date(2026, 12, 24))  # Christmas Eve, Thursday
    assert not is_weekend_rate_day(date(2026, 11, 23))  # Monday


def test_night_interval_wraps_midnight(taxi_2026: Contract) -> None:
    car = taxi_2026.tariff_for(VehicleType.TAXI)
    assert isinstance(car, PriceList)
    assert car.is_night(time(22, 0)) and car.is_night(time(5, 59))
    assert not car.is_night(time(6, 0)) and not car.is_night(time(21, 59))


def test_bad_or_missing_dates_name_the_field() -> None:
    with pytest.raises(InputError) as caught:
        parse_contract(raw_contract("TX-9", "2026-01-01", "31/12/2026"))
    assert caught.value.field == "valid_to" and "TX-9" in caught.value.message
    missing = raw_contract("TX-9", "2026-01-01", None)
    del missing["valid_from"]
    with pytest.raises(InputError, match="TX-9: missing field valid_from"):
        parse_contract(missing)


def test_find_contract_by_municipality(taxi_2026: Contract) -> None:
    day = date(2026, 6, 1)
    found = find_contract(
        [taxi_2026],
        carrier="Taxi Jämt",
        vehicle_type=VehicleType.TAXI,
        day=day,
        municipality="2309",
    )
    assert found is taxi_2026
    with pytest.raises(NotFound, match="in municipality 2281"):
        find_contract(
            [taxi_2026],
            carrier="Taxi Jämt",
            vehicle_type=VehicleType.TAXI,
            day=day,
            municipality="2281",
        )
