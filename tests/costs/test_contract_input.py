"""Contract input is read field by field: whole öre are whole, rates finite and bounded, and
every refusal names the contract, the tariff and the field (never a TypeError later)."""

from __future__ import annotations

import contextlib
import dataclasses
import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samfard.costs.contracts import (
    _READERS,
    FleetCostModel,
    PriceList,
    VehicleType,
    parse_contract,
    penalty_data,
    tariff_data,
)
from samfard.errors import InputError

TARIFF = {
    "vehicle_type": "taxi",
    "start_fee": 4500,
    "per_km": "1180",
    "per_driving_minute": "590",
    "per_waiting_minute": "750",
    "night_surcharge_pct": "20",
    "weekend_surcharge_pct": "10",
}
OWN = {
    "vehicle_type": "minibus",
    "fixed_per_vehicle_day": 95000,
    "driver_per_hour": 25000,
    "driver_on_cost_pct": "42",
    "per_km": "450",
}


def contract(tariff: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "code": "PROBE-2027",
        "carrier": "Probe Taxi",
        "valid_from": "2027-01-01",
        "area": ["2380"],
        "tariffs": [tariff if tariff is not None else TARIFF],
        **fields,
    }


def refusal(raw: object) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_contract(raw)
    return caught.value


@pytest.mark.parametrize(
    "field, value, says",
    [
        ("start_fee", 47.50, "whole öre (1 kr = 100 öre), got 47.5; write 4750 for 47,50 kr"),
        ("start_fee", "45.5", "whole öre"),
        ("start_fee", 45.555, "write a whole number of öre"),
        ("start_fee", True, "must be a number"),
        ("start_fee", "abc", "must be a number"),
        ("start_fee", [4500], "must be a number"),
        ("start_fee", -1, "zero or more"),
        ("start_fee", 10**12, "at most"),
        ("wheelchair_supplement", 100.5, "whole öre"),
        ("per_km", "Infinity", "finite"),
        ("per_km", "NaN", "finite"),
        ("per_km", math.nan, "finite"),
        ("per_km", "1e400", "at most"),
        ("per_km", False, "must be a number"),
        ("per_driving_minute", "-0.5", "zero or more"),
        ("night_surcharge_pct", "sNaN", "finite"),
        ("weekend_surcharge_pct", 100000, "at most"),
        ("night_start", 22, "local time like 22:00"),
        ("night_end", "06:00+01:00", "local time like 22:00"),
        ("vehicle_type", "bus", "one of taxi, minibus, wheelchair, stretcher"),
        ("fixed_per_vehicle_day", 95000, "unknown field fixed_per_vehicle_day"),
    ],
)
def test_a_bad_price_list_amount_is_refused_naming_contract_tariff_and_field(
    field: str, value: object, says: str
) -> None:
    error = refusal(contract({**TARIFF, field: value}))
    assert error.message.startswith("contract PROBE-2027, tariff ")
    assert says in error.message
    assert error.field == field


@pytest.mark.parametrize(
    "field, value, says",
    [
        ("fixed_per_vehicle_day", 950.5, "whole öre"),
        ("driver_per_hour", "250.00 kr", "must be a number"),
        ("driver_on_cost_pct", "Infinity", "finite"),
        ("per_km", True, "must be a number"),
    ],
)
def test_a_bad_own_fleet_amount_is_refused_naming_the_field(
    field: str, value: object, says: str
) -> None:
    error = refusal(contract({**OWN, field: value}, own_fleet=True))
    assert "contract PROBE-2027, tariff minibus" in error.message and says in error.message
    assert error.field == field


def test_a_missing_rate_is_named() -> None:
    error = refusal(contract({k: v for k, v in TARIFF.items() if k != "per_km"}))
    assert "contract PROBE-2027, tariff taxi: missing field per_km" in error.message
    assert error.field == "per_km"


@pytest.mark.parametrize(
    "fields, field, says",
    [
        ({"own_fleet": "false"}, "own_fleet", "true or false"),
        ({"area": "2380"}, "area", "list of municipality codes"),
        ({"area": [2380]}, "area", "four-digit municipality codes as text"),
        ({"valid_to": 20271231}, "valid_to", "a date like 2026-01-01"),
        ({"valid_until": "2027-12-31"}, "valid_until", "unknown field valid_until"),
        ({"tariffs": TARIFF}, "tariffs", "list of tables"),
        ({"tariffs": [1]}, "tariffs", "a tariff must be a table"),
        ({"penalties": [{"kind": "late", "amount": 47.5}]}, "amount", "whole öre"),
        ({"penalties": [{"kind": "late", "amount": True}]}, "amount", "must be a number"),
        ({"penalties": [{"kind": "late", "amount": 1, "severities": "x"}]}, "severities", "list"),
        ({"carrier": 7}, "carrier", "non-empty text"),
        ({"code": "X" * 41}, "code", "at most 40 characters"),
    ],
)
def test_a_bad_contract_field_is_refused_naming_it(
    fields: dict[str, Any], field: str, says: str
) -> None:
    error = refusal(contract(**fields))
    assert says in error.message and error.field == field


@pytest.mark.parametrize("raw", [1, "PROBE", [TARIFF], None])
def test_a_contract_that_is_not_a_table_is_refused(raw: object) -> None:
    assert "a contract must be a table" in refusal(raw).message


@pytest.mark.parametrize("kind", [PriceList, FleetCostModel])
def test_every_tariff_field_has_a_reader(kind: type) -> None:
    """A field added without a reader would be neither checked nor parseable."""
    assert {f.name for f in dataclasses.fields(kind)} <= set(_READERS)


def test_integral_amounts_in_any_number_form_read_as_whole_ore() -> None:
    tariff = {**TARIFF, "start_fee": 4500.0, "stretcher_supplement": "32000", "per_km": 1452.5}
    car = parse_contract(contract(tariff)).tariffs[0]
    assert isinstance(car, PriceList)
    assert car.start_fee == 4500 and type(car.start_fee) is int
    assert car.stretcher_supplement == 32000 and type(car.stretcher_supplement) is int
    assert car.per_km == Decimal("1452.5")


def test_a_tariff_made_in_code_meets_the_same_checks() -> None:
    with pytest.raises(InputError, match="start_fee is whole öre"):
        PriceList(VehicleType.TAXI, 47.5, Decimal(1), Decimal(1), Decimal(1))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="per_km must be a finite number"):
        FleetCostModel(VehicleType.TAXI, 1, 1, Decimal("Infinity"))


def test_stored_data_is_what_was_checked_and_reads_back_equal() -> None:
    raw = contract(
        {**TARIFF, "start_fee": 4500.0, "per_km": 1180.5, "night_start": "22:30"},
        penalties=[{"kind": "late", "amount": "50000", "severities": ["serious", "minor"]}],
    )
    parsed = parse_contract(raw)
    stored = {
        **raw,
        "tariffs": [tariff_data(t) for t in parsed.tariffs],
        "penalties": [penalty_data(p) for p in parsed.penalties],
    }
    assert stored["tariffs"][0]["start_fee"] == 4500
    assert stored["tariffs"][0]["per_km"] == "1180.5"
    assert stored["penalties"][0] == {
        "kind": "late",
        "amount": 50000,
        "severities": ["minor", "serious"],
        "text": "",
    }
    assert parse_contract(stored) == parsed


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["47.5", "NaN", "Infinity", "1e400", "22:00", "taxi", "2027-01-01"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from([*TARIFF, "night_start", "wheelchair_supplement"]),
    value=JSON_VALUES,
)
def test_any_value_in_any_tariff_field_is_read_or_refused_as_input(
    field: str, value: object
) -> None:
    """Whatever a file holds, the parser answers with a contract or an InputError, never
    a TypeError or InvalidOperation (which the CLI printed as a traceback)."""
    try:
        parse_contract(contract({**TARIFF, field: value}))
    except InputError as error:
        assert error.field == field


@settings(max_examples=200, deadline=None)
@given(raw=JSON_VALUES)
def test_any_value_as_a_contract_is_read_or_refused_as_input(raw: object) -> None:
    with contextlib.suppress(InputError):
        parse_contract(raw)
