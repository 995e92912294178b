"""Contracts in the database and the settlement of a planned day.

Contracts: every row is parsed by `costs.contracts.parse_contract` when it is inserted and
when it is loaded, and an insert is checked with `validate_contracts` against the stored
ones, so the refusals are the pure module's, naming the contract and the field. The demo
contracts (TOML under samfard/data/contracts) are loaded by `samfard demo` and
`samfard contracts load`; loading is idempotent (a stored code is skipped).

Settlement: each vehicle run of the day's newest stored plan is cut into the stretches
with passengers on board (what a carrier bills), whose facts are rebuilt from the plan's
stops and the travel-time provider, priced under the carrier's contract and split to the
trips by standalone cost (costs.allocation). The day's settled rows are replaced
in one transaction, so settling twice gives the same rows, never double.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Permission
from samfard.booking.models import Booking, Leg
from samfard.costs.allocation import RunAllocation, settle_run
from samfard.costs.amounts import shown
from samfard.costs.carriers import ensure_carrier
from samfard.costs.contracts import (
    Contract,
    Need,
    UnreadableContract,
    VehicleType,
    find_contract,
    parse_contract,
    penalty_data,
    tariff_data,
    validate_contracts,
)
from samfard.costs.fee_ledger import FeeLedgerEntry
from samfard.costs.models import Carrier, ContractRow, SettledGoods, SettledRun, SettledTrip
from samfard.costs.pricing import RunFacts
from samfard.costs.stored_contracts import contract_of, load_contracts
from samfard.costs.stretches import run_facts
from samfard.db import transaction
from samfard.dispatch.store import latest_plan, provider_for
from samfard.errors import DomainError, InputError, NotFound
from samfard.goods.models import Consignment
from samfard.goods.prices import GOODS_COST_CENTRE, GOODS_COST_OBJECT, GoodsKind
from samfard.rules.decision import companion_fees
from samfard.timeutil import STOCKHOLM

DEMO_CONTRACTS = Path(__file__).resolve().parent.parent / "data" / "contracts"
CENTI = Decimal("0.01")


def add_contract(session: Session, carrier: Carrier, raw: Mapping[str, Any]) -> ContractRow:
    """Store a contract for a carrier in the caller's transaction, after parsing it and
    checking it overlaps none of the carrier's stored contracts. The row keeps the parsed
    tariffs (`tariff_data`), not the input as written, so what is stored is what was
    checked."""
    contract = _parsed(carrier, raw)
    if session.scalar(select(ContractRow.id).where(ContractRow.code == contract.code)):
        raise InputError(f"contract {contract.code} is stored already", field="code")
    validate_contracts([*load_contracts(session), contract])
    row = ContractRow(code=contract.code, carrier_id=carrier.id)
    _write(row, contract)
    session.add(row)
    session.flush()
    return row


def _parsed(carrier: Carrier, raw: Mapping[str, Any]) -> Contract:
    """A contract of a file or a request, its carrier and own_fleet taken from the carrier."""
    return parse_contract({**raw, "carrier": carrier.name, "own_fleet": carrier.own_fleet})


def _write(row: ContractRow, contract: Contract) -> None:
    """Put a parsed contract's validity, area, tariffs and penalties on its row."""
    row.valid_from = contract.valid_from
    row.valid_to = contract.valid_to
    row.area = sorted(contract.area)
    row.own_fleet = contract.own_fleet
    row.tariffs = [tariff_data(t) for t in contract.tariffs]
    row.penalties = [penalty_data(p) for p in contract.penalties]


@dataclass(frozen=True)
class ContractFiles:
    """What loading a folder of contract files did: codes added, codes whose unreadable
    stored row the file's contract replaced, and stored rows still unreadable."""

    added: list[str]
    repaired: list[str]
    unreadable: list[UnreadableContract]


def load_contract_files(session: Session, directory: Path = DEMO_CONTRACTS) -> list[str]:
    """Store the contracts of every *.toml file in a folder; returns the codes written
    (added or repaired). See `store_contract_files`."""
    done = store_contract_files(session, directory)
    return done.added + done.repaired


def store_contract_files(session: Session, directory: Path = DEMO_CONTRACTS) -> ContractFiles:
    """Store the carriers and contracts of every *.toml file in a folder, skipping contract
    codes already stored. One transaction: all files or none.

    A file has a [carrier] table (name, org_number, own_fleet) and [[contracts]] tables as
    parse_contract reads them, without carrier and own_fleet (taken from [carrier]). Every
    contract is parsed, stored or not, so a bad file is refused whole, naming the file,
    contract and field. A stored row that cannot be read (stored before its fault was
    refused) is replaced by the file's contract of the same code.
    """
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise NotFound(f"no contract files (*.toml) in {directory}", field="directory")
    added: list[str] = []
    repaired: list[str] = []
    with transaction(session):
        for path in files:
            data = _read_toml(path)
            try:
                carrier = _carrier_of(session, data.get("carrier"))
                for raw in _contract_tables(data.get("contracts")):
                    contract = _parsed(carrier, raw)
                    stored = session.scalar(
                        select(ContractRow).where(ContractRow.code == contract.code)
                    )
                    if stored is None:
                        add_contract(session, carrier, raw)
                        added.append(contract.code)
                    elif _repair(session, stored, carrier, contract):
                        repaired.append(contract.code)
                    elif not stored.penalties and contract.penalties:
                        # Terms added to the file after the contract was stored (0014).
                        stored.penalties = [penalty_data(p) for p in contract.penalties]
            except DomainError as error:
                raise type(error)(f"{path.name}: {error.message}", field=error.field) from error
        session.flush()
        unreadable = load_contracts(session).unreadable
    return ContractFiles(added, repaired, list(unreadable))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{path.name}: {error}", field=str(path)) from error


def _carrier_of(session: Session, head: object) -> Carrier:
    """The carrier of a file's [carrier] table, registered if new."""
    if not isinstance(head, Mapping):
        raise InputError(
            "needs a [carrier] table with name, org_number and own_fleet", field="carrier"
        )
    where = "[carrier]"
    name = head.get("name")
    org_number = head.get("org_number", "")
    own_fleet = head.get("own_fleet", False)
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 120:
        raise InputError(
            f"{where}: name must be a text of 1 to 120 characters, got {shown(name)}",
            field="name",
        )
    if not isinstance(org_number, str) or len(org_number) > 20:
        raise InputError(
            f'{where}: org_number must be a text like "556900-0513", got {shown(org_number)}',
            field="org_number",
        )
    if not isinstance(own_fleet, bool):
        raise InputError(
            f"{where}: own_fleet must be true or false, got {shown(own_fleet)}",
            field="own_fleet",
        )
    return ensure_carrier(session, name=name.strip(), org_number=org_number, own_fleet=own_fleet)


def _contract_tables(raw: object) -> list[Mapping[str, Any]]:
    """The [[contracts]] tables of a file (a single [contracts] table is refused)."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
        raise InputError(
            f"contracts must be a list of tables ([[contracts]]), got {shown(raw)}",
            field="contracts",
        )
    return raw


def _repair(session: Session, row: ContractRow, carrier: Carrier, contract: Contract) -> bool:
    """Replace a stored row that cannot be read by the file's contract of its code, after
    the same overlap check as a new contract; False if the stored row reads."""
    try:
        contract_of(row, carrier)  # whether it reads does not depend on the carrier's name
        return False
    except InputError:
        pass
    if row.carrier_id != carrier.id:
        raise InputError(
            f"contract {contract.code} is stored for another carrier; give it another code",
            field="code",
        )
    others = [c for c in load_contracts(session) if c.code != contract.code]
    validate_contracts([*others, contract])
    _write(row, contract)
    return True


@dataclass(frozen=True)
class Settlement:
    """What settling a day wrote: runs, trips, and the run cost and standalone sums (öre)."""

    day: date
    plan_version: int
    runs: int
    trips: int
    cost: int
    standalone: int
    goods: int = 0  # consignments settled


def settled_rows(
    facts: RunFacts,
    allocation: RunAllocation,
    *,
    carrier: str,
    source: str,
    now: datetime,
    fees: Mapping[str, int] | None = None,
    dialysis: frozenset[str] = frozenset(),
    legs: Mapping[str, tuple[int, int]] | None = None,
    pickups: Mapping[str, tuple[datetime, datetime | None]] | None = None,
    deviations: Mapping[str, int] | None = None,
    cost_objects: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The settled_run row and settled_trip rows of a priced run, as plain mappings so a
    caller can insert many runs with one executemany. Mappings are keyed by trip id;
    `cost_objects` holds the (cost centre, cost object) a decision books a trip to."""
    fees, legs, pickups, deviations = fees or {}, legs or {}, pickups or {}, deviations or {}
    cost_objects = cost_objects or {}
    cost = allocation.cost
    b = cost.breakdown
    run_row = {
        "run_ref": facts.run_id,
        "source": source,
        "day": facts.start.astimezone(STOCKHOLM).date(),
        "carrier": carrier,
        "contract_code": cost.contract_code,
        "vehicle_type": facts.vehicle_type.value,
        "basis": cost.basis.value,
        "start_at": facts.start,
        "end_at": facts.end,
        "driven_m": int(facts.driven_km * 1000),
        "driving_cmin": int(facts.driving_minutes * 100),
        "waiting_cmin": int(facts.waiting_minutes * 100),
        "start_fee_ore": b.start_fee,
        "distance_ore": b.distance,
        "driving_time_ore": b.driving_time,
        "waiting_time_ore": b.waiting_time,
        "surcharge_ore": b.surcharge,
        "supplements_ore": b.supplements,
        "fixed_ore": b.fixed,
        "driver_ore": b.driver,
        "total_ore": b.total,
        "settled_at": now,
    }
    shares = {s.trip_id: s for s in allocation.trips}
    on_board = sum(t.passengers for t in facts.trips)
    trip_rows = []
    for trip in facts.trips:
        booking_id, leg_seq = legs.get(trip.trip_id, (None, None))
        promised, actual = pickups.get(trip.trip_id, (None, None))
        centre, cost_object = cost_objects.get(trip.trip_id, (None, None))
        trip_rows.append(
            {
                "trip_key": trip.trip_id,
                "run_ref": facts.run_id,
                "booking_id": booking_id,
                "leg_seq": leg_seq,
                "principal_code": trip.principal,
                "service": trip.service,
                "day": trip.pickup_at.astimezone(STOCKHOLM).date(),
                "pickup_at": trip.pickup_at,
                "passengers": trip.passengers,
                "run_passengers": on_board,
                "direct_m": int(trip.direct_km * 1000),
                "standalone_ore": shares[trip.trip_id].standalone,
                "allocated_ore": shares[trip.trip_id].allocated,
                "fee_ore": fees.get(trip.trip_id, 0),
                "stretcher": Need.STRETCHER in trip.needs,
                "wheelchair": Need.WHEELCHAIR in trip.needs,
                "dialysis": trip.trip_id in dialysis,
                "promised_pickup": promised,
                "actual_pickup": actual,
                "deviations": deviations.get(trip.trip_id, 0),
                "carrier": carrier,
                "contract_code": cost.contract_code,
                "cost_centre": centre,
                "cost_object": cost_object,
            }
        )
    return run_row, trip_rows


def insert_settled(
    session: Session, runs: Sequence[dict[str, Any]], trips: Sequence[dict[str, Any]]
) -> None:
    """Insert settled rows in bulk (executemany), in the caller's transaction."""
    if runs:
        session.execute(insert(SettledRun), list(runs))
    if trips:
        session.execute(insert(SettledTrip), list(trips))


def _fees(session: Session, bookings: Iterable[Booking]) -> dict[str, int]:
    """Fees paid for each leg: the traveller's from the fee ledger, and the companions'
    from the decision (they pay their own, outside the ledger's ceiling). leg_index i is
    the booking's i-th leg by seq."""
    rows = list(bookings)
    by_booking = {b.id: sorted(leg.seq for leg in b.legs) for b in rows}
    companions = {b.id: companion_fees((b.decision or {}).get("companions") or ()) for b in rows}
    fees: dict[str, int] = {}
    for entry in session.scalars(
        select(FeeLedgerEntry).where(FeeLedgerEntry.booking_id.in_(list(by_booking)))
    ):
        seqs = by_booking[entry.booking_id]
        if entry.leg_index < len(seqs):
            extra = companions[entry.booking_id].get(entry.leg_index, 0)
            fees[f"b{entry.booking_id}.{seqs[entry.leg_index]}"] = entry.paid_ore + extra
    return fees


def _cost_object(booking: Booking) -> tuple[str, str] | None:
    """The cost centre and object the booking's decision books it to, if any."""
    found = (booking.decision or {}).get("cost_object")
    if not found:
        return None
    return str(found["cost_centre"]), str(found["cost_object"])


def settle_day(
    *, session: Session, day: date, actor: Actor, now: datetime, osrm_url: str | None = None
) -> Settlement:
    """Settle the newest stored plan of a day, replacing the day's earlier settlement."""
    actor.require(Permission.PLANS_WRITE)
    with transaction(session):
        plan = latest_plan(session, day)
        if plan is None:
            raise NotFound(
                f"no plan is stored for {day}: run `samfard plan --date {day}` first",
                field="date",
            )
        leg_ids = {s.leg_id for run in plan.runs for s in run.stops if s.leg_id is not None}
        goods_ids = {s.consignment_id for run in plan.runs for s in run.stops if s.consignment_id}
        goods = {
            c.id: c
            for c in session.scalars(select(Consignment).where(Consignment.id.in_(goods_ids)))
        }
        legs = {leg.id: leg for leg in session.scalars(select(Leg).where(Leg.id.in_(leg_ids)))}
        bookings = {
            b.id: b
            for b in session.scalars(
                select(Booking).where(Booking.id.in_({leg.booking_id for leg in legs.values()}))
            )
        }
        contracts = load_contracts(session)
        provider = provider_for(osrm_url)
        fees = _fees(session, bookings.values())
        run_rows: list[dict[str, Any]] = []
        trip_rows: list[dict[str, Any]] = []
        goods_rows: list[dict[str, Any]] = []
        cost = standalone = 0
        for run in plan.runs:
            keys = {
                f"b{s.booking_id}.{s.leg_seq}": (s, bookings[s.booking_id])
                for s in run.stops
                if s.kind == "pickup" and s.booking_id is not None
            }
            dialysis = frozenset(k for k, (_, b) in keys.items() if b.purpose == "dialysis")
            contract = find_contract(
                contracts,
                carrier=run.vehicle.carrier_name,
                vehicle_type=VehicleType(run.vehicle.vehicle_type),
                day=day,
            )
            priced = run_facts(
                run,
                legs,
                bookings,
                provider,
                own_fleet=contract.own_fleet,
                day=day,
                goods=goods,
            )
            for facts in priced:
                allocation = settle_run(contract, facts)
                one_run, its_trips = settled_rows(
                    facts,
                    allocation,
                    carrier=contract.carrier,
                    source="plan",
                    now=now,
                    fees=fees,
                    dialysis=dialysis,
                    legs={k: (b.id, s.leg_seq or 0) for k, (s, b) in keys.items()},
                    pickups={k: (s.planned_at, None) for k, (s, _) in keys.items()},
                    cost_objects={
                        k: found
                        for k, (_, b) in keys.items()
                        if (found := _cost_object(b)) is not None
                    },
                )
                run_rows.append(one_run)
                trip_rows += its_trips
                goods_rows += goods_settled_rows(facts, allocation, goods, carrier=contract.carrier)
                cost += allocation.cost.total
                standalone += allocation.standalone
        old_runs = select(SettledRun.run_ref).where(
            SettledRun.day == day, SettledRun.source == "plan"
        )
        session.execute(delete(SettledTrip).where(SettledTrip.run_ref.in_(old_runs)))
        session.execute(delete(SettledGoods).where(SettledGoods.run_ref.in_(old_runs)))
        session.execute(
            delete(SettledRun).where(SettledRun.day == day, SettledRun.source == "plan")
        )
        insert_settled(session, run_rows, trip_rows)
        if goods_rows:
            session.execute(insert(SettledGoods), goods_rows)
    return Settlement(
        day, plan.version, len(run_rows), len(trip_rows), cost, standalone, len(goods_rows)
    )


def goods_settled_rows(
    facts: RunFacts,
    allocation: RunAllocation,
    goods: Mapping[int, Consignment],
    *,
    carrier: str,
) -> list[dict[str, Any]]:
    """The settled_goods rows of a priced run: each consignment's share, booked to its
    ordering principal on the goods cost centre, object by kind."""
    shares = {g.goods_id: g for g in allocation.goods}
    rows = []
    for carried in facts.goods:
        consignment = goods[int(carried.goods_id.removeprefix("g"))]
        share = shares[carried.goods_id]
        rows.append(
            {
                "goods_key": carried.goods_id,
                "run_ref": facts.run_id,
                "consignment_id": consignment.id,
                "principal_code": consignment.principal_code,
                "kind": consignment.kind,
                "units": consignment.units,
                "day": consignment.service_date,
                "standalone_ore": share.standalone,
                "allocated_ore": share.allocated,
                "cost_centre": GOODS_COST_CENTRE,
                "cost_object": GOODS_COST_OBJECT[GoodsKind(consignment.kind)],
                "carrier": carrier,
                "contract_code": allocation.cost.contract_code,
            }
        )
    return rows
