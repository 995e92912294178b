"""Quality figures of a month (kvalitetsuppföljning): deviations per 1 000 trips by
carrier, kind and severity, time to close, serious events and penalties, beside the cost.

Pure: it takes the month's deviations and trip counts as plain data; `reports.service`
reads them. A rate is deviations per 1 000 settled trips of the same selection (a
carrier's deviations over that carrier's trips); time to close is the median number of
days from the report to closing, over the deviations of the month already closed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from statistics import median

from samfard.money import Ore

SERIOUS = frozenset({"serious", "critical"})


@dataclass(frozen=True)
class DeviationFact:
    """One deviation as the report sees it (no person)."""

    day: date
    kind: str
    severity: str
    carrier: str | None
    status: str
    reported_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class RateLine:
    """A group's deviations and their rate per 1 000 trips (None without trips)."""

    label: str
    trips: int
    deviations: int
    per_1000: Decimal | None
    penalties: Ore = 0


@dataclass(frozen=True)
class QualityFigures:
    trips: int
    deviations: int
    per_1000: Decimal | None
    serious: int
    open: int
    closed: int
    median_days_to_close: Decimal | None
    penalties: Ore
    by_carrier: tuple[RateLine, ...]
    by_kind: tuple[RateLine, ...]
    by_severity: tuple[RateLine, ...]


def per_1000(count: int, trips: int) -> Decimal | None:
    if not trips:
        return None
    return (Decimal(count) * 1000 / Decimal(trips)).quantize(Decimal("0.01"))


def quality_figures(
    deviations: Iterable[DeviationFact],
    *,
    trips: int,
    trips_by_carrier: Mapping[str, int],
    penalties_by_carrier: Mapping[str, Ore],
    kinds: Iterable[str],
    severities: Iterable[str],
) -> QualityFigures:
    """The month's quality figures; every kind and severity listed, even at zero."""
    facts = list(deviations)
    closed_days = [
        Decimal((d.closed_at - d.reported_at).total_seconds()) / 86400
        for d in facts
        if d.closed_at is not None
    ]
    by_carrier = Counter(d.carrier or "Ingen utförare" for d in facts)
    carriers = sorted(set(trips_by_carrier) | set(by_carrier) | set(penalties_by_carrier))
    kind_count = Counter(d.kind for d in facts)
    severity_count = Counter(d.severity for d in facts)
    return QualityFigures(
        trips=trips,
        deviations=len(facts),
        per_1000=per_1000(len(facts), trips),
        serious=sum(1 for d in facts if d.severity in SERIOUS),
        open=sum(1 for d in facts if d.status != "closed"),
        closed=len(closed_days),
        median_days_to_close=(
            Decimal(median(closed_days)).quantize(Decimal("0.1")) if closed_days else None
        ),
        penalties=sum(penalties_by_carrier.values()),
        by_carrier=tuple(
            RateLine(
                c,
                trips_by_carrier.get(c, 0),
                by_carrier.get(c, 0),
                per_1000(by_carrier.get(c, 0), trips_by_carrier.get(c, 0)),
                penalties_by_carrier.get(c, 0),
            )
            for c in carriers
        ),
        by_kind=tuple(
            RateLine(k, trips, kind_count.get(k, 0), per_1000(kind_count.get(k, 0), trips))
            for k in kinds
        ),
        by_severity=tuple(
            RateLine(s, trips, severity_count.get(s, 0), per_1000(severity_count.get(s, 0), trips))
            for s in severities
        ),
    )
