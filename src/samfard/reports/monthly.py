"""The monthly report (månadsrapport): this year against last year, with the reasons.

`build_monthly_report` takes aggregate rows (kpi.CostAggregate, from Python or from SQL)
and returns `MonthlyReportData`, plain data that the HTML, PDF and CSV renderers share, so
the three always show the same figures. The report speaks Swedish: it goes to the board.

The comments are written by `summary` and the Swedish words of figures by `wording`
(split off when the module passed 500 lines).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from samfard.money import Ore
from samfard.reports.kpi import (
    DISTANCE_BANDS,
    CostAggregate,
    KpiLine,
    KpiTarget,
    TripRecord,
    kpi_lines,
)
from samfard.reports.kpi import total as sum_rows
from samfard.reports.month import Month
from samfard.reports.partial import month_label, partial_note, year_to_date_label
from samfard.reports.quality import QualityFigures
from samfard.reports.summary import incomplete_note, summary
from samfard.reports.wording import MONTHS, cost_of, percent, round_ore, service_label

INCOMPLETE = "ofullständigt underlag"  # shown instead of a change against a partial base


@dataclass(frozen=True)
class CostLine:
    """A money line of the report: this period, the same period last year, the change.

    `base_complete` is False when the records start after the beginning of last year's
    period: last year's figure then covers only part of it, and a change against it
    would mislead (a base of one month against ten gives "+1 091,6 %"), so there is none.
    """

    label: str
    current: Ore
    previous: Ore
    base_complete: bool = True

    @property
    def change(self) -> Ore | None:
        return self.current - self.previous if self.base_complete else None

    @property
    def change_pct(self) -> Decimal | None:
        change = self.change
        return None if change is None else percent(change, self.previous)


@dataclass(frozen=True)
class BandLine:
    """Cost per trip in one distance band, this month and the same month last year."""

    band: str
    current: Ore | None
    previous: Ore | None


@dataclass(frozen=True)
class PrincipalLine:
    """A principal's month: what travel cost, what coordination saved, fees, net cost."""

    principal: str
    name: str
    trips: int
    cost: Ore
    standalone: Ore
    fees: Ore

    @property
    def saving(self) -> Ore:
        return self.standalone - self.cost

    @property
    def saving_pct(self) -> Decimal | None:
        return percent(self.saving, self.standalone)

    @property
    def net(self) -> Ore:
        return self.cost - self.fees


def principal_lines(
    rows: Iterable[CostAggregate], names: Mapping[str, str] | None = None
) -> tuple[PrincipalLine, ...]:
    """One line per principal in the rows (sorted by code), names looked up if given."""
    by_principal: dict[str, list[CostAggregate]] = {}
    for row in rows:
        by_principal.setdefault(row.principal, []).append(row)
    lines = []
    for code, mine in sorted(by_principal.items()):
        row = sum_rows(mine)
        name = (names or {}).get(code, code)
        lines.append(PrincipalLine(code, name, row.trips, row.cost, row.standalone, row.fees))
    return tuple(lines)


@dataclass(frozen=True)
class MonthlyReportData:
    """Everything the monthly report shows; renderers only format it."""

    scope: str
    year: int
    month: int
    month_lines: tuple[CostLine, ...]
    ytd_lines: tuple[CostLine, ...]
    principals: tuple[PrincipalLine, ...]
    kpis: tuple[KpiLine, ...]
    service_kpis: tuple[tuple[KpiLine, ...], ...]  # [service index], the month, per service
    services: tuple[str, ...]
    cost_by_month: tuple[tuple[Ore, ...], ...]  # [service index][month index], this year
    coordination_by_month: tuple[tuple[Decimal | None, ...], tuple[Decimal | None, ...]]
    bands: tuple[BandLine, ...]
    summary: tuple[str, ...]
    empty: bool
    notes: tuple[str, ...] = ()  # why a comparison is missing (an incomplete base)
    quality: QualityFigures | None = None  # deviations and penalties of the month
    through: date | None = None  # the last day counted of a month not over (partial.py)

    @property
    def period(self) -> str:
        """'december 2026', or 'december 2026 till och med 5 december' if not over."""
        return month_label(self.year, self.month, self.through, report_year=self.year)

    @property
    def previous_period(self) -> str:
        return month_label(self.year - 1, self.month, self.through, report_year=self.year)

    @property
    def ytd_period(self) -> str:
        return year_to_date_label(self.year, self.month, self.through, report_year=self.year)

    @property
    def ytd_previous_period(self) -> str:
        return year_to_date_label(self.year - 1, self.month, self.through, report_year=self.year)

    @property
    def month_labels(self) -> tuple[str, ...]:
        return tuple(name[:3] for name in MONTHS[: self.month])


@dataclass(frozen=True)
class ObjectCost:
    """Cost booked to one cost centre and object (kostnadsställe, objekt) in one month,
    such as the Norway referrals (1600 / 3523 Røros, 3524 Tynset) a region follows apart."""

    principal: str
    service: str
    cost_centre: str
    cost_object: str
    year: int
    month: int
    trips: int
    cost: Ore


def object_costs(records: Iterable[TripRecord]) -> tuple[ObjectCost, ...]:
    """Sum the trips that carry a cost object, per principal, service, object and month."""
    sums: dict[tuple[str, str, str, str, int, int], tuple[int, Ore]] = {}
    for r in records:
        if r.cost_centre is None or r.cost_object is None:
            continue
        key = (r.principal, r.service, r.cost_centre, r.cost_object, r.day.year, r.day.month)
        trips, cost = sums.get(key, (0, 0))
        sums[key] = (trips + 1, cost + r.allocated)
    return tuple(ObjectCost(*key, *value) for key, value in sorted(sums.items()))


def _object_lines(
    now: Sequence[ObjectCost], before: Sequence[ObjectCost], complete: bool
) -> list[CostLine]:
    """One line per cost object, below the service it belongs to ("varav": part of it)."""
    keys = sorted({(o.service, o.cost_centre, o.cost_object) for o in (*now, *before)})

    def cost(rows: Sequence[ObjectCost], key: tuple[str, str, str]) -> Ore:
        return sum(o.cost for o in rows if (o.service, o.cost_centre, o.cost_object) == key)

    return [
        CostLine(
            f"varav {service_label(key[0])} kostnadsställe {key[1]}, objekt {key[2]}",
            cost(now, key),
            cost(before, key),
            complete,
        )
        for key in keys
    ]


@dataclass(frozen=True)
class GoodsCost:
    """Goods (docs/goods.md) a principal sent in one month on one cost object (cost
    centre GODS, object bussgods or hjalpmedel): their contract prices and the share of the
    shared runs they bore. Apart from the passengers' lines: goods carry nobody."""

    principal: str
    cost_object: str
    year: int
    month: int
    consignments: int
    standalone: Ore
    cost: Ore


GOODS_OBJECT_LABEL = {"bussgods": "bussgods", "hjalpmedel": "hjälpmedel"}


def _goods_lines(
    now: Sequence[GoodsCost], before: Sequence[GoodsCost], complete: bool
) -> list[CostLine]:
    """One line per goods object, then the goods' contract prices: what sending them
    alone would have cost the principal."""
    objects = sorted({g.cost_object for g in (*now, *before)})
    if not objects:
        return []

    def total(rows: Sequence[GoodsCost], field: str, obj: str | None = None) -> Ore:
        return sum(getattr(g, field) for g in rows if obj is None or g.cost_object == obj)

    lines = [
        CostLine(
            f"Kostnad gods, {GOODS_OBJECT_LABEL.get(obj, obj)} (kostnadsställe GODS, objekt {obj})",
            total(now, "cost", obj),
            total(before, "cost", obj),
            complete,
        )
        for obj in objects
    ]
    lines.append(
        CostLine(
            "Gods till avtalspris", total(now, "standalone"), total(before, "standalone"), complete
        )
    )
    return lines


def _cost_lines(
    now: Sequence[CostAggregate],
    before: Sequence[CostAggregate],
    objects_now: Sequence[ObjectCost] = (),
    objects_before: Sequence[ObjectCost] = (),
    complete: bool = True,
) -> list[CostLine]:
    services = sorted({r.service for r in (*now, *before)})
    lines = [
        CostLine(f"Kostnad {service_label(s)}", cost_of(s, now), cost_of(s, before), complete)
        for s in services
    ]
    lines += _object_lines(objects_now, objects_before, complete)
    a, b = sum_rows(now), sum_rows(before)
    lines += [
        CostLine("Total kostnad", a.cost, b.cost, complete),
        CostLine("Kostnad om varje resa körts ensam", a.standalone, b.standalone, complete),
        CostLine("Samordningsvinst", a.standalone - a.cost, b.standalone - b.cost, complete),
        CostLine("Egenavgifter", a.fees, b.fees, complete),
        CostLine("Nettokostnad", a.cost - a.fees, b.cost - b.fees, complete),
    ]
    return lines


def _band_lines(now: Sequence[CostAggregate], before: Sequence[CostAggregate]) -> list[BandLine]:
    def per_trip(rows: Iterable[CostAggregate]) -> Ore | None:
        row = sum_rows(rows)
        return round_ore(Decimal(row.cost) / row.trips) if row.trips else None

    return [
        BandLine(
            band,
            per_trip(r for r in now if r.band == band),
            per_trip(r for r in before if r.band == band),
        )
        for band, _ in DISTANCE_BANDS
    ]


def build_monthly_report(
    rows: Iterable[CostAggregate],
    *,
    year: int,
    month: int,
    scope: str,
    principal: str | None = None,
    targets: Iterable[KpiTarget] = (),
    principal_names: Mapping[str, str] | None = None,
    data_from: date | None = None,
    comments: Mapping[str, str] | None = None,
    object_costs: Iterable[ObjectCost] = (),
    goods_costs: Iterable[GoodsCost] = (),
    through: date | None = None,
) -> MonthlyReportData:
    """The report for one month of one principal (or of all, with principal=None).

    Rows may span any period; those of other principals and other months are ignored.
    A month without rows reports zeros and says so in the summary. `data_from` is the
    first day the records cover (None: complete): a comparison with a period that starts
    before it is not made, and the report says why. `comments` are the month's comments
    per KPI name (kpi.Kpi values), shown beside the targets' own. `object_costs` adds a
    line per cost centre and object under the service lines; `goods_costs` the goods'
    lines after the passengers' (docs/goods.md). `through` is the last day counted of a
    month not over (`partial.counted_through`): the rows must already be cut to it and to
    the same date last year (`partial.counted`); the report names the days, says so in a
    note and judges the month's targets as `kpi_lines(partial=True)` does.
    """
    Month(year, month)  # refuses a month whose year before or last day does not exist
    mine = [r for r in rows if principal is None or r.principal == principal]
    objects = [o for o in object_costs if principal is None or o.principal == principal]
    goods = [g for g in goods_costs if principal is None or g.principal == principal]
    goals = tuple(targets)

    def period(y: int, months: range) -> list[CostAggregate]:
        return [r for r in mine if r.year == y and r.month in months]

    def objects_in(y: int, months: range) -> list[ObjectCost]:
        return [o for o in objects if o.year == y and o.month in months]

    def goods_in(y: int, months: range) -> list[GoodsCost]:
        return [g for g in goods if g.year == y and g.month in months]

    this_month, last_month = (
        period(year, range(month, month + 1)),
        period(year - 1, range(month, month + 1)),
    )
    ytd, last_ytd = period(year, range(1, month + 1)), period(year - 1, range(1, month + 1))
    services = tuple(sorted({r.service for r in (*ytd, *last_ytd)}))
    cost_by_month = tuple(
        tuple(
            sum(r.cost for r in ytd if r.service == s and r.month == m) for m in range(1, month + 1)
        )
        for s in services
    )

    def coordination(y: int) -> tuple[Decimal | None, ...]:
        out = []
        for m in range(1, month + 1):
            row = sum_rows(period(y, range(m, m + 1)))
            out.append(
                (Decimal(row.passengers) / row.vehicle_trips).quantize(Decimal("0.01"))
                if row.vehicle_trips
                else None
            )
        return tuple(out)

    name = month_label(year, month, through, report_year=year)
    against = "samma månad i fjol"
    if through is not None:
        against = f"samma dagar i fjol ({month_label(year - 1, month, through, report_year=year)})"
    month_complete = data_from is None or data_from <= date(year - 1, month, 1)
    ytd_complete = data_from is None or data_from <= date(year - 1, 1, 1)
    notes = [] if through is None else [partial_note(year, month, through)]
    if data_from is not None and not month_complete:
        notes.append(incomplete_note(f"{MONTHS[month - 1]} {year - 1}", data_from))
    if data_from is not None and not ytd_complete:
        notes.append(
            incomplete_note(f"januari–{MONTHS[month - 1]} {year - 1} (året hittills)", data_from)
        )
    return MonthlyReportData(
        scope=scope,
        year=year,
        month=month,
        month_lines=tuple(
            _cost_lines(
                this_month,
                last_month,
                objects_in(year, range(month, month + 1)),
                objects_in(year - 1, range(month, month + 1)),
                month_complete,
            )
            + _goods_lines(
                goods_in(year, range(month, month + 1)),
                goods_in(year - 1, range(month, month + 1)),
                month_complete,
            )
        ),
        ytd_lines=tuple(
            _cost_lines(
                ytd,
                last_ytd,
                objects_in(year, range(1, month + 1)),
                objects_in(year - 1, range(1, month + 1)),
                ytd_complete,
            )
            + _goods_lines(
                goods_in(year, range(1, month + 1)),
                goods_in(year - 1, range(1, month + 1)),
                ytd_complete,
            )
        ),
        principals=principal_lines(this_month, principal_names),
        kpis=kpi_lines(this_month, goals, comments=comments, partial=through is not None),
        service_kpis=tuple(
            kpi_lines(
                [r for r in this_month if r.service == s],
                goals,
                service=s,
                partial=through is not None,
            )
            for s in services
        ),
        services=services,
        cost_by_month=cost_by_month,
        coordination_by_month=(coordination(year), coordination(year - 1)),
        bands=tuple(_band_lines(this_month, last_month)),
        summary=summary(
            scope, name, this_month, last_month, None if month_complete else data_from, against
        ),
        empty=not this_month,
        notes=tuple(notes),
        through=through,
    )
