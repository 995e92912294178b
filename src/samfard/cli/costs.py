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
direct_minutes, optional passengers, needs and municipality). Every value is read for
what its field holds before anything is priced, so a bad one ends the command with one
line naming the run (and trip) and the field, never a traceback (docs/costs.md).
"""

from __future__ import annotations

import argparse
import enum
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from samfard.costs.contracts import Contract
    from samfard.costs.pricing import RunFacts, TripFacts

E = TypeVar("E", bound=enum.Enum)


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
    except (OSError, ValueError) as error:  # ValueError: bad JSON or not UTF-8
        raise InputError(f"cannot read {path}: {error}", field=str(path)) from error


def _load_contracts(path: Path) -> list[Contract]:
    from samfard.costs.contracts import parse_contract, validate_contracts
    from samfard.errors import InputError

    raw = _read_json(path)
    if not isinstance(raw, list):
        raise InputError(f"{path} must hold a JSON list of contracts", field="contracts")
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise InputError(
                f"{path}: contract {number} must be a JSON object with code, carrier, "
                f"valid_from and tariffs, got {_quoted(item)}",
                field="contracts",
            )
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
    """A run file's run, every field read and checked; refusals name the run and field."""
    from samfard.costs.contracts import VehicleType
    from samfard.costs.pricing import CostBasis, RunFacts

    run_id = _text("run file", "run_id", raw)
    where = f"run {run_id}"
    return RunFacts(
        run_id=run_id,
        vehicle_type=_choice(where, "vehicle_type", raw, VehicleType),
        start=_moment(where, "start", raw),
        end=_moment(where, "end", raw),
        driven_km=_quantity(where, "driven_km", raw, unit="km"),
        driving_minutes=_quantity(where, "driving_minutes", raw, unit="min"),
        waiting_minutes=_quantity(where, "waiting_minutes", raw, unit="min"),
        trips=tuple(_parse_trip(where, t) for t in _objects(where, "trips", raw)),
        basis=_choice(where, "basis", raw, CostBasis, default="planned"),
        vehicle_day_share=_share(where, raw),
    )


def _parse_trip(run: str, raw: dict[str, Any]) -> TripFacts:
    """One trip of a run file."""
    from samfard.costs.contracts import Need
    from samfard.costs.pricing import TripFacts

    trip_id = _text(f"{run}, a trip", "trip_id", raw)
    where = f"{run}, trip {trip_id}"
    municipality = raw.get("municipality")
    return TripFacts(
        trip_id=trip_id,
        principal=_text(where, "principal", raw),
        service=_text(where, "service", raw),
        pickup_at=_moment(where, "pickup_at", raw),
        direct_km=_quantity(where, "direct_km", raw, unit="km"),
        direct_minutes=_quantity(where, "direct_minutes", raw, unit="min"),
        passengers=_count(where, "passengers", raw.get("passengers", 1)),
        needs=frozenset(_choices(where, "needs", raw, Need)),
        municipality=None if municipality is None else _text(where, "municipality", raw),
    )


# Far beyond any run; they catch typos and keep the price inside what can be stored.
MAX_KM = Decimal(10_000)
MAX_MINUTES = Decimal(7 * 24 * 60)
MAX_PASSENGERS = 50


def _quoted(value: object) -> str:
    """A value as the JSON file has it, cut short for a one-line message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _field(where: str, name: str, raw: dict[str, Any]) -> Any:
    from samfard.errors import InputError

    if name not in raw:
        raise InputError(f"{where}: missing field {name!r}", field=name)
    return raw[name]


def _text(where: str, name: str, raw: dict[str, Any]) -> str:
    from samfard.errors import InputError

    value = _field(where, name, raw)
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise InputError(f"{where}: {name} must be a text, got {_quoted(value)}", field=name)
    return str(value).strip()


def _quantity(where: str, name: str, raw: dict[str, Any], *, unit: str) -> Decimal:
    from samfard.costs.amounts import bounded

    most = MAX_KM if unit == "km" else MAX_MINUTES
    return bounded(where, name, _field(where, name, raw), unit=unit, most=most)


def _share(where: str, raw: dict[str, Any]) -> Decimal:
    from samfard.costs.amounts import bounded

    value = raw.get("vehicle_day_share", 1)
    return bounded(where, "vehicle_day_share", value, unit="of the day", most=Decimal(1))


def _count(where: str, name: str, value: object) -> int:
    from samfard.errors import InputError

    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PASSENGERS:
        raise InputError(
            f"{where}: {name} must be a whole number from 1 to {MAX_PASSENGERS}, "
            f"got {_quoted(value)}",
            field=name,
        )
    return value


def _moment(where: str, name: str, raw: dict[str, Any]) -> datetime:
    """An ISO time with its offset (a time without one is ambiguous around DST)."""
    from samfard.errors import InputError

    value = _field(where, name, raw)
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise InputError(
            f"{where}: {name} must be a time with offset like 2026-11-23T10:00:00+01:00, "
            f"got {_quoted(value)}",
            field=name,
        )
    return moment


def _choice(
    where: str, name: str, raw: dict[str, Any], kind: type[E], *, default: str | None = None
) -> E:
    from samfard.errors import InputError

    value = raw.get(name, default) if default is not None else _field(where, name, raw)
    allowed = [member.value for member in kind]
    if value not in allowed:
        raise InputError(
            f"{where}: {name} must be one of {', '.join(allowed)}, got {_quoted(value)}",
            field=name,
        )
    return kind(value)


def _choices(where: str, name: str, raw: dict[str, Any], kind: type[E]) -> list[E]:
    from samfard.errors import InputError

    values = raw.get(name, [])
    if not isinstance(values, list):
        raise InputError(f"{where}: {name} must be a list, got {_quoted(values)}", field=name)
    return [_choice(where, name, {name: value}, kind) for value in values]


def _objects(where: str, name: str, raw: dict[str, Any]) -> list[dict[str, Any]]:
    from samfard.errors import InputError

    value = _field(where, name, raw)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InputError(
            f"{where}: {name} must be a list of objects, got {_quoted(value)}",
            field=name,
        )
    return value


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
