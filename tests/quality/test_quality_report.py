"""The monthly report's quality figures come from the deviation register: deviations per
1 000 settled trips (the KPI judged against its target), by carrier with the penalties,
by kind and severity, and the time to close."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

from quality_world import AFTER, DAY, build_quality_world
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.costs.models import SettledTrip
from samfard.costs.service import settle_day
from samfard.quality.schemas import Action, DeviationCreate, DeviationStep, Outcome
from samfard.quality.service import report_deviation, take_step
from samfard.quality.words import KIND_SV, SEVERITY_SV
from samfard.reports.exports import report_csv
from samfard.reports.kpi import Kpi
from samfard.reports.quality_export import quality_sheets
from samfard.reports.render_html import render_html
from samfard.reports.render_pdf import render_pdf
from samfard.reports.service import monthly_report
from samfard.reports.targets import set_target


def test_the_report_counts_registered_deviations_against_the_target(session: Session) -> None:
    world = build_quality_world(session)
    settle_day(session=session, day=DAY, actor=SYSTEM, now=AFTER)
    principal = world.booking.principal_code
    set_target(session=session, actor=SYSTEM, principal=principal, year=2026,
               kpi="deviations_per_1000", value="5", now=AFTER)  # fmt: skip
    late = report_deviation(
        session=session,
        data=DeviationCreate.model_validate(
            {"booking_id": world.booking.id, "kind": "late", "description": "30 min sent"}
        ),
        actor=world.operator,
        now=AFTER,
    )
    other_trip = session.scalar(
        select(SettledTrip.trip_key)
        .where(SettledTrip.principal_code == principal,
               SettledTrip.booking_id != world.booking.id)
        .order_by(SettledTrip.trip_key)
        .limit(1)
    )  # fmt: skip
    assert other_trip is not None
    report_deviation(
        session=session,
        data=DeviationCreate.model_validate(
            {
                "trip_key": other_trip,
                "kind": "injury",
                "severity": "serious",
                "description": "Föll vid avstigning",
            }
        ),  # fmt: skip
        actor=world.operator,
        now=AFTER,
    )
    take_step(
        session=session,
        deviation_id=late.id,
        data=DeviationStep(action=Action.DECIDE, outcome=Outcome.UPHELD, note="Sent"),
        actor=world.operator,
        now=AFTER,
    )
    take_step(
        session=session,
        deviation_id=late.id,
        data=DeviationStep(action=Action.CLOSE),
        actor=world.operator,
        now=AFTER + timedelta(days=3),
    )
    trips = session.scalar(
        select(func.count(SettledTrip.id)).where(SettledTrip.principal_code == principal)
    )
    assert trips
    report = monthly_report(
        session=session,
        actor=SYSTEM,
        principal=principal,
        year=2026,
        month=11,
        today=date(2027, 1, 1),
    )
    expected = (Decimal(2000) / trips).quantize(Decimal("0.01"))
    quality = report.quality
    assert quality is not None
    assert (quality.trips, quality.deviations, quality.per_1000) == (trips, 2, expected)
    assert (quality.serious, quality.open, quality.closed) == (1, 1, 1)
    assert quality.median_days_to_close == Decimal("3.0")
    assert quality.penalties == 50000
    carrier = next(line for line in quality.by_carrier if line.label == world.carrier_name)
    assert carrier.penalties == 50000 and carrier.deviations >= 1
    kinds = {line.label: line.deviations for line in quality.by_kind}
    assert kinds["late"] == 1 and kinds["injury"] == 1 and kinds["conduct"] == 0
    kpi = next(line for line in report.kpis if line.kpi is Kpi.DEVIATIONS_PER_1000)
    assert (kpi.outcome, kpi.target, kpi.met) == (expected, 5, expected <= 5)
    html = render_html(report)
    assert "Kvalitet och patientsäkerhet" in html and "Avvikelser per utförare" in html
    pdf = render_pdf(report)
    assert b"Kvalitet och patients" in pdf and b"Avvikelser per utf" in pdf
    (sheet,) = quality_sheets(report)
    total = sheet.rows[0]
    assert total[:4] == ("total", "", trips, 2) and total[-1] == 50000
    lines = list(csv.DictReader(StringIO(report_csv(report)), delimiter=";"))
    figure = {(r["tabell"], r["rad"]): (r["enhet"], r["utfall"]) for r in lines}
    per_1000 = str(expected).replace(".", ",")
    assert figure[("Kvalitet", "Avvikelser per 1 000 resor")] == ("per 1 000 resor", per_1000)
    assert figure[("Kvalitet", "Mediantid till avslut")] == ("dagar", "3,0")
    assert figure[("Kvalitet", "Viten")] == ("kr", "500,00")
    by_carrier = f"Kvalitet per utförare: {world.carrier_name}"
    assert figure[(by_carrier, "Viten")] == ("kr", "500,00")
    assert figure[(by_carrier, "Avvikelser")] == ("st", str(carrier.deviations))
    kind, severity = "Kvalitet per typ: ", "Kvalitet per allvarlighetsgrad: "
    assert figure[(kind + KIND_SV["injury"], "Avvikelser")] == ("st", "1")
    assert figure[(kind + KIND_SV["conduct"], "Avvikelser")] == ("st", "0")
    assert figure[(severity + SEVERITY_SV["serious"], "Avvikelser")] == ("st", "1")
    assert all(r["huvudman"] == report.scope for r in lines if r["tabell"].startswith("Kval"))
