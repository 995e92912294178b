"""Reports from the settled tables: the monthly report, invoice basis and cost statement.

The pure report code (kpi, monthly, exports) takes trip records and runs; this module only
reads them from `settled_trip` and `settled_run` and checks who may see what. A report
holds no person: trips are named by booking and leg ("b12.1"), principals by code, so an
analyst may read every report of the principals in the account's scope and no other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access.actor import ALL_PRINCIPALS, Actor
from samfard.access.permissions import Permission
from samfard.booking.models import Booking
from samfard.costs.contracts import Need, VehicleType
from samfard.costs.models import SettledGoods, SettledRun, SettledTrip
from samfard.costs.penalties import penalties
from samfard.costs.pricing import (
    CostBasis,
    CostBreakdown,
    GoodsFacts,
    RunCost,
    RunFacts,
    TripFacts,
)
from samfard.errors import Forbidden, InputError, NotFound
from samfard.principals.models import Principal
from samfard.reports.exports import PenaltyLine, cost_statement, invoice_basis
from samfard.reports.kpi import TripRecord, aggregate
from samfard.reports.month import Month
from samfard.reports.monthly import (
    GoodsCost,
    MonthlyReportData,
    build_monthly_report,
    object_costs,
)
from samfard.reports.partial import counted, counted_through
from samfard.reports.quality_reads import deviations_per_trip, month_quality
from samfard.reports.sheet import Sheet
from samfard.reports.targets import comments_for, targets_for
from samfard.travellers.models import Traveller

_TRIP_COLUMNS = (
    SettledTrip.trip_key,
    SettledTrip.principal_code,
    SettledTrip.service,
    SettledTrip.day,
    SettledTrip.passengers,
    SettledTrip.run_passengers,
    SettledTrip.direct_m,
    SettledTrip.standalone_ore,
    SettledTrip.allocated_ore,
    SettledTrip.fee_ore,
    SettledTrip.stretcher,
    SettledTrip.dialysis,
    SettledTrip.promised_pickup,
    SettledTrip.actual_pickup,
    SettledTrip.deviations,
    SettledTrip.cost_centre,
    SettledTrip.cost_object,
)


def trip_records(
    session: Session, *, principal: str | None, first: date, last: date
) -> list[TripRecord]:
    """Settled trips of a principal (None: all) from `first` to `last`, both inclusive.

    A trip the driver has not reported has no actual pickup; it then counts as a trip
    without actuals (punctuality needs both times).
    """
    statement = select(*_TRIP_COLUMNS).where(SettledTrip.day >= first, SettledTrip.day <= last)
    if principal is not None:
        statement = statement.where(SettledTrip.principal_code == principal)
    rows = session.execute(statement).all()
    registered = deviations_per_trip(
        session, principal=principal, first=first, last=last, keys=[r.trip_key for r in rows]
    )
    records = []
    for row in rows:
        reported = row.actual_pickup is not None and row.promised_pickup is not None
        records.append(
            TripRecord(
                trip_id=row.trip_key,
                principal=row.principal_code,
                service=row.service,
                day=row.day,
                passengers=row.passengers,
                run_passengers=row.run_passengers,
                direct_km=Decimal(row.direct_m) / 1000,
                standalone=row.standalone_ore,
                allocated=row.allocated_ore,
                fee=row.fee_ore,
                stretcher=row.stretcher,
                dialysis=row.dialysis,
                promised_pickup=row.promised_pickup if reported else None,
                actual_pickup=row.actual_pickup if reported else None,
                deviations=row.deviations + registered.get(row.trip_key, 0),
                cost_centre=row.cost_centre,
                cost_object=row.cost_object,
            )
        )
    return records


def goods_costs(
    session: Session, *, principal: str, first: date, last: date, through: date | None = None
) -> list[GoodsCost]:
    """The principal's settled goods per cost object and month (docs/goods.md); with
    `through`, only the days a report of `last`'s month not yet over counts
    (`partial.counted`)."""
    sums: dict[tuple[str, int, int], tuple[int, int, int]] = {}
    rows = session.execute(
        select(
            SettledGoods.cost_object,
            SettledGoods.day,
            SettledGoods.standalone_ore,
            SettledGoods.allocated_ore,
        ).where(
            SettledGoods.principal_code == principal,
            SettledGoods.day >= first,
            SettledGoods.day <= last,
        )
    )
    for cost_object, day, standalone, allocated in rows:
        if not counted(day, last.year, through):
            continue
        key = (cost_object, day.year, day.month)
        n, alone, borne = sums.get(key, (0, 0, 0))
        sums[key] = (n + 1, alone + standalone, borne + allocated)
    return [
        GoodsCost(principal, obj, y, m, n, alone, borne)
        for (obj, y, m), (n, alone, borne) in sorted(sums.items())
    ]


def records_start(session: Session) -> date | None:
    """The first day settled trips are recorded for (any principal): before it the
    records are not zero, they are missing, so no comparison reaches back past it."""
    return session.scalar(select(func.min(SettledTrip.day)))


def principal_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Principal.code, Principal.name)).all())


def unknown_principal(principal: str) -> InputError:
    """The refusal of a principal code no principal has, said in Swedish for the pages."""
    error = InputError(f"unknown principal {principal}", field="principal")
    error.detail_sv = f"Det finns ingen huvudman med koden {principal}."
    return error


def monthly_report(
    *, session: Session, actor: Actor, principal: str, year: int, month: int, today: date
) -> MonthlyReportData:
    """The monthly report of a principal: the month, the same month last year, both years
    to date and the months for the charts, all from settled trips.

    `today` (Swedish time) decides whether the month is over: one that is not is counted
    to today and compared with the same days last year (reports/partial.py).
    """
    actor.require(Permission.REPORTS_READ)
    actor.require_principal(principal)
    period = Month(year, month)
    names = principal_names(session)
    if principal not in names:
        raise unknown_principal(principal)
    first, last = period.start_of_year_before, period.last_day
    through = counted_through(period, today)
    records = [
        r
        for r in trip_records(session, principal=principal, first=first, last=last)
        if counted(r.day, year, through)
    ]
    report = build_monthly_report(
        aggregate(records),
        object_costs=object_costs(records),
        goods_costs=goods_costs(
            session, principal=principal, first=first, last=last, through=through
        ),
        year=year,
        month=month,
        scope=f"{names[principal]} ({principal})",
        principal=principal,
        principal_names=names,
        data_from=records_start(session),
        targets=targets_for(session, principal=principal, year=year),
        comments=comments_for(session, principal=principal, year=year, month=month),
        through=through,
    )
    quality = month_quality(
        session,
        principal=principal,
        first=period.first_day,
        last=period.last_day if through is None else through,
    )
    return replace(report, quality=quality)


def cost_statement_sheet(
    *, session: Session, actor: Actor, principal: str, year: int, month: int
) -> Sheet:
    """A principal's cost statement for a month, one line per settled trip (a code no
    principal has is refused, not answered with an empty sheet)."""
    actor.require(Permission.REPORTS_READ)
    actor.require_principal(principal)
    if principal not in principal_names(session):
        raise unknown_principal(principal)
    period = Month(year, month)
    first, last = period.first_day, period.last_day
    records = trip_records(session, principal=principal, first=first, last=last)
    hidden: frozenset[str] = frozenset()
    if not actor.has(Permission.PROTECTED_IDENTITY_READ):
        hidden = frozenset(
            session.scalars(
                select(SettledTrip.trip_key)
                .join(Booking, Booking.id == SettledTrip.booking_id)
                .join(Traveller, Traveller.id == Booking.traveller_id)
                .where(
                    Traveller.protected_identity.is_(True),
                    SettledTrip.day >= first,
                    SettledTrip.day <= last,
                )
            )
        )
    return cost_statement(principal, year, month, records, hidden=hidden)


def invoice_basis_sheet(
    *, session: Session, actor: Actor, carrier: str, year: int, month: int
) -> Sheet:
    """A carrier's invoice basis for a month, one line per settled run.

    Scoped to the caller's principals: only runs carrying a trip of one of them are listed
    (a carrier with none answers 404 as an unknown one, so another principal's carriers and
    their figures stay unseen; an account scoped to all principals gets the same 404 for a
    carrier without runs that month). A run may carry trips of several principals, so the
    actor must be scoped to every principal on the runs listed (a region sees a
    municipality's share only if it handles that municipality).
    """
    actor.require(Permission.REPORTS_READ)
    period = Month(year, month)
    first, last = period.first_day, period.last_day
    runs = list(
        session.scalars(
            select(SettledRun)
            .where(SettledRun.carrier == carrier, SettledRun.day >= first, SettledRun.day <= last)
            .order_by(SettledRun.start_at, SettledRun.run_ref)
        )
    )
    trips: dict[str, list[TripFacts]] = defaultdict(list)
    goods: dict[str, list[GoodsFacts]] = defaultdict(list)
    refs = [r.run_ref for r in runs]
    for chunk in range(0, len(refs), 500):
        part = refs[chunk : chunk + 500]
        for t in session.scalars(select(SettledTrip).where(SettledTrip.run_ref.in_(part))):
            trips[t.run_ref].append(_trip_facts(t))
        # A run may carry goods alone (docs/goods.md): they are what it carries then.
        for g in session.scalars(select(SettledGoods).where(SettledGoods.run_ref.in_(part))):
            goods[g.run_ref].append(GoodsFacts(g.goods_key, g.principal_code, g.standalone_ore))

    def payers(ref: str) -> set[str]:
        return {t.principal for t in trips[ref]} | {g.principal for g in goods[ref]}

    if ALL_PRINCIPALS not in actor.principal_codes:
        runs = [r for r in runs if any(actor.covers_principal(p) for p in payers(r.run_ref))]
    if not runs:
        # The same answer for every scope, and for a carrier that does not exist: an empty
        # sheet would read as "nothing to pay" where the name was mistyped.
        raise NotFound(
            f"no settled runs of carrier {carrier} in {period} for the principals your "
            "account is scoped to",
            field="carrier",
        )
    if any(not actor.covers_principal(p) for r in runs for p in payers(r.run_ref)):
        # Which other principals rode with this carrier is theirs to know, not named here.
        raise Forbidden(
            f"the invoice basis of {carrier} for {period} includes trips of "
            "principals your account is not scoped to; ask an account scoped to all of them",
            field="carrier",
        )
    charged = [
        PenaltyLine(p.deviation_ref, p.day, p.contract_code, p.kind, p.amount_ore)
        for p in penalties(session, first=first, last=last, carrier=carrier)
        if actor.covers_principal(p.principal_code)
    ]
    lines = [_run(r, tuple(trips[r.run_ref]), tuple(goods[r.run_ref])) for r in runs]
    return invoice_basis(carrier, year, month, lines, charged)


def _trip_facts(t: SettledTrip) -> TripFacts:
    """The trip as RunFacts needs it on board; the invoice reads only run-level figures, so
    the direct minutes (not stored) are left at zero."""
    needs = {Need.STRETCHER} if t.stretcher else set()
    if t.wheelchair:
        needs.add(Need.WHEELCHAIR)
    return TripFacts(
        trip_id=t.trip_key,
        principal=t.principal_code,
        service=t.service,
        pickup_at=t.pickup_at,
        direct_km=Decimal(t.direct_m) / 1000,
        direct_minutes=Decimal(0),
        passengers=t.passengers,
        needs=frozenset(needs),
    )


def _run(
    r: SettledRun, trips: tuple[TripFacts, ...], goods: tuple[GoodsFacts, ...]
) -> tuple[RunFacts, RunCost]:
    kind = VehicleType(r.vehicle_type)
    facts = RunFacts(
        run_id=r.run_ref,
        vehicle_type=kind,
        start=r.start_at,
        end=r.end_at,
        driven_km=Decimal(r.driven_m) / 1000,
        driving_minutes=Decimal(r.driving_cmin) / 100,
        waiting_minutes=Decimal(r.waiting_cmin) / 100,
        trips=trips,
        goods=goods,
        basis=CostBasis(r.basis),
    )
    breakdown = CostBreakdown(
        start_fee=r.start_fee_ore,
        distance=r.distance_ore,
        driving_time=r.driving_time_ore,
        waiting_time=r.waiting_time_ore,
        surcharge=r.surcharge_ore,
        supplements=r.supplements_ore,
        fixed=r.fixed_ore,
        driver=r.driver_ore,
    )
    return facts, RunCost(r.run_ref, r.contract_code, kind, CostBasis(r.basis), breakdown)
