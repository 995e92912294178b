"""Contracts in the database: loaded from the demo files, refused when they overlap."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.costs.contracts import VehicleType, find_contract
from samfard.costs.models import Carrier
from samfard.costs.service import add_contract, load_contract_files
from samfard.costs.stored_contracts import load_contracts
from samfard.errors import Conflict, InputError

TAXI = {
    "vehicle_type": "taxi",
    "start_fee": 5000,
    "per_km": "1200",
    "per_driving_minute": "600",
    "per_waiting_minute": "700",
}


def _carrier(session: Session, name: str) -> Carrier:
    carrier = session.scalar(select(Carrier).where(Carrier.name == name))
    assert carrier is not None
    return carrier


def test_demo_contracts_load_once_and_read_back_as_the_files_say(session: Session) -> None:
    added = load_contract_files(session)
    assert sorted(added) == [
        "JH-EGEN-2025",
        "JH-TAXI-2025",
        "JH-TAXI-2026",
        "MN-SPEC-2025",
        "VN-TAXI-2025",
        "VN-TAXI-2026",
    ]
    assert load_contract_files(session) == []
    contracts = load_contracts(session)
    assert len(contracts) == 6
    taxi = find_contract(
        contracts,
        carrier="Demo Taxi Jämtland Härjedalen",
        vehicle_type=VehicleType.TAXI,
        day=date(2026, 10, 1),
    )
    assert taxi.code == "JH-TAXI-2026"
    own = next(c for c in contracts if c.code == "JH-EGEN-2025")
    assert own.own_fleet and own.vehicle_types == {
        VehicleType.MINIBUS,
        VehicleType.WHEELCHAIR,
        VehicleType.STRETCHER,
    }


def test_an_overlapping_contract_is_refused_naming_both_contracts_and_the_field(
    session: Session,
) -> None:
    load_contract_files(session)
    carrier = _carrier(session, "Demo Taxi Jämtland Härjedalen")
    raw = {"code": "JH-TAXI-EXTRA", "valid_from": "2026-06-01", "tariffs": [TAXI]}
    with pytest.raises(Conflict) as refused:
        add_contract(session, carrier, raw)
    assert "JH-TAXI-EXTRA" in refused.value.message
    assert "JH-TAXI-2026" in refused.value.message
    assert refused.value.field == "valid_from"


def test_a_bad_tariff_is_refused_naming_the_contract_and_the_field(session: Session) -> None:
    load_contract_files(session)
    carrier = _carrier(session, "Demo Specialtransport Mittnorrland")
    raw = {
        "code": "MN-BAD",
        "valid_from": "2024-01-01",
        "valid_to": "2024-12-31",
        "tariffs": [{**TAXI, "start_fee": -1}],
    }
    with pytest.raises(InputError) as refused:
        add_contract(session, carrier, raw)
    assert "contract MN-BAD" in refused.value.message
    assert refused.value.field == "start_fee"


def test_a_contract_that_does_not_overlap_is_stored_and_priced_from_the_database(
    session: Session,
) -> None:
    load_contract_files(session)
    carrier = _carrier(session, "Demo Specialtransport Mittnorrland")
    add_contract(
        session,
        carrier,
        {"code": "MN-TAXI-2024", "valid_from": "2024-01-01", "valid_to": "2024-12-31",
         "tariffs": [TAXI]},
    )  # fmt: skip
    stored = next(c for c in load_contracts(session) if c.code == "MN-TAXI-2024")
    assert stored.tariff_for(VehicleType.TAXI).start_fee == 5000  # type: ignore[union-attr]


@pytest.mark.parametrize("contracts_first", [True, False])
def test_the_fleet_and_the_contracts_name_a_carrier_by_one_number(
    session: Session, contracts_first: bool
) -> None:
    """A carrier dispatcher's runs (by the vehicle's carrier) and deviations (by the register)
    are one carrier's, whichever is loaded first."""
    from samfard.dispatch.fleet import load_demo_fleet
    from samfard.dispatch.models import Vehicle

    if contracts_first:
        load_contract_files(session)
    load_demo_fleet(session)
    load_contract_files(session)
    register = {c.name: c.id for c in session.scalars(select(Carrier))}
    assert len(register) == 4  # the fleet's three and the special transport's
    vehicles = session.scalars(select(Vehicle)).all()
    assert vehicles and all(v.carrier_id == register[v.carrier_name] for v in vehicles)
