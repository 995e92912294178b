"""Exports for the finance offices: the invoice basis per carrier and month, the cost
statement per principal, and the monthly report's tables, as CSV and XLSX.

The finance exports' CSV is for machines (comma separated, UTF-8, amounts in kronor with
a decimal point and two decimals, e.g. 1234.50) so that any system can import it without
a Swedish locale; the monthly report's CSV is for the analyst who opens it in Excel
(semicolons, decimal commas, Swedish headers: `report_csv`); XLSX is for people (real
numbers with a kronor format, so sums work in Excel). All come from the same figures, so
they always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from samfard.costs.pricing import RunCost, RunFacts
from samfard.money import Ore
from samfard.reports.kpi import KPI_DEFINITIONS, KpiLine, TripRecord, met_text
from samfard.reports.monthly import INCOMPLETE, MonthlyReportData
from samfard.reports.quality_export import quality_csv_rows
from samfard.reports.sheet import Cell, Sheet
from samfard.reports.wording import service_label
from samfard.spreadsheet import kronor_sv, swedish_csv
from samfard.timeutil import STOCKHOLM

_INVOICE_HEADER = (
    "run_id",
    "day",
    "contract",
    "vehicle_type",
    "basis",
    "driven_km",
    "driving_minutes",
    "waiting_minutes",
    "start_fee_kr",
    "distance_kr",
    "driving_time_kr",
    "waiting_time_kr",
    "surcharge_kr",
    "supplements_kr",
    "fixed_kr",
    "driver_kr",
    "total_kr",
)


@dataclass(frozen=True)
class PenaltyLine:
    """A penalty (vite) deducted on the invoice basis: deviation, day, contract, term."""

    deviation_ref: str
    day: date
    contract_code: str
    kind: str
    amount: Ore


def invoice_basis(
    carrier: str,
    year: int,
    month: int,
    runs: Iterable[tuple[RunFacts, RunCost]],
    penalties: Sequence[PenaltyLine] = (),
) -> Sheet:
    """Invoice basis (fakturaunderlag) of a carrier for a month: one line per run, its
    components, and a total line. Runs outside the month (local date of start) are left
    out, so the caller may pass a wider selection. Penalties (viten) for upheld deviations
    follow the total as negative lines, then the amount to pay ("ATT BETALA")."""
    rows: list[tuple[Cell, ...]] = []
    totals = [0] * 9
    for facts, cost in sorted(runs, key=lambda fc: (fc[0].start, fc[0].run_id)):
        day = facts.start.astimezone(STOCKHOLM).date()
        if (day.year, day.month) != (year, month):
            continue
        b = cost.breakdown
        amounts = (
            b.start_fee,
            b.distance,
            b.driving_time,
            b.waiting_time,
            b.surcharge,
            b.supplements,
            b.fixed,
            b.driver,
            b.total,
        )
        totals = [t + a for t, a in zip(totals, amounts, strict=True)]
        rows.append(
            (
                facts.run_id,
                day,
                cost.contract_code,
                facts.vehicle_type.value,
                cost.basis.value,
                facts.driven_km,
                facts.driving_minutes,
                facts.waiting_minutes,
                *amounts,
            )
        )
    rows.append(("TOTAL", None, None, None, None, None, None, None, *totals))
    if penalties:
        blank = (0,) * 8
        for p in penalties:
            rows.append(
                (f"VITE {p.deviation_ref}", p.day, p.contract_code, p.kind,
                 None, None, None, None, *blank, -p.amount)
            )  # fmt: skip
        net = totals[-1] - sum(p.amount for p in penalties)
        rows.append(("ATT BETALA", None, None, None, None, None, None, None, *blank, net))
    return Sheet(
        f"Faktura {carrier} {year}-{month:02d}",
        _INVOICE_HEADER,
        tuple(rows),
        frozenset(range(8, 17)),
    )


PROTECTED_TRIP = "skyddad identitet"


def _cost_row(
    label: str,
    day: date | None,
    service: str | None,
    trips: Sequence[TripRecord],
    km: Decimal | None,
) -> tuple[Cell, ...]:
    """A line of the cost statement: the sums of `trips`, with the km given."""
    standalone = sum(t.standalone for t in trips)
    allocated = sum(t.allocated for t in trips)
    fee = sum(t.fee for t in trips)
    return (
        label,
        day,
        service,
        sum(t.passengers for t in trips),
        km,
        standalone,
        allocated,
        standalone - allocated,
        fee,
        allocated - fee,
    )


def cost_statement(
    principal: str,
    year: int,
    month: int,
    trips: Iterable[TripRecord],
    *,
    hidden: frozenset[str] = frozenset(),
) -> Sheet:
    """Cost statement (kostnadsredovisning) of a principal for a month: one line per trip
    with standalone cost, allocated cost, saving, fee and net cost, and a total line.

    The trips in `hidden` (a protected identity's, for a reader without the right) are one
    line of the month's sums, with no booking, day or km: a trip's km from a hidden home,
    or its standalone cost (a start fee and a price per km), with the booking that says
    where it went, placed the home. The total's km leave them out; its money does not."""
    mine = sorted(
        (
            t
            for t in trips
            if t.principal == principal and (t.day.year, t.day.month) == (year, month)
        ),
        key=lambda t: (t.day, t.trip_id),
    )
    shown = [t for t in mine if t.trip_id not in hidden]
    rows = [_cost_row(t.trip_id, t.day, t.service, [t], t.direct_km) for t in shown]
    masked = [t for t in mine if t.trip_id in hidden]
    if masked:
        label = f"{PROTECTED_TRIP} ({len(masked)} {'resa' if len(masked) == 1 else 'resor'})"
        rows.append(_cost_row(label, None, None, masked, None))
    km = sum((t.direct_km for t in shown), Decimal(0))
    rows.append(_cost_row("TOTAL", None, None, mine, km))
    header = (
        "trip_id",
        "day",
        "service",
        "passengers",
        "direct_km",
        "standalone_kr",
        "allocated_kr",
        "saving_kr",
        "fee_kr",
        "net_kr",
    )
    return Sheet(
        f"Kostnad {principal} {year}-{month:02d}", header, tuple(rows), frozenset(range(5, 10))
    )


def report_sheets(report: MonthlyReportData) -> tuple[Sheet, ...]:
    """The monthly report's tables: cost lines for the month and year to date, and KPIs."""
    header = ("line", "current_kr", "previous_kr", "change_kr", "change_pct")
    money = frozenset({1, 2, 3})
    sheets = [
        Sheet(
            title,
            header,
            tuple((ln.label, ln.current, ln.previous, ln.change, ln.change_pct) for ln in lines),
            money,
        )
        for title, lines in (("Månaden", report.month_lines), ("Året hittills", report.ytd_lines))
    ]
    sheets.append(
        Sheet(
            "Huvudmän",
            (
                "principal",
                "name",
                "trips",
                "cost_kr",
                "standalone_kr",
                "saving_kr",
                "saving_pct",
                "fees_kr",
                "net_kr",
            ),
            tuple(
                (
                    p.principal,
                    p.name,
                    p.trips,
                    p.cost,
                    p.standalone,
                    p.saving,
                    p.saving_pct,
                    p.fees,
                    p.net,
                )
                for p in report.principals
            ),
            frozenset({3, 4, 5, 7, 8}),
        )
    )
    sheets.append(
        Sheet(
            "Nyckeltal",
            ("kpi", "label", "unit", "outcome", "target", "met", "comment"),
            tuple(_kpi_row(line) for line in report.kpis),
        )
    )
    return tuple(sheets)


def kpi_number(value: Decimal | None, unit: str) -> Decimal | None:
    """A KPI figure for export, rounded as the report prints it: kronor to the öre (money
    KPIs are carried in öre), counts whole, ratios and percentages to two decimals."""
    if value is None:
        return None
    if unit == "kr":
        return (value / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _kpi_row(line: KpiLine) -> tuple[Cell, ...]:
    met = None if line.met is None else ("yes" if line.met else "no")
    outcome, target = kpi_number(line.outcome, line.unit), kpi_number(line.target, line.unit)
    return (line.kpi.value, line.label, line.unit, outcome, target, met, line.comment)


REPORT_CSV_HEADER = (
    "huvudman",
    "period",
    "tabell",
    "rad",
    "enhet",
    "utfall",
    "i_fjol",
    "förändring",
    "förändring_procent",
    "mål",
    "måluppfyllelse",
    "kommentar",
)


def report_csv(report: MonthlyReportData) -> str:
    """The report's tables as one CSV for a Swedish analyst's spreadsheet
    (`spreadsheet.swedish_csv`: semicolons, decimal commas, Swedish headers and table
    names, the same file from /uppfoljning and the API): cost lines of the month
    ("Månaden") and of the year to date ("Året hittills") in kronor, the principals, the
    key figures with target, whether met and comment (rounded as printed: kronor to the
    öre, ratios to two decimals), the quality figures (`quality_export.quality_csv_rows`),
    the report's notes (table "Anmärkning": a month not yet over, an incomplete base) and
    the definitions of the figures (table "Definition", the text in the comment column)."""
    scope, period = report.scope, report.period
    rows: list[tuple[Cell, ...]] = []
    for table, when, lines in (
        ("Månaden", period, report.month_lines),
        ("Året hittills", report.ytd_period, report.ytd_lines),
    ):
        rows += [
            (
                scope,
                when,
                table,
                ln.label,
                "kr",
                kronor_sv(ln.current),
                kronor_sv(ln.previous),
                None if ln.change is None else kronor_sv(ln.change),
                ln.change_pct,
                None,
                None,
                None if ln.base_complete else INCOMPLETE,
            )
            for ln in lines
        ]
    for p in report.principals:
        rows += [
            (scope, period, f"Huvudman {p.principal}", label, unit, value,
             None, None, None, None, None, p.name)
            for label, unit, value in (
                ("Resor", "st", p.trips),
                ("Kostnad", "kr", kronor_sv(p.cost)),
                ("Kostnad ensamåkning", "kr", kronor_sv(p.standalone)),
                ("Samordningsvinst", "kr", kronor_sv(p.saving)),
                ("Egenavgifter", "kr", kronor_sv(p.fees)),
                ("Nettokostnad", "kr", kronor_sv(p.net)),
            )
        ]  # fmt: skip
    tables = [("Nyckeltal", report.kpis)]
    tables += [
        (f"Nyckeltal {service_label(s)}", lines)
        for s, lines in zip(report.services, report.service_kpis, strict=True)
    ]
    for table, line in ((t, ln) for t, lines in tables for ln in lines):
        rows.append(
            (scope, period, table, line.label, line.unit, kpi_number(line.outcome, line.unit),
             None, None, None, kpi_number(line.target, line.unit), met_text(line) or None,
             line.comment)
        )  # fmt: skip
    rows += quality_csv_rows(report)
    rows += [
        (scope, period, "Anmärkning", None, None, None, None, None, None, None, None, note)
        for note in report.notes
    ]
    rows += [
        (scope, period, "Definition", term, None, None, None, None, None, None, None, text)
        for term, text in KPI_DEFINITIONS
    ]
    return swedish_csv(REPORT_CSV_HEADER, rows)
