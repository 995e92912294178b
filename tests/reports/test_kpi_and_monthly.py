"""KPIs and the monthly report's year-over-year figures on a hand-computed fixture month."""

from __future__ import annotations

from decimal import Decimal

from report_fixtures import PROMISED, november_records

from samfard.reports.kpi import Kpi, KpiTarget, aggregate, distance_band, kpi_lines, select
from samfard.reports.monthly import build_monthly_report


def test_distance_bands_include_their_upper_bound() -> None:
    assert distance_band(Decimal(10)) == "0-10 km"
    assert distance_band(Decimal("10.1")) == "10-30 km"
    assert distance_band(Decimal(100)) == "30-100 km"
    assert distance_band(Decimal("100.1")) == "över 100 km"


def test_kpis_of_the_fixture_month_match_hand_computation() -> None:
    rows = [r for r in aggregate(november_records()) if r.principal == "23"]
    month = [r for r in rows if (r.year, r.month) == (2026, 11)]
    target = KpiTarget(Kpi.PUNCTUALITY, Decimal(94), higher_is_better=True, comment="Mål 94 %")
    lines = {line.kpi: line for line in kpi_lines(month, [target])}
    assert lines[Kpi.TRIPS].outcome == 3
    assert lines[Kpi.COST].outcome == 150000
    assert lines[Kpi.COST_PER_TRIP].outcome == 50000
    assert lines[Kpi.COST_PER_KM].outcome == 1000  # 150 000 öre / 150 km
    assert lines[Kpi.COORDINATION_RATE].outcome == Decimal("1.50")  # 3 / (0.5 + 0.5 + 1)
    assert lines[Kpi.SAVINGS_PCT].outcome == Decimal("16.67")  # 30 000 / 180 000
    assert lines[Kpi.LONG_TRIP_SHARE].outcome == Decimal("33.33")
    assert lines[Kpi.STRETCHER_SHARE].outcome == Decimal("33.33")
    assert lines[Kpi.DIALYSIS_TRIPS].outcome == 1
    assert lines[Kpi.FEES].outcome == 60000
    assert lines[Kpi.NET_COST].outcome == 90000
    assert lines[Kpi.PUNCTUALITY].outcome == 50  # t1 exactly 10 min late counts as on time
    assert lines[Kpi.DEVIATIONS_PER_1000].outcome == Decimal("333.33")  # 1 deviation, 3 trips
    assert lines[Kpi.PUNCTUALITY].met is False
    assert lines[Kpi.PUNCTUALITY].target == 94
    assert lines[Kpi.PUNCTUALITY].comment == "Mål 94 %"


def test_year_over_year_lines_of_the_fixture_month() -> None:
    report = build_monthly_report(
        aggregate(november_records()), year=2026, month=11, scope="Region 23", principal="23"
    )
    lines = {line.label: line for line in report.month_lines}
    cost = lines["Kostnad Sjukresor"]
    assert (cost.current, cost.previous, cost.change) == (150000, 100000, 50000)
    assert cost.change_pct == Decimal("50.0")
    assert "Kostnad Färdtjänst" not in lines  # other principal filtered out
    saving = lines["Samordningsvinst"]
    assert (saving.current, saving.previous) == (30000, 20000)
    assert lines["Egenavgifter"].current == 60000
    assert lines["Nettokostnad"].change == 90000 - 60000
    ytd = {line.label: line for line in report.ytd_lines}
    assert (ytd["Total kostnad"].current, ytd["Total kostnad"].previous) == (160000, 100000)
    assert report.cost_by_month == ((0, 0, 10000, 0, 0, 0, 0, 0, 0, 0, 150000),)
    assert report.coordination_by_month[0][-1] == Decimal("1.50")
    assert report.coordination_by_month[1][-1] == Decimal("1.00")
    assert not report.empty


def test_summary_names_the_mover_and_splits_volume_from_price() -> None:
    report = build_monthly_report(
        aggregate(november_records()), year=2026, month=11, scope="Region 23", principal="23"
    )
    text = " ".join(report.summary)
    assert "+500,00 kr (+50,0 %)" in text
    assert "Sjukresor" in text
    assert "(+1) förklarar +500,00 kr" in text  # one more trip at last year's 500 kr
    assert "förklarar 0,00 kr" in text  # price per trip unchanged


def test_all_principals_scope_includes_every_service() -> None:
    report = build_monthly_report(aggregate(november_records()), year=2026, month=11, scope="Alla")
    labels = [line.label for line in report.month_lines]
    assert "Kostnad Färdtjänst" in labels and "Kostnad Sjukresor" in labels
    assert report.services == ("fardtjanst", "sjukresa")


def test_month_without_data_reports_zeros_and_says_so() -> None:
    report = build_monthly_report(
        aggregate(november_records()), year=2026, month=12, scope="Region 23", principal="23"
    )
    assert report.empty
    assert all(line.current == 0 for line in report.month_lines)
    assert "Inga resor registrerade" in report.summary[0]
    lines = {line.kpi: line for line in report.kpis}
    assert lines[Kpi.TRIPS].outcome == 0
    assert lines[Kpi.COST_PER_TRIP].outcome is None
    assert "Underlag saknas" in lines[Kpi.COST_PER_TRIP].comment


def test_service_target_overrides_general_target_in_its_own_table() -> None:
    """Punctuality 50 %: met against a 40 % sjukresa target, not against the 94 % general."""
    general = KpiTarget(Kpi.PUNCTUALITY, Decimal(94), higher_is_better=True)
    sjukresa = KpiTarget(Kpi.PUNCTUALITY, Decimal(40), higher_is_better=True, service="sjukresa")
    report = build_monthly_report(
        aggregate(november_records()),
        year=2026,
        month=11,
        scope="Alla",
        targets=iter([sjukresa, general]),  # a one-shot iterable must serve every table
    )
    overall = {line.kpi: line for line in report.kpis}
    per_service = dict(zip(report.services, report.service_kpis, strict=True))
    sjuk = {line.kpi: line for line in per_service["sjukresa"]}
    fard = {line.kpi: line for line in per_service["fardtjanst"]}
    assert overall[Kpi.PUNCTUALITY].target == 94
    assert sjuk[Kpi.PUNCTUALITY].target == 40 and sjuk[Kpi.PUNCTUALITY].met is True
    assert fard[Kpi.PUNCTUALITY].target == 94 and fard[Kpi.PUNCTUALITY].outcome is None
    assert sjuk[Kpi.TRIPS].outcome == 3 and fard[Kpi.TRIPS].outcome == 1


def test_select_filters_by_each_key() -> None:
    rows = aggregate(november_records())
    assert {r.principal for r in select(rows, principal="2380")} == {"2380"}
    assert sum(r.trips for r in select(rows, year=2026, month=11)) == 4
    assert sum(r.trips for r in select(rows, service="sjukresa", year=2025)) == 2


def test_principal_lines_show_cost_saving_and_net_per_principal() -> None:
    report = build_monthly_report(
        aggregate(november_records()),
        year=2026,
        month=11,
        scope="Alla",
        principal_names={"23": "Region Jämtland Härjedalen"},
    )
    lines = {p.principal: p for p in report.principals}
    region = lines["23"]
    assert region.name == "Region Jämtland Härjedalen"
    assert (region.trips, region.cost, region.saving, region.net) == (3, 150000, 30000, 90000)
    assert region.saving_pct == Decimal("16.7")
    assert lines["2380"].name == "2380" and lines["2380"].saving == 0
    assert sum(p.cost for p in report.principals) == next(
        line.current for line in report.month_lines if line.label == "Total kostnad"
    )


def test_trip_promised_but_not_yet_reported_is_left_out_of_punctuality() -> None:
    from dataclasses import replace

    records = november_records()
    t3 = next(r for r in records if r.trip_id == "t3")
    pending = replace(t3, trip_id="t4", promised_pickup=PROMISED, actual_pickup=None)
    month = [r for r in aggregate([*records, pending]) if (r.year, r.month) == (2026, 11)]
    lines = {line.kpi: line for line in kpi_lines([r for r in month if r.principal == "23"])}
    assert lines[Kpi.PUNCTUALITY].outcome == 50  # still t1 and t2 only


def test_a_partial_base_gives_no_change_but_says_why() -> None:
    """Records starting 2025-11-01: November 2025 is whole, January to November 2025 is
    not, so the month compares and the year to date says the base is incomplete."""
    from datetime import date

    from samfard.reports.exports import report_csv
    from samfard.reports.render_html import render_html
    from samfard.reports.render_pdf import render_pdf

    report = build_monthly_report(
        aggregate(november_records()),
        year=2026,
        month=11,
        scope="Region 23",
        principal="23",
        data_from=date(2025, 11, 1),
    )
    month = {line.label: line for line in report.month_lines}["Total kostnad"]
    assert month.base_complete and month.change_pct == Decimal("50.0")
    ytd = {line.label: line for line in report.ytd_lines}["Total kostnad"]
    assert (ytd.current, ytd.previous) == (160000, 100000)
    assert not ytd.base_complete and ytd.change is None and ytd.change_pct is None
    assert report.notes == (
        "Ingen förändring mot januari–november 2025 (året hittills) redovisas: underlaget "
        "börjar 2025-11-01, så jämförelseperioden är ofullständig.",
    )
    page = render_html(report)
    assert "+60,0 %" not in page and "ofullständigt underlag" in page
    assert report.notes[0] in page
    assert b"ofullst" in render_pdf(report)
    ytd_rows = [r for r in report_csv(report).splitlines() if ";Året hittills;Total kostnad" in r]
    assert ytd_rows and ytd_rows[0].endswith(";;;;;ofullständigt underlag")
    assert ";Anmärkning" + ";" * 9 + report.notes[0] in report_csv(report)


def test_a_base_starting_mid_month_last_year_gives_no_monthly_change() -> None:
    from datetime import date

    report = build_monthly_report(
        aggregate(november_records()),
        year=2026,
        month=11,
        scope="Region 23",
        principal="23",
        data_from=date(2025, 11, 12),
    )
    assert all(line.change is None for line in (*report.month_lines, *report.ytd_lines))
    assert "ofullständig" in report.summary[0] and "+" not in report.summary[0]
