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
from samfard.costs.carriers import ensure_carrier
from samfard.costs.contracts import (
    Need,
    VehicleType,
    find_contract,
    parse_contract,
    validate_contracts,
)
from samfard.costs.fee_ledger import FeeLedgerEntry
from samfard.costs.models import Carrier, ContractRow, SettledGoods, SettledRun, SettledTrip
from samfard.costs.pricing import RunFacts
from samfard.costs.stored_contracts import load_contracts
from samfard.costs.stretches import run_facts
from samfard.db import transaction
from samfard.dispatch.store import latest_plan, provider_for
from samfard.errors import InputError, NotFound
from samfard.goods.models import Consignment
from samfard.goods.prices import GOODS_COST_CENTRE, GOODS_COST_OBJECT, GoodsKind
from samfard.rules.decision import companion_fees
from samfard.timeutil import STOCKHOLM

DEMO_CONTRACTS = Path(__file__).resolve().parent.parent / "data" / "contracts"
CENTI = Decimal("0.01")


def add_contract(session: Session, carrier: Carrier, raw: Mapping[str, Any]) -> ContractRow:
    """Store a contract for a carrier in the caller's transaction, after parsing it and
    checking it overlaps none of the carrier's stored contracts."""
    data = {**raw, "carrier": carrier.name, "own_fleet": carrier.own_fleet}
    contract = parse_contract(data)
    if session.scalar(select(ContractRow.id).where(ContractRow.code == contract.code)):
        raise InputError(f"contract {contract.code} is stored already", field="code")
    validate_contracts([*load_contracts(session), contract])
    row = ContractRow(
        code=contract.code,
        carrier_id=carrier.id,
        valid_from=contract.valid_from,
        valid_to=contract.valid_to,
        area=sorted(contract.area),
        own_fleet=contract.own_fleet,
        tariffs=[_plain(t) for t in data.get("tariffs", ())],
        penalties=[_plain_penalty(p) for p in data.get("penalties", ()) or ()],
    )
    session.add(row)
    session.flush()
    return row


def _plain(tariff: Mapping[str, Any]) -> dict[str, Any]:
    """A tariff mapping JSON can hold: rates and times as strings, amounts as ints."""
    return {k: v if isinstance(v, int | str | bool) else str(v) for k, v in tariff.items()}


def _plain_penalty(term: Mapping[str, Any]) -> dict[str, Any]:
    """A penalty term JSON can hold (severities as a sorted list)."""
    plain = _plain({k: v for k, v in term.items() if k != "severities"})
    return plain | {"severities": sorted(str(s) for s in term.get("severities", ()))}


def load_contract_files(session: Session, directory: Path = DEMO_CONTRACTS) -> list[str]:
    """Store the carriers and contracts of every *.toml file in a folder, skipping contract
    codes already stored; returns the codes added. One transaction: all files or none.

    A file has a [carrier] table (name, org_number, own_fleet) and [[contracts]] tables as
    parse_contract reads them, without carrier and own_fleet (taken from [carrier]).
    """
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise NotFound(f"no contract files (*.toml) in {directory}", field="directory")
    added: list[str] = []
    with transaction(session):
        for path in files:
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
                head = data["carrier"]
                carrier = ensure_carrier(
                    session,
                    name=str(head["name"]),
                    org_number=str(head.get("org_number", "")),
                    own_fleet=bool(head.get("own_fleet", False)),
                )
            except (OSError, tomllib.TOMLDecodeError, KeyError) as error:
                raise InputError(f"{path.name}: {error}", field=str(path)) from error
            for raw in data.get("contracts", ()):
                code = str(raw.get("code", ""))
                stored = session.scalar(select(ContractRow).where(ContractRow.code == code))
                if stored is not None:
                    if not stored.penalties and raw.get("penalties"):
                        # Terms added to the file after the contract was stored (0014).
                        stored.penalties = [_plain_penalty(p) for p in raw["penalties"]]
                    continue
                add_contract(session, carrier, raw)
                added.append(code)
    return added


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
    by_id = {b.id: b for b in bookings}
    by_booking = {b.id: sorted(leg.seq for leg in b.legs) for b in by_id.values()}
    fees: dict[str, int] = {}
    for entry in session.scalars(
        select(FeeLedgerEntry).where(FeeLedgerEntry.booking_id.in_(list(by_booking)))
    ):
        seqs = by_booking[entry.booking_id]
        if entry.leg_index < len(seqs):
            companions = companion_fees(
                (by_id[entry.booking_id].decision or {}).get("companions") or ()
            )
            key = f"b{entry.booking_id}.{seqs[entry.leg_index]}"
            fees[key] = entry.paid_ore + companions.get(entry.leg_index, 0)
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
