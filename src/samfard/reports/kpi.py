"""Key figures (nyckeltal) per principal, service and month, with targets.

Two steps, so the database can do the first: `aggregate` sums settled trips into one row
per principal, service, month and distance band (a GROUP BY in SQL gives the same rows),
and `kpi_lines` turns any selection of rows into the board's figures, each with target,
outcome and comment. Every formula is in docs/costs.md.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal

from samfard.costs.allocation import RunAllocation
from samfard.costs.contracts import Need
from samfard.costs.pricing import RunFacts
from samfard.errors import InputError
from samfard.money import Ore, times
from samfard.timeutil import STOCKHOLM, require_aware

PUNCTUAL_WITHIN = timedelta(minutes=10)
LONG_TRIP_KM = Decimal(100)
DISTANCE_BANDS: tuple[tuple[str, Decimal], ...] = (
    ("0-10 km", Decimal(10)),
    ("10-30 km", Decimal(30)),
    ("30-100 km", Decimal(100)),
    ("över 100 km", Decimal("Infinity")),
)


def distance_band(km: Decimal) -> str:
    """The band a direct distance falls in; upper bounds are inclusive (10 km is 0-10)."""
    for label, upper in DISTANCE_BANDS:
        if km <= upper:
            return label
    raise AssertionError("the last band is unbounded")


@dataclass(frozen=True)
class TripRecord:
    """A settled trip as reports see it: what it cost, what it saved, how it went.

    `run_passengers` counts everyone on the trip's run, so the trip's part of a vehicle
    trip is passengers / run_passengers. `fee` is what the fee ledger (egenavgift) holds
    for the trip. Pickup times are None until the driver has reported.
    """

    trip_id: str
    principal: str
    service: str
    day: date
    passengers: int
    run_passengers: int
    direct_km: Decimal
    standalone: Ore
    allocated: Ore
    fee: Ore = 0
    stretcher: bool = False
    dialysis: bool = False
    promised_pickup: datetime | None = None
    actual_pickup: datetime | None = None
    deviations: int = 0
    cost_centre: str | None = None  # kostnadsställe, when the decision names one
    cost_object: str | None = None  # objekt (e.g. 3523 Røros)

    def __post_init__(self) -> None:
        if not 1 <= self.passengers <= self.run_passengers:
            raise InputError(
                f"trip {self.trip_id}: passengers must be 1 to run_passengers "
                f"({self.run_passengers}), got {self.passengers}",
                field="passengers",
            )
        for name in ("promised_pickup", "actual_pickup"):
            value = getattr(self, name)
            if value is not None:
                require_aware(value, field=name)

    @property
    def punctual(self) -> bool | None:
        if self.actual_pickup is None or self.promised_pickup is None:
            return None
        return self.actual_pickup <= self.promised_pickup + PUNCTUAL_WITHIN


@dataclass(frozen=True)
class CostAggregate:
    """Sums for one principal, service, month and distance band."""

    principal: str
    service: str
    year: int
    month: int
    band: str
    trips: int = 0
    passengers: int = 0
    vehicle_trips: Decimal = Decimal(0)
    direct_km: Decimal = Decimal(0)
    standalone: Ore = 0
    cost: Ore = 0
    fees: Ore = 0
    long_trips: int = 0
    stretcher_trips: int = 0
    dialysis_trips: int = 0
    with_actuals: int = 0
    punctual: int = 0
    deviations: int = 0


def run_records(
    run: RunFacts,
    allocation: RunAllocation,
    *,
    fees: Mapping[str, Ore] | None = None,
    dialysis: frozenset[str] = frozenset(),
    pickups: Mapping[str, tuple[datetime | None, datetime | None]] | None = None,
    deviations: Mapping[str, int] | None = None,
) -> tuple[TripRecord, ...]:
    """The trip records of a settled run, keyed by trip id in the optional mappings.

    `pickups` holds (promised, actual) pickup times, actual None until reported; the day
    is the Swedish local date of the pickup.
    """
    fees, pickups, deviations = fees or {}, pickups or {}, deviations or {}
    shares = {share.trip_id: share for share in allocation.trips}
    on_board = sum(t.passengers for t in run.trips)
    records = []
    for trip in run.trips:
        share = shares[trip.trip_id]
        promised, actual = pickups.get(trip.trip_id, (None, None))
        records.append(
            TripRecord(
                trip_id=trip.trip_id,
                principal=trip.principal,
                service=trip.service,
                day=trip.pickup_at.astimezone(STOCKHOLM).date(),
                passengers=trip.passengers,
                run_passengers=on_board,
                direct_km=trip.direct_km,
                standalone=share.standalone,
                allocated=share.allocated,
                fee=fees.get(trip.trip_id, 0),
                stretcher=Need.STRETCHER in trip.needs,
                dialysis=trip.trip_id in dialysis,
                promised_pickup=promised,
                actual_pickup=actual,
                deviations=deviations.get(trip.trip_id, 0),
            )
        )
    return tuple(records)


_KEYS = ("principal", "service", "year", "month", "band")
_SUMMED = tuple(f.name for f in fields(CostAggregate) if f.name not in _KEYS)


def select(
    rows: Iterable[CostAggregate],
    *,
    principal: str | None = None,
    service: str | None = None,
    year: int | None = None,
    month: int | None = None,
) -> list[CostAggregate]:
    """The rows of one principal, service, year and month; None matches any."""
    return [
        r
        for r in rows
        if (principal is None or r.principal == principal)
        and (service is None or r.service == service)
        and (year is None or r.year == year)
        and (month is None or r.month == month)
    ]


def aggregate(records: Iterable[TripRecord]) -> tuple[CostAggregate, ...]:
    """Sum trips into rows per principal, service, month and distance band (sorted)."""
    sums: dict[tuple[str, str, int, int, str], dict[str, Decimal | int]] = {}
    for r in records:
        key = (r.principal, r.service, r.day.year, r.day.month, distance_band(r.direct_km))
        row = sums.setdefault(key, dict.fromkeys(_SUMMED, 0))
        punctual = r.punctual
        for name, value in (
            ("trips", 1),
            ("passengers", r.passengers),
            ("vehicle_trips", Decimal(r.passengers) / Decimal(r.run_passengers)),
            ("direct_km", r.direct_km),
            ("standalone", r.standalone),
            ("cost", r.allocated),
            ("fees", r.fee),
            ("long_trips", int(r.direct_km > LONG_TRIP_KM)),
            ("stretcher_trips", int(r.stretcher)),
            ("dialysis_trips", int(r.dialysis)),
            ("with_actuals", int(punctual is not None)),
            ("punctual", int(bool(punctual))),
            ("deviations", r.deviations),
        ):
            row[name] += value
    return tuple(
        CostAggregate(*key, **row)  # type: ignore[arg-type]
        for key, row in sorted(sums.items())
    )


def total(rows: Iterable[CostAggregate]) -> CostAggregate:
    """One row summing others (its keys are blank): the figures of a selection."""
    sums: dict[str, Decimal | int] = dict.fromkeys(_SUMMED, 0)
    for row in rows:
        for name in _SUMMED:
            sums[name] += getattr(row, name)
    sums["vehicle_trips"] = Decimal(sums["vehicle_trips"])
    sums["direct_km"] = Decimal(sums["direct_km"])
    return CostAggregate("", "", 0, 0, "", **sums)  # type: ignore[arg-type]


class Kpi(enum.StrEnum):
    """The board's key figures; the value is the stable name used for targets."""

    TRIPS = "trips"
    PASSENGERS = "passengers"
    COST = "cost"
    COST_PER_TRIP = "cost_per_trip"
    COST_PER_KM = "cost_per_km"
    COORDINATION_RATE = "coordination_rate"
    SAVINGS_PCT = "savings_pct"
    LONG_TRIP_SHARE = "long_trip_share"
    STRETCHER_SHARE = "stretcher_share"
    DIALYSIS_TRIPS = "dialysis_trips"
    FEES = "fees"
    NET_COST = "net_cost"
    PUNCTUALITY = "punctuality"
    DEVIATIONS_PER_1000 = "deviations_per_1000"


# The figures that are sums over the month: a month not over (reports/partial.py) is not
# judged against their targets, since five days' cost is always under a month's ceiling
# and five days' trips always short of a month's goal. The ratios are judged, marked as
# preliminary: a cost per trip or a punctuality is comparable on part of a month.
MONTH_TOTALS = frozenset(
    {Kpi.TRIPS, Kpi.PASSENGERS, Kpi.COST, Kpi.DIALYSIS_TRIPS, Kpi.FEES, Kpi.NET_COST}
)
NOT_JUDGED_YET = "Bedöms mot målet när månaden är slut."

# Swedish label and unit shown in the report; "kr" values are computed in öre.
KPI_LABELS: Mapping[Kpi, tuple[str, str]] = {
    Kpi.TRIPS: ("Resor", "st"),
    Kpi.PASSENGERS: ("Resenärer", "st"),
    Kpi.COST: ("Kostnad", "kr"),
    Kpi.COST_PER_TRIP: ("Kostnad per resa", "kr"),
    Kpi.COST_PER_KM: ("Kostnad per km", "kr"),
    Kpi.COORDINATION_RATE: ("Samordningsgrad (resenärer per fordonsresa)", "st"),
    Kpi.SAVINGS_PCT: ("Samordningsvinst", "%"),
    Kpi.LONG_TRIP_SHARE: ("Andel resor över 100 km", "%"),
    Kpi.STRETCHER_SHARE: ("Andel liggande transporter", "%"),
    Kpi.DIALYSIS_TRIPS: ("Dialysresor", "st"),
    Kpi.FEES: ("Egenavgifter", "kr"),
    Kpi.NET_COST: ("Nettokostnad", "kr"),
    Kpi.PUNCTUALITY: ("Punktlighet (hämtning högst 10 min sen)", "%"),
    Kpi.DEVIATIONS_PER_1000: ("Avvikelser per 1 000 resor", "st"),
}

# What the figures a reader is likely to compare mean; the report prints these under the
# key figures (a board member asked why there are more travellers than trips).
KPI_DEFINITIONS: tuple[tuple[str, str], ...] = (
    (
        "Resor",
        "bokade resor som körts: en resa är en enkel väg för en resenär (tur och retur är "
        "två resor), oavsett hur många som åker med.",
    ),
    (
        "Resenärer",
        "alla som åkte på resorna: resenären och medresenärer (ledsagare, barn, "
        "medföljande). Därför är resenärerna fler än resorna när någon har sällskap.",
    ),
    (
        "Samordningsgrad",
        "resenärer per fordonsresa: hur många som i genomsnitt satt i fordonet under en "
        "körning med passagerare.",
    ),
    (
        "Samordningsvinst",
        "vad resorna hade kostat om var och en körts ensam, i samma fordonstyp och med "
        "samma avtal, minus vad de kostade; en resa som körts ensam sparar noll.",
    ),
)

_HUNDRED = Decimal(100)


def _ratio(part: Decimal | int, whole: Decimal | int, scale: Decimal | int = 1) -> Decimal | None:
    """A share or rate, rounded half-even to two decimals (as printed)."""
    if not whole:
        return None
    return (Decimal(part) * Decimal(scale) / Decimal(whole)).quantize(Decimal("0.01"))


def _ore_ratio(ore: Ore, whole: Decimal | int) -> Decimal | None:
    """Money per something (cost per trip, per km), rounded once, half up to whole öre as
    every amount is (money.times). Rounding to hundredths of an öre first and to the öre
    again when printed made 505,50 kr over 101 trips 5,01 kr instead of 5,00 kr."""
    if not whole:
        return None
    return Decimal(times(Decimal(ore) / Decimal(whole), 1))


def kpi_values(row: CostAggregate) -> dict[Kpi, Decimal | None]:
    """Each figure of a summed row; None where it is undefined (no trips, no actuals).

    Money figures are in whole öre (cost per km: öre per direct km).
    """
    return {
        Kpi.TRIPS: Decimal(row.trips),
        Kpi.PASSENGERS: Decimal(row.passengers),
        Kpi.COST: Decimal(row.cost),
        Kpi.COST_PER_TRIP: _ore_ratio(row.cost, row.trips),
        Kpi.COST_PER_KM: _ore_ratio(row.cost, row.direct_km),
        Kpi.COORDINATION_RATE: _ratio(row.passengers, row.vehicle_trips),
        Kpi.SAVINGS_PCT: _ratio(row.standalone - row.cost, row.standalone, _HUNDRED),
        Kpi.LONG_TRIP_SHARE: _ratio(row.long_trips, row.trips, _HUNDRED),
        Kpi.STRETCHER_SHARE: _ratio(row.stretcher_trips, row.trips, _HUNDRED),
        Kpi.DIALYSIS_TRIPS: Decimal(row.dialysis_trips),
        Kpi.FEES: Decimal(row.fees),
        Kpi.NET_COST: Decimal(row.cost - row.fees),
        Kpi.PUNCTUALITY: _ratio(row.punctual, row.with_actuals, _HUNDRED),
        Kpi.DEVIATIONS_PER_1000: _ratio(row.deviations, row.trips, 1000),
    }


@dataclass(frozen=True)
class KpiTarget:
    """A target (målvärde) for a figure; money targets in öre, shares in percent.

    `service` limits the target to one service's table (None: every table); a target for
    the service wins over a general one.
    """

    kpi: Kpi
    value: Decimal
    higher_is_better: bool
    comment: str = ""
    service: str | None = None

    def __post_init__(self) -> None:
        if self.value < 0:
            raise InputError(
                f"target for {self.kpi.value} must be zero or more, got {self.value}",
                field="value",
            )


@dataclass(frozen=True)
class KpiLine:
    """One row of the board's table: figure, outcome, target, met or not, comment;
    `preliminary` when met is judged on a month not yet over."""

    kpi: Kpi
    label: str
    unit: str
    outcome: Decimal | None
    target: Decimal | None
    met: bool | None
    comment: str
    preliminary: bool = False


def met_text(line: KpiLine) -> str:
    """'uppfyllt', 'ej uppfyllt', with '(preliminärt)' on a month not over; '' unjudged.
    One wording for the page, PDF and CSV."""
    met = {None: "", True: "uppfyllt", False: "ej uppfyllt"}[line.met]
    return f"{met} (preliminärt)" if met and line.preliminary else met


def kpi_lines(
    rows: Sequence[CostAggregate],
    targets: Iterable[KpiTarget] = (),
    *,
    service: str | None = None,
    comments: Mapping[str, str] | None = None,
    partial: bool = False,
) -> tuple[KpiLine, ...]:
    """The figures of a selection of rows, each judged against its target if one is set.

    `service` names the service the rows are of, to pick that service's targets.
    `comments` holds the month's comment per KPI name; it wins over the target's own.
    `partial`: the rows are of a month not yet over, so the month's sums (MONTH_TOTALS)
    are not judged and the rest are judged as preliminary.
    """
    usable = [t for t in targets if t.service is None or t.service == service]
    by_kpi = {t.kpi: t for t in sorted(usable, key=lambda t: t.service is not None)}
    values = kpi_values(total(rows))
    lines = []
    for kpi, outcome in values.items():
        label, unit = KPI_LABELS[kpi]
        target = by_kpi.get(kpi)
        met: bool | None = None
        comment = (comments or {}).get(kpi.value) or (target.comment if target else "")
        waits = partial and kpi in MONTH_TOTALS
        if target is not None and outcome is not None and not waits:
            met = outcome >= target.value if target.higher_is_better else outcome <= target.value
        if outcome is None:
            comment = (comment + " " if comment else "") + "Underlag saknas."
        elif target is not None and waits:
            comment = (comment + " " if comment else "") + NOT_JUDGED_YET
        lines.append(
            KpiLine(
                kpi,
                label,
                unit,
                outcome,
                target.value if target else None,
                met,
                comment,
                preliminary=partial and met is not None,
            )
        )
    return tuple(lines)
