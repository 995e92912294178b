"""Two years of settled history for the demo, so the reports have whole years to compare.

The live demo has one planned day; a board report compares the month and the year to
date with the same periods last year, so the history starts in the demo day's month two
years back (25 months with the demo month): last year is whole from January for any demo
date. This module invents settled trips back from the demo day with the shape of real demand:
about 70 trips on a weekday for both regions (fewer at weekends, more in winter, about
6 % more in the second year), sjukresor with dialysis to the region, färdtjänst and
riksfärdtjänst to the municipalities, wheelchair and stretcher needs, shared runs of one
to four trips. Every run is priced by the pure pricing with the stored contracts (the
taxi contracts of 2026 raise the rates from 1 April, which the year-over-year summary
then explains as a price effect), and split by `settle_run`, so history obeys the same
rules as a settled day.

Geometry is not simulated: each trip draws a direct distance for its service; a run with
one trip drives exactly its direct route (so it saves exactly nothing, as on a settled
day), a shared run its longest trip plus a third of the others plus a km per stop; every
trip stands still for the planner's boarding and alighting time. Fees are flat demo
amounts per service (the fee ledger is not replayed for invented trips).
`generate_history` is pure (seed in, rows out); `load_history` inserts them in bulk.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.costs.allocation import settle_run
from samfard.costs.contracts import Contract, Need, VehicleType, find_contract
from samfard.costs.models import SettledRun
from samfard.costs.pricing import RunFacts, TripFacts
from samfard.costs.service import insert_settled, settled_rows
from samfard.costs.stored_contracts import load_contracts
from samfard.db import transaction
from samfard.errors import InputError, NotFound
from samfard.timeutil import STOCKHOLM, local

MONTHS_BACK = 24
REGIONS = {
    "23": ("Demo Taxi Jämtland Härjedalen", ("2303", "2305", "2309", "2313", "2321", "2380")),
    "22": ("Demo Taxi Västernorrland", ("2260", "2262", "2280", "2281", "2282", "2284")),
}
SPECIAL = "Demo Specialtransport Mittnorrland"
OWN_FLEET = "Region Jämtland Härjedalen egen regi"
OWN_SHIFT_MINUTES = Decimal(9 * 60)
# Boarding and alighting, the planner's service times at both ends (dispatch defaults).
BOARDING = {
    VehicleType.TAXI: Decimal(4),
    VehicleType.WHEELCHAIR: Decimal(10),
    VehicleType.STRETCHER: Decimal(20),
}  # the own fleet's 07-16 shift (dispatch.fleet)
# service, share of trips, median direct km, demo fee in öre
SERVICES = (
    ("dialysis", 0.14, 25.0, 0),
    ("sjukresa", 0.50, 30.0, 15000),
    ("fardtjanst", 0.33, 7.0, 6000),
    ("riksfardtjanst", 0.03, 250.0, 40000),
)


@dataclass(frozen=True)
class HistorySettings:
    """How much history to invent: trips on a weekday per region, the weekend's share of
    it, winter's extra share, and the second year's growth."""

    weekday_trips: int = 35
    weekend_share: float = 0.4
    winter_extra: float = 0.15
    growth: float = 0.06

    def __post_init__(self) -> None:
        if not 1 <= self.weekday_trips <= 5000:
            raise InputError(
                f"weekday_trips must be 1 to 5000, got {self.weekday_trips}",
                field="weekday_trips",
            )
        for name in ("weekend_share", "winter_extra", "growth"):
            if not 0 <= getattr(self, name) <= 1:
                raise InputError(f"{name} must be between 0 and 1", field=name)


def history_start(end_day: date) -> date:
    """The first day of the month MONTHS_BACK months before the end day's month."""
    months = end_day.year * 12 + end_day.month - 1 - MONTHS_BACK
    return date(months // 12, months % 12 + 1, 1)


def history_first(contracts: Sequence[Contract], end_day: date) -> date:
    """The first day of history: `history_start`, not before the first contract."""
    earliest = min((c.valid_from for c in contracts), default=history_start(end_day))
    return max(history_start(end_day), earliest)


def _volume(day: date, start: date, settings: HistorySettings, rng: random.Random) -> int:
    base = settings.weekday_trips * (settings.weekend_share if day.weekday() >= 5 else 1.0)
    winter = 1 + settings.winter_extra * math.cos(
        2 * math.pi * (day.timetuple().tm_yday - 15) / 365
    )
    growth = 1 + settings.growth * min(1.0, (day - start).days / 365)
    return max(1, round(base * winter * growth * rng.uniform(0.85, 1.15)))


@dataclass(frozen=True)
class _Trip:
    facts: TripFacts
    vehicle: VehicleType
    fee: int
    dialysis: bool


def _trip(key: str, county: str, day: date, rng: random.Random) -> _Trip:
    kind, _, median, fee = rng.choices(SERVICES, weights=[s[1] for s in SERVICES])[0]
    municipality = rng.choice(REGIONS[county][1])
    service = "sjukresa" if kind == "dialysis" else kind
    principal = county if service == "sjukresa" else municipality
    km = Decimal(str(round(median * math.exp(rng.gauss(0, 0.6)), 1)))
    needs: frozenset[Need] = frozenset()
    vehicle = VehicleType.TAXI
    draw = rng.random()
    if service == "sjukresa" and draw < 0.03:
        needs, vehicle = frozenset({Need.STRETCHER}), VehicleType.STRETCHER
    elif draw < 0.15:
        needs, vehicle = frozenset({Need.WHEELCHAIR}), VehicleType.WHEELCHAIR
    hour = rng.choice((7, 8, 8, 9, 9, 10, 11, 12, 13, 14, 15, 16))
    pickup = local(day, time(hour, rng.randrange(0, 60, 5)))
    facts = TripFacts(
        trip_id=key,
        principal=principal,
        service=service,
        pickup_at=pickup,
        direct_km=km,
        direct_minutes=(km * 60 / 55 + 4).quantize(Decimal("0.01")),
        boarding_minutes=BOARDING[vehicle],
        passengers=1 + (rng.random() < 0.15),
        needs=needs,
    )
    return _Trip(facts, vehicle, fee, kind == "dialysis")


def _carrier(county: str, vehicle: VehicleType, rng: random.Random) -> str:
    if vehicle is VehicleType.STRETCHER:
        if county == "23" and rng.random() < 0.3:
            return OWN_FLEET
        return SPECIAL if rng.random() < 0.6 else REGIONS[county][0]
    if vehicle is VehicleType.WHEELCHAIR:
        if county == "23" and rng.random() < 0.25:
            return OWN_FLEET
        return SPECIAL if rng.random() < 0.3 else REGIONS[county][0]
    return REGIONS[county][0]


def _run_facts(
    ref: str, vehicle: VehicleType, trips: Sequence[_Trip], share: Decimal, own_fleet: bool
) -> RunFacts:
    first = min(t.facts.pickup_at for t in trips)
    waiting = sum((t.facts.boarding_minutes for t in trips), Decimal(0))
    if len(trips) == 1:  # driven alone: exactly the trip's direct route and boarding
        driven, driving = trips[0].facts.direct_km, trips[0].facts.direct_minutes
    else:
        # Fellow passengers live along the way: each adds a third of its direct route
        # and a km to reach.
        kms = sorted((t.facts.direct_km for t in trips), reverse=True)
        driven = kms[0] + sum(kms[1:], Decimal(0)) * Decimal("0.35") + len(trips)
        driving = (driven * 60 / 55 + 4).quantize(Decimal("0.01"))
    start = first
    end = start + timedelta(minutes=float(driving + waiting))
    return RunFacts(
        run_id=ref,
        vehicle_type=vehicle,
        start=start,
        end=end,
        driven_km=driven,
        driving_minutes=driving,
        waiting_minutes=waiting,
        trips=tuple(t.facts for t in trips),
        vehicle_day_share=share,
        # An own vehicle's driver is paid for the whole shift: each of its runs bears its
        # share of the shift's time not spent with passengers, and of the empty km.
        idle_minutes=max(Decimal(0), OWN_SHIFT_MINUTES * share - driving - waiting)
        if own_fleet
        else Decimal(0),
        empty_km=Decimal(5) if own_fleet else Decimal(0),
    )


def _pickups(trips: Sequence[_Trip], rng: random.Random) -> dict[str, tuple[datetime, datetime]]:
    out = {}
    for t in trips:
        late = rng.random() < 0.07
        delay = rng.uniform(11, 30) if late else rng.uniform(-4, 9)
        out[t.facts.trip_id] = (t.facts.pickup_at, t.facts.pickup_at + timedelta(minutes=delay))
    return out


def _day_rows(
    contracts: Sequence[Contract],
    day: date,
    county: str,
    volume: int,
    rng: random.Random,
    now: datetime,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    stamp = f"h{day:%Y%m%d}-{county}"
    made = [_trip(f"{stamp}-{n:03d}", county, day, rng) for n in range(volume)]
    groups: dict[tuple[str, VehicleType], list[_Trip]] = {}
    for trip in sorted(made, key=lambda t: t.facts.pickup_at):
        groups.setdefault((_carrier(county, trip.vehicle, rng), trip.vehicle), []).append(trip)
    runs: list[dict[str, Any]] = []
    trips: list[dict[str, Any]] = []
    for (carrier, vehicle), queue in sorted(groups.items()):
        try:
            contract = find_contract(contracts, carrier=carrier, vehicle_type=vehicle, day=day)
        except NotFound:
            continue
        # Own-fleet vehicles do about four runs a day, so each run bears a quarter of the
        # vehicle-day; a stretcher vehicle carries one patient at a time.
        share = Decimal("0.25") if contract.own_fleet else Decimal(1)
        most = 1 if vehicle is VehicleType.STRETCHER else 4 if contract.own_fleet else 3
        first = 0
        while first < len(queue):
            on_board = queue[first : first + rng.randint(1, most)]
            first += len(on_board)
            facts = _run_facts(
                f"{stamp}-r{len(runs):03d}", vehicle, on_board, share, contract.own_fleet
            )
            allocation = settle_run(contract, facts)
            run_row, trip_rows = settled_rows(
                facts,
                allocation,
                carrier=carrier,
                source="history",
                now=now,
                fees={t.facts.trip_id: t.fee for t in on_board},
                dialysis=frozenset(t.facts.trip_id for t in on_board if t.dialysis),
                pickups=_pickups(on_board, rng),
            )
            # Deviations live in the register now (demo.deviations); the draws that once
            # invented them are kept so every other figure of a seed's history is as before.
            _skip_draws(rng, len(on_board))
            runs.append(run_row)
            trips += trip_rows
    return runs, trips


def _skip_draws(rng: random.Random, count: int) -> None:
    for _ in range(count):
        rng.random()


def generate_days(
    contracts: Sequence[Contract],
    *,
    first: date,
    end_day: date,
    seed: int,
    now: datetime,
    settings: HistorySettings | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Settled run rows and trip rows for every day from `first` to the day before
    `end_day`; vehicle types no contract covers on a day are left out. Growth counts from
    `first`."""
    settings = settings or HistorySettings()
    rng = random.Random(seed)
    runs: list[dict[str, Any]] = []
    trips: list[dict[str, Any]] = []
    day = first
    while day < end_day:
        for county in REGIONS:
            volume = _volume(day, first, settings, rng)
            day_runs, day_trips = _day_rows(contracts, day, county, volume, rng, now)
            runs += day_runs
            trips += day_trips
        day += timedelta(days=1)
    return runs, trips


def generate_history(
    contracts: Sequence[Contract],
    *,
    end_day: date,
    seed: int,
    now: datetime,
    settings: HistorySettings | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The demo history: `generate_days` from `history_start(end_day)`, or from the first
    contract's start if that is later (there is nothing to price before it), to `end_day`."""
    return generate_days(
        contracts,
        first=history_first(contracts, end_day),
        end_day=end_day,
        seed=seed,
        now=now,
        settings=settings,
    )


@dataclass(frozen=True)
class HistoryLoad:
    """What load_history stored: runs, trips and the first and last day."""

    runs: int
    trips: int
    first: date
    last: date


def load_history(
    session: Session,
    *,
    end_day: date,
    seed: int,
    now: datetime,
    settings: HistorySettings | None = None,
) -> HistoryLoad | None:
    """Generate and insert the history before `end_day` in one transaction, unless some
    history is stored already (then None: loading twice never doubles the figures)."""
    if session.scalar(select(func.count(SettledRun.id)).where(SettledRun.source == "history")):
        return None
    contracts = load_contracts(session)
    if not contracts:
        raise NotFound(
            "no contracts are stored: run `samfard contracts load` first", field="contracts"
        )
    runs, trips = generate_history(
        contracts, end_day=end_day, seed=seed, now=now, settings=settings
    )
    with transaction(session):
        insert_settled(session, runs, trips)
    first = history_first(contracts, end_day)
    return HistoryLoad(len(runs), len(trips), first, end_day - timedelta(days=1))


def settle_alone(
    contracts: Sequence[Contract],
    facts: TripFacts,
    vehicle: VehicleType,
    *,
    county: str,
    leg: tuple[int, int],
    rng: random.Random,
    now: datetime,
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """Settle one booked leg driven alone, as history settles its runs (a contract's carrier
    drawn as history draws it, `settle_run`, `settled_rows`), tied to its booking and leg so
    the follow-up per care unit finds it; None when no contract covers the day."""
    day = facts.pickup_at.astimezone(STOCKHOLM).date()
    carrier = _carrier(county, vehicle, rng)
    try:
        contract = find_contract(contracts, carrier=carrier, vehicle_type=vehicle, day=day)
    except NotFound:
        return None
    share = Decimal("0.25") if contract.own_fleet else Decimal(1)
    trip = _Trip(facts, vehicle, 15000, False)
    run = _run_facts(f"c{facts.trip_id}", vehicle, [trip], share, contract.own_fleet)
    return settled_rows(
        run,
        settle_run(contract, run),
        carrier=carrier,
        source="history",
        now=now,
        fees={facts.trip_id: trip.fee},
        legs={facts.trip_id: leg},
        pickups=_pickups([trip], rng),
    )
