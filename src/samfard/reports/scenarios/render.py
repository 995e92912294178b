"""A scenario run as CSV files and one HTML page with a chart (Swedish labels).

The CSV holds the same figures as the HTML, in kronor with two decimals (a dot, for
spreadsheets); the HTML prints Swedish numbers. The chart is reports.charts' SVG bar
chart: each sample day's total cost under each scenario.
"""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from pathlib import Path

from samfard.reports.charts import bar_chart
from samfard.reports.scenarios.centre import centre_lines
from samfard.reports.scenarios.runner import ScenarioRun
from samfard.reports.scenarios.summary import (
    ALL,
    Spread,
    break_even,
    fleet_lines,
    principal_lines,
    sensitivity_lines,
)
from samfard.spreadsheet import spreadsheet_row

CENT = Decimal("0.01")


def _kr(ore: Decimal | int | None) -> str:
    if ore is None:
        return ""
    return str((Decimal(ore) / 100).quantize(CENT, rounding=ROUND_HALF_UP))


def _num(value: Decimal | None, places: str = "0.01") -> str:
    return "" if value is None else str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def _sv(text: str) -> str:
    """A CSV figure in Swedish: decimal comma, thin groups left out for copyability."""
    return text.replace(".", ",")


def _spread_cells(s: Spread | None) -> list[str]:
    if s is None:
        return ["", "", "", "", ""]
    return [_kr(s.low), _kr(s.mean), _kr(s.high), _kr(s.ci_low), _kr(s.ci_high)]


def _csv(head: list[str], rows: list[list[str]]) -> str:
    """Names come from the SPEC and the database: one a spreadsheet would read as a
    formula gets a leading quote (spreadsheet.py); figures stay numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(spreadsheet_row(head))
    writer.writerows(spreadsheet_row(row) for row in rows)
    return out.getvalue()


PRINCIPAL_HEAD = [
    "scenario", "principal", "trips", "total_kr", "kr_per_trip", "kr_per_km",
    "passengers_per_vehicle_trip", "stretcher_share_pct", "kr_per_stretcher_trip", "unserved_legs",
    "extra_ride_min_per_trip", "ride_time_over_direct",
    "diff_kr_per_day_min", "diff_kr_per_day_mean", "diff_kr_per_day_max",
    "diff_ci95_low", "diff_ci95_high",
]  # fmt: skip


def principal_rows(run: ScenarioRun) -> list[list[str]]:
    return [
        [
            line.scenario,
            line.principal,
            str(line.trips),
            _kr(line.total),
            _kr(line.per_trip),
            _kr(line.per_km),
            _num(line.passengers_per_vehicle_trip),
            _num(line.stretcher_share, "0.1"),
            _kr(line.per_stretcher_trip),
            str(line.unserved),
            _num(line.extra_ride_min, "0.1"),
            _num(line.ride_ratio),
            *_spread_cells(line.difference),
        ]
        for line in principal_lines(run)
    ]


def day_rows(run: ScenarioRun) -> list[list[str]]:
    rows = []
    for scenario in run.spec.scenarios:
        for day in run.results[scenario.name]:
            for code, p in day.principals.items():
                rows.append(
                    [scenario.name, day.day.isoformat(), code, str(p.trips), _kr(p.total),
                     _kr(p.unused_own), str(p.stretcher_trips), str(p.unserved)]
                )  # fmt: skip
    return rows


def sensitivity_rows(run: ScenarioRun) -> list[list[str]]:
    return [[s.scenario, s.factor, str(s.pct), _kr(s.difference)] for s in sensitivity_lines(run)]


def centre_rows(run: ScenarioRun) -> list[list[str]]:
    """The centre's own cost at each volume (empty when the SPEC names no centre costs)."""
    if run.spec.centre is None:
        return []
    return [
        [c.name, str(c.bookings_per_year), _num(c.fte, "0.1"), _kr(c.cost_per_year),
         _kr(c.per_booking)]
        for c in centre_lines(run.spec.centre, run.spec.demand.trips_per_day)
    ]  # fmt: skip


def write_csv(run: ScenarioRun, folder: Path) -> list[Path]:
    """principals.csv, days.csv, sensitivity.csv and fleet.csv in `folder`, and
    centre.csv when the SPEC names centre costs."""
    files = {
        "principals.csv": _csv(PRINCIPAL_HEAD, principal_rows(run)),
        "days.csv": _csv(
            [
                "scenario",
                "day",
                "principal",
                "trips",
                "total_kr",
                "unused_own_kr",
                "stretcher_trips",
                "unserved_legs",
            ],
            day_rows(run),
        ),  # fmt: skip
        "sensitivity.csv": _csv(
            ["scenario", "factor", "change_pct", "diff_kr_per_day_mean"], sensitivity_rows(run)
        ),
        "fleet.csv": _csv(
            [
                "scenario",
                "vehicles_used_per_day",
                "own_utilisation_pct",
                "passengers_per_vehicle_trip",
                "total_kr_per_day_mean",
                "ci95_low",
                "ci95_high",
            ],
            [
                [
                    f.scenario,
                    _num(f.vehicles_used_per_day, "0.1"),
                    _num(f.own_utilisation_pct, "0.1"),
                    _num(f.passengers_per_vehicle_trip),
                    _kr(f.total_per_day.mean),
                    _kr(f.total_per_day.ci_low),
                    _kr(f.total_per_day.ci_high),
                ]
                for f in fleet_lines(run)
            ],
        ),  # fmt: skip
    }
    if run.spec.centre is not None:
        files["centre.csv"] = _csv(
            ["volume", "bookings_per_year", "staff_fte", "cost_kr_per_year", "kr_per_booking"],
            centre_rows(run),
        )
    written = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th scope='col'>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{cells}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


PRINCIPAL_HEAD_SV = [
    "Scenario", "Huvudman", "Resor", "Kostnad kr", "Kr per resa", "Kr per km",
    "Resenärer per fordonsresa", "Bårandel %", "Kr per bårresa", "Ej planerade",
    "Extra restid min per resa", "Restid / direkt", "Skillnad min", "Skillnad medel",
    "Skillnad max", "KI 95 % låg", "KI 95 % hög",
]  # fmt: skip
FLEET_HEAD_SV = [
    "Scenario", "Fordon i bruk per dag", "Egna fordons beläggning %",
    "Resenärer per fordonsresa", "Kr per dag", "KI 95 % låg", "KI 95 % hög",
]  # fmt: skip
SENSITIVITY_HEAD_SV = ["Scenario", "Faktor", "Ändring %", "Skillnad kr per dag"]
CENTRE_HEAD_SV = ["Volym", "Bokningar per år", "Årsarbeten", "Kr per år", "Kr per bokning"]
BREAK_EVEN_HEAD_SV = [
    "Scenario", "Egna fordon", "Kr per fordonsdag", "Antal egna fordon vid brytpunkt",
]  # fmt: skip


def tables(run: ScenarioRun) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report's tables (caption, head, rows) in Swedish, for the HTML and the PDF."""
    principals = [
        [r[0], "alla huvudmän" if r[1] == ALL else r[1], *r[2:]] for r in principal_rows(run)
    ]
    breaks = [
        [b.scenario, str(b.fleet), _kr(b.vehicle_day), _num(b.size, "0.1")] for b in break_even(run)
    ]
    fleet = [
        [f.scenario, _num(f.vehicles_used_per_day, "0.1"), _num(f.own_utilisation_pct, "0.1"),
         _num(f.passengers_per_vehicle_trip), _kr(f.total_per_day.mean),
         _kr(f.total_per_day.ci_low), _kr(f.total_per_day.ci_high)]
        for f in fleet_lines(run)
    ]  # fmt: skip
    as_sv = [
        ("Per huvudman", PRINCIPAL_HEAD_SV, principals),
        ("Flotta", FLEET_HEAD_SV, fleet),
        ("Känslighet (planerna oförändrade): skillnad kr per dag", SENSITIVITY_HEAD_SV,
         sensitivity_rows(run)),
        ("Brytpunkt (första ordningens uppskattning)", BREAK_EVEN_HEAD_SV, breaks),
    ]  # fmt: skip
    if run.spec.centre is not None:
        as_sv.append(
            ("Centralens egen kostnad per bokning (personal och system) mot volym",
             CENTRE_HEAD_SV, centre_rows(run))
        )  # fmt: skip
    return [(c, h, [[_sv(cell) for cell in row] for row in rows]) for c, h, rows in as_sv]


def intro(run: ScenarioRun) -> str:
    """What was run, in one Swedish paragraph of plain text."""
    spec, demand = run.spec, run.spec.demand
    return (
        f"{len(run.days)} dagar från {run.days[0].isoformat()}, demogeneratorns frö "
        f"{demand.seed}, {demand.trips_per_day} resor per dag (tillväxt "
        f"{_sv(str(demand.growth_pct))} %), planerade med motorn {spec.engine} och "
        "avräknade med kostnadsmodellen. Skillnaden är scenariot minus "
        f"{spec.scenarios[0].name}, kronor per dag, med 95 % konfidensintervall över dagarna."
        + (f" Centralens kostnader: {spec.centre.source}" if spec.centre else "")
    )


def daily_totals(run: ScenarioRun) -> list[tuple[str, list[Decimal]]]:
    """Each scenario's total cost per sample day, whole kronor (the chart's series)."""
    return [
        (s.name, [(Decimal(d.total) / 100).quantize(Decimal(1)) for d in run.results[s.name]])
        for s in run.spec.scenarios
    ]


def render_html(run: ScenarioRun) -> str:
    """The whole report as one HTML document (Swedish), with the daily cost chart."""
    title = escape(run.spec.title)
    chart = bar_chart(
        "Total kostnad per dag och scenario",
        [d.isoformat() for d in run.days],
        daily_totals(run),
        unit="kr",
    )
    body = "\n".join(_table(caption, head, rows) for caption, head, rows in tables(run))
    return f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem}}
table{{border-collapse:collapse;margin:1rem 0;font-size:.9rem;display:block;overflow-x:auto}}
td,th{{border:1px solid #ccc;padding:.2rem .4rem;text-align:right}}
caption{{text-align:left;font-weight:bold}} svg{{max-width:100%;height:auto}}</style>
</head><body>
<h1>{title}</h1>
<p>{escape(intro(run))}</p>
{chart}
{body}
</body></html>
"""


def write_report(run: ScenarioRun, folder: Path) -> list[Path]:
    """Every output of a run in `folder` (created): the CSV files, scenario.html and
    scenario.pdf."""
    from samfard.reports.scenarios.render_pdf import render_pdf  # it imports this module

    folder.mkdir(parents=True, exist_ok=True)
    written = write_csv(run, folder)
    page = folder / "scenario.html"
    page.write_text(render_html(run), encoding="utf-8")
    pdf = folder / "scenario.pdf"
    pdf.write_bytes(render_pdf(run))
    return [*written, page, pdf]
