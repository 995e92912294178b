"""`samfard costs`: check contract files and settle a run by hand.

A procurement officer loading a new price list runs `samfard costs check contracts.json`
first: every contract is parsed and the set is checked for overlapping validity, and each
refusal names the contract and the field. `samfard costs settle contracts.json run.json`
prints what a run costs, what each trip would have cost alone and how the cost is split,
so a finance officer can check an invoice line against the rules in docs/costs.md.

File formats (JSON): a contracts file is a list of contracts as `parse_contract` reads
them; a run file is one object with run_id, carrier, vehicle_type, start, end (ISO times
with offset), driven_km, driving_minutes, waiting_minutes, optional basis and
vehicle_day_share, and trips (trip_id, principal, service, pickup_at, direct_km,
direct_minutes, optional passengers, needs and municipality).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from samfard.costs.contracts import Contract
    from samfard.costs.pricing import RunFacts


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    costs = subparsers.add_parser("costs", help="check contracts and settle runs")
    commands = costs.add_subparsers(dest="costs_command", required=True, metavar="ACTION")
    check = commands.add_parser("check", help="validate a contracts file")
    check.add_argument("contracts", type=Path, help="JSON list of contracts")
    check.set_defaults(handler=_check)
    settle = commands.add_parser("settle", help="price a run and split its cost")
    settle.add_argument("contracts", type=Path, help="JSON list of contracts")
    settle.add_argument("run", type=Path, help="JSON object describing one run")
    settle.set_defaults(handler=_settle)


def _read_json(path: Path) -> Any:
    from samfard.errors import InputError

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}", field=str(path)) from error


def _load_contracts(path: Path) -> list[Contract]:
    from samfard.costs.contracts import parse_contract, validate_contracts
    from samfard.errors import InputError

    raw = _read_json(path)
    if not isinstance(raw, list):
        raise InputError(f"{path} must hold a JSON list of contracts", field="contracts")
    contracts = [parse_contract(item) for item in raw]
    validate_contracts(contracts)
    return contracts


def _check(args: argparse.Namespace) -> int:
    for contract in _load_contracts(args.contracts):
        kinds = ", ".join(sorted(v.value for v in contract.vehicle_types))
        end = contract.valid_to or "open"
        model = "own fleet" if contract.own_fleet else "price list"
        print(
            f"{contract.code}: {contract.carrier}, {contract.valid_from} to {end}, {model}: {kinds}"
        )
    print("contracts valid, no overlaps")
    return 0


def _parse_run(raw: dict[str, Any]) -> RunFacts:
    from datetime import datetime
    from decimal import Decimal

    from samfard.costs.contracts import Need, VehicleType
    from samfard.costs.pricing import CostBasis, RunFacts, TripFacts
    from samfard.errors import InputError

    try:
        trips = tuple(
            TripFacts(
                trip_id=str(t["trip_id"]),
                principal=str(t["principal"]),
                service=str(t["service"]),
                pickup_at=datetime.fromisoformat(t["pickup_at"]),
                direct_km=Decimal(str(t["direct_km"])),
                direct_minutes=Decimal(str(t["direct_minutes"])),
                passengers=int(t.get("passengers", 1)),
                needs=frozenset(Need(n) for n in t.get("needs", ())),
                municipality=t.get("municipality"),
            )
            for t in raw["trips"]
        )
        return RunFacts(
            run_id=str(raw["run_id"]),
            vehicle_type=VehicleType(raw["vehicle_type"]),
            start=datetime.fromisoformat(raw["start"]),
            end=datetime.fromisoformat(raw["end"]),
            driven_km=Decimal(str(raw["driven_km"])),
            driving_minutes=Decimal(str(raw["driving_minutes"])),
            waiting_minutes=Decimal(str(raw["waiting_minutes"])),
            trips=trips,
            basis=CostBasis(raw.get("basis", "planned")),
            vehicle_day_share=Decimal(str(raw.get("vehicle_day_share", 1))),
        )
    except KeyError as error:
        raise InputError(f"run file: missing field {error}", field=str(error.args[0])) from error
    except (ValueError, ArithmeticError) as error:
        raise InputError(f"run file: {error}", field="run") from error


def _settle(args: argparse.Namespace) -> int:
    from samfard.costs.allocation import settle_run
    from samfard.costs.contracts import find_contract
    from samfard.errors import InputError
    from samfard.money import format_kr
    from samfard.timeutil import STOCKHOLM

    contracts = _load_contracts(args.contracts)
    raw = _read_json(args.run)
    if not isinstance(raw, dict) or "carrier" not in raw:
        raise InputError("run file must be a JSON object with a carrier", field="carrier")
    run = _parse_run(raw)
    contract = find_contract(
        contracts,
        carrier=str(raw["carrier"]),
        vehicle_type=run.vehicle_type,
        day=run.start.astimezone(STOCKHOLM).date(),
    )
    settled = settle_run(contract, run)
    b = settled.cost.breakdown
    print(f"run {run.run_id} under contract {contract.code} ({run.basis.value})")
    for name in (
        "start_fee",
        "distance",
        "driving_time",
        "waiting_time",
        "surcharge",
        "supplements",
        "fixed",
        "driver",
    ):
        if getattr(b, name):
            print(f"  {name:<13}{format_kr(getattr(b, name)):>16}")
    print(f"  {'total':<13}{format_kr(settled.cost.total):>16}")
    print("trip        principal   alone            borne            saving")
    for t in settled.trips:
        print(
            f"{t.trip_id:<12}{t.principal:<12}{format_kr(t.standalone):<17}"
            f"{format_kr(t.allocated):<17}{format_kr(t.saving)}"
        )
    print(f"coordination saving {format_kr(settled.saving)}")
    return 0
