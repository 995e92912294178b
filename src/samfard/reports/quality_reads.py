"""What the monthly report reads of the deviation register: the month's quality figures
and each settled trip's number of deviations (for the KPI against its target)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.costs.models import SettledTrip
from samfard.costs.penalties import penalty_sums
from samfard.quality.models import Deviation
from samfard.quality.schemas import DeviationKind, Severity
from samfard.reports.quality import DeviationFact, QualityFigures, quality_figures


def deviations_per_trip(
    session: Session, *, principal: str | None, first: date, last: date, keys: Iterable[str]
) -> dict[str, int]:
    """Deviations per settled trip key: a deviation names its settled trip, or its booking
    (then it counts on the booking's first settled leg, "b<id>.<lowest seq>")."""
    first_leg: dict[int, str] = {}
    for key in sorted(keys, key=lambda k: (len(k), k)):
        booking, dot, seq = key[1:].partition(".")
        if key.startswith("b") and dot and booking.isdigit() and seq.isdigit():
            first_leg.setdefault(int(booking), key)
    statement = select(Deviation.trip_key, Deviation.booking_id).where(
        Deviation.day >= first, Deviation.day <= last
    )
    if principal is not None:
        statement = statement.where(Deviation.principal_code == principal)
    counts: dict[str, int] = defaultdict(int)
    for trip_key, booking_id in session.execute(statement):
        found: str | None = trip_key
        if found is None and booking_id is not None:
            found = first_leg.get(booking_id)
        if found is not None:
            counts[found] += 1
    return dict(counts)


def month_quality(session: Session, *, principal: str, first: date, last: date) -> QualityFigures:
    """The quality figures of one principal's month."""
    in_month = (
        Deviation.principal_code == principal,
        Deviation.day >= first,
        Deviation.day <= last,
    )
    facts = [
        DeviationFact(
            d.day, d.kind, d.severity, d.carrier_name, d.status, d.reported_at, d.closed_at
        )  # fmt: skip
        for d in session.scalars(select(Deviation).where(*in_month))
    ]
    trips_by_carrier = dict(
        session.execute(
            select(SettledTrip.carrier, func.count(SettledTrip.id))
            .where(
                SettledTrip.principal_code == principal,
                SettledTrip.day >= first,
                SettledTrip.day <= last,
            )
            .group_by(SettledTrip.carrier)
        ).all()
    )
    return quality_figures(
        facts,
        trips=sum(trips_by_carrier.values()),
        trips_by_carrier=trips_by_carrier,
        penalties_by_carrier=penalty_sums(session, first=first, last=last, principal=principal),
        kinds=[k.value for k in DeviationKind],
        severities=[s.value for s in Severity],
    )
