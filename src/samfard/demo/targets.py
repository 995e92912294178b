"""The demo's KPI targets and comments, set the way an administrator sets them.

Targets for this year and last year for both regions (sjukresor) and the municipalities
with history (färdtjänst), at levels the invented history sometimes meets and sometimes
misses, and a comment on two figures for the demo month and the month before, so every
column of the report's key figure table (Mål, Uppfyllt, Kommentar) has something in it.
Set through `reports.targets`, the same path as `samfard kpi` and the API.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.demo.history import REGIONS
from samfard.reports.targets import set_comment, set_target

# (key figure, region target, municipality target, target comment); units as printed.
TARGETS: tuple[tuple[str, str, str, str], ...] = (
    ("cost_per_trip", "650", "700", "Budgetram per resa"),
    ("savings_pct", "15", "10", "Samordningsvinst enligt verksamhetsplanen"),
    ("coordination_rate", "2", "2", ""),
    ("punctuality", "93", "93", "Trafikavtalet: hämtning högst 10 min sen"),
    ("deviations_per_1000", "4", "4", "Avvikelser ur avvikelseregistret; mål högst 4"),
    ("stretcher_share", "4", "0", "Liggande transport endast vid medicinskt behov"),
)
COMMENTS: tuple[tuple[str, str], ...] = (
    ("punctuality", "Sena hämtningar följs upp med transportörerna på månadsmötet."),
    ("cost_per_trip", "Taxiavtalen indexerades 1 april 2026, cirka 7 % högre taxa."),
)


def set_demo_targets(session: Session, *, day: date, now: datetime) -> int:
    """Set the demo targets and comments around `day`; returns how many were set."""
    regions = list(REGIONS)
    municipalities = sorted({code for _, codes in REGIONS.values() for code in codes})
    count = 0
    for year in (day.year - 1, day.year):
        for kpi, region, municipality, comment in TARGETS:
            for principal in (*regions, *municipalities):
                value = region if principal in regions else municipality
                set_target(
                    session=session,
                    actor=SYSTEM,
                    principal=principal,
                    year=year,
                    kpi=kpi,
                    value=value,
                    now=now,
                    comment=comment,
                )
                count += 1
    previous = date(day.year, day.month, 1).toordinal() - 1
    for month_day in (date.fromordinal(previous), day):
        for principal in regions:
            for kpi, text in COMMENTS:
                set_comment(
                    session=session,
                    actor=SYSTEM,
                    principal=principal,
                    year=month_day.year,
                    month=month_day.month,
                    kpi=kpi,
                    comment=text,
                    now=now,
                )
                count += 1
    return count
