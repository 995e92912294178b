"""Contracts in the database: a bad file is refused at load naming file, contract, tariff
and field; what is stored is what was checked; a bad row stored before a check existed
stops only the lookups it would answer, names itself, and is repaired by loading its
corrected file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import plan_fixed
from samfard.access.actor import SYSTEM
from samfard.cli import main
from samfard.config import get_settings
from samfard.costs.carriers import ensure_carrier
from samfard.costs.contracts import ContractUnreadable, PriceList, VehicleType, find_contract
from samfard.costs.models import ContractRow
from samfard.costs.service import load_contract_files, settle_day, store_contract_files
from samfard.costs.stored_contracts import load_contracts
from samfard.db import make_engine, transaction, upgrade
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.store import latest_plan
from samfard.errors import InputError
from samfard.timeutil import local

PROBE_TOML = """\
[carrier]
name = "Probe Taxi"
org_number = "556900-9999"
own_fleet = false

[[contracts]]
code = "PROBE-2027"
valid_from = "2027-01-01"
area = ["2303", "2380"]

[[contracts.tariffs]]
vehicle_type = "taxi"
start_fee = {start_fee}
per_km = {per_km}
per_driving_minute = "590"
per_waiting_minute = "750"
night_surcharge_pct = "20"
weekend_surcharge_pct = "10"
"""
# The row the old loader stored for `start_fee = 47.50`: the float as a string.
BAD_TARIFF = {
    "vehicle_type": "taxi",
    "start_fee": "47.5",
    "per_km": "1180",
    "per_driving_minute": "590",
    "per_waiting_minute": "750",
}
DAY = date(2026, 11, 23)


def probe_dir(tmp_path: Path, start_fee: str = "4750", per_km: str = '"1180"') -> Path:
    folder = tmp_path / f"contracts-{start_fee}-{per_km}".replace('"', "")
    folder.mkdir()
    text = PROBE_TOML.format(start_fee=start_fee, per_km=per_km)
    (folder / "taxi.toml").write_text(text, encoding="utf-8")
    return folder


def store_bad_row(session: Session, tariffs: list[dict[str, object]] | None = None) -> None:
    """A row as the old loader stored it, bypassing today's checks."""
    with transaction(session):
        carrier = ensure_carrier(
            session, name="Probe Taxi", org_number="556900-9999", own_fleet=False
        )
        session.add(
            ContractRow(
                code="PROBE-2027",
                carrier_id=carrier.id,
                valid_from=date(2027, 1, 1),
                valid_to=None,
                area=["2380"],
                own_fleet=False,
                tariffs=tariffs or [BAD_TARIFF],
                penalties=[],
            )
        )


def test_a_start_fee_in_kronor_is_refused_at_load_naming_file_contract_tariff_and_field(
    session: Session, tmp_path: Path
) -> None:
    with pytest.raises(InputError) as refused:
        store_contract_files(session, probe_dir(tmp_path, start_fee="47.50"))
    assert refused.value.message == (
        "taxi.toml: contract PROBE-2027, tariff taxi: start_fee is whole öre "
        "(1 kr = 100 öre), got 47.5; write 4750 for 47,50 kr"
    )
    assert refused.value.field == "start_fee"
    assert session.scalar(select(ContractRow).where(ContractRow.code == "PROBE-2027")) is None


def test_the_row_keeps_the_checked_amounts_whatever_number_form_the_file_used(
    session: Session, tmp_path: Path
) -> None:
    assert store_contract_files(session, probe_dir(tmp_path, "4500.0", "1180.5")).added == [
        "PROBE-2027"
    ]
    row = session.scalar(select(ContractRow).where(ContractRow.code == "PROBE-2027"))
    assert row is not None
    assert row.tariffs[0]["start_fee"] == 4500
    assert row.tariffs[0]["per_km"] == "1180.5"
    (stored,) = [c for c in load_contracts(session) if c.code == "PROBE-2027"]
    car = stored.tariff_for(VehicleType.TAXI)
    assert isinstance(car, PriceList) and car.start_fee == 4500


def test_a_bad_stored_row_stops_only_the_lookups_it_would_answer_and_names_itself(
    session: Session,
) -> None:
    load_contract_files(session)
    store_bad_row(session)
    contracts = load_contracts(session)
    assert len(contracts) == 6  # the demo contracts still price
    (bad,) = contracts.unreadable
    assert bad.code == "PROBE-2027" and bad.vehicle_types == {"taxi"}
    found = find_contract(
        contracts,
        carrier="Demo Taxi Jämtland Härjedalen",
        vehicle_type=VehicleType.TAXI,
        day=date(2026, 10, 25),
    )
    assert found.code == "JH-TAXI-2026"
    with pytest.raises(ContractUnreadable) as refused:
        find_contract(
            contracts, carrier="Probe Taxi", vehicle_type=VehicleType.TAXI, day=date(2027, 2, 1)
        )
    assert "stored contract PROBE-2027 cannot be read" in refused.value.message
    assert "start_fee is whole öre" in refused.value.message
    assert "samfard contracts load" in refused.value.message
    assert refused.value.field == "start_fee" and refused.value.status == 409


def test_loading_the_corrected_file_repairs_the_bad_row(session: Session, tmp_path: Path) -> None:
    store_bad_row(session)
    done = store_contract_files(session, probe_dir(tmp_path, start_fee="4750"))
    assert (done.added, done.repaired, done.unreadable) == ([], ["PROBE-2027"], [])
    contracts = load_contracts(session)
    assert not contracts.unreadable
    (probe,) = contracts
    car = probe.tariff_for(VehicleType.TAXI)
    assert isinstance(car, PriceList) and car.start_fee == 4750


def test_a_day_is_planned_and_settled_with_a_bad_contract_stored(session: Session) -> None:
    """The probe: a 2027 contract stored with start_fee "47.5" stopped planning and
    settling every day; a day it does not cover is planned and settled as before."""
    load_contract_files(session)
    load_day(session=session, demo=generate_day(DAY, seed=3, trips=12))
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    store_bad_row(session)
    plan_fixed(session, DAY, now=local(date(2026, 11, 22), time(18, 0)), seed=1)
    settled = settle_day(
        session=session, day=DAY, actor=SYSTEM, now=local(date(2026, 11, 24), time(9, 0))
    )
    assert settled.runs > 0 and settled.cost > 0

    # The contract of a planned run made unreadable: settling names it; planning goes on.
    plan = latest_plan(session, DAY)
    assert plan is not None
    vehicle = plan.runs[0].vehicle
    priced = find_contract(
        load_contracts(session),
        carrier=vehicle.carrier_name,
        vehicle_type=VehicleType(vehicle.vehicle_type),
        day=DAY,
    )
    row = session.scalar(select(ContractRow).where(ContractRow.code == priced.code))
    assert row is not None
    with transaction(session):
        row.tariffs = [{**t, "per_km": "Infinity"} for t in row.tariffs]
    with pytest.raises(ContractUnreadable) as refused:
        settle_day(session=session, day=DAY, actor=SYSTEM, now=local(DAY, time(20, 0)))
    assert f"stored contract {priced.code} cannot be read" in refused.value.message
    assert refused.value.field == "per_km"
    plan_fixed(session, DAY, now=local(date(2026, 11, 22), time(19, 0)), seed=1)


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated SQLite file the `samfard` command uses (SAMFARD_DATABASE_URL)."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("SAMFARD_DATABASE_URL", url)
    get_settings.cache_clear()
    upgrade(url)
    yield url
    get_settings.cache_clear()


def test_contracts_load_refuses_a_bad_file_warns_of_a_bad_row_and_repairs_it(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contracts", "load", str(probe_dir(tmp_path, start_fee="47.50"))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PROBE-2027, tariff taxi: start_fee" in err
    assert "write 4750 for 47,50 kr" in err

    engine = make_engine(cli_database)
    with Session(engine) as session:
        store_bad_row(session)
    engine.dispose()
    assert main(["contracts", "load"]) == 0  # the demo contracts
    out, err = capsys.readouterr()
    assert out.startswith("contracts added: JH-EGEN-2025")
    assert "warning: stored contract PROBE-2027 cannot be read" in err

    assert main(["contracts", "load", str(probe_dir(tmp_path, start_fee="4750"))]) == 0
    out, err = capsys.readouterr()
    assert out == "contracts repaired: PROBE-2027\n" and err == ""
