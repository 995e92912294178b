"""Follow-up per care unit (uppföljning per enhet), month by month.

For each unit and month: the staff certified at the end of the month, the certificates
issued by mode (every certificate of the unit: issued on /intyg or written on paper and
registered by the booking centre, since both cause the same trips; how many of them were
electronic is counted beside), the share of taxi and of stretcher transport among them,
and the cost that followed, read from the settlement tables in two ways:

- `settled_ore`: the allocated cost of settled trips of bookings the unit made itself
  (booking.care_unit), exact where the trips have been settled;
- `expected_ore`: each certificate's trips (one, or two with the return) priced at the
  month's mean allocated cost of a settled sjukresa trip of the same vehicle kind and
  region; the estimate that exists as soon as the certificate does, before any trip.

Reads only, holds no person (counts per unit), so no audit entry per traveller. Care
staff read their own unit's rows only (`_scope`), readers of reports their principals'.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Permission
from samfard.booking.models import Booking
from samfard.costs.models import SettledTrip
from samfard.errors import Forbidden
from samfard.spreadsheet import kronor_sv, swedish_csv
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Certificate, Issuer

MODES = ("public_transport", "taxi", "wheelchair_vehicle", "stretcher_vehicle")


@dataclass
class UnitMonth:
    unit: str
    principal_code: str
    month: date  # the first day of the month
    certified_staff: int = 0
    certificates: int = 0
    electronic: int = 0  # of `certificates`, issued on /intyg (the rest registered from paper)
    revoked: int = 0
    by_mode: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MODES, 0))
    expected_ore: int = 0
    settled_ore: int = 0

    @property
    def taxi_share(self) -> float:
        return self.by_mode["taxi"] / self.certificates if self.certificates else 0.0

    @property
    def stretcher_share(self) -> float:
        return self.by_mode["stretcher_vehicle"] / self.certificates if self.certificates else 0.0


def _month(day: date) -> date:
    return day.replace(day=1)


def _next(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _kind(mode: str) -> str:
    return {"stretcher_vehicle": "stretcher", "wheelchair_vehicle": "wheelchair"}.get(mode, "other")


def _mean_costs(session: Session, start: date, end: date) -> dict[tuple[str, date, str], int]:
    """Mean allocated cost of a settled sjukresa trip per (principal, month, vehicle kind)."""
    totals: dict[tuple[str, date, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = session.execute(
        select(
            SettledTrip.principal_code,
            SettledTrip.day,
            SettledTrip.stretcher,
            SettledTrip.wheelchair,
            SettledTrip.allocated_ore,
        ).where(SettledTrip.service == "sjukresa", SettledTrip.day >= start, SettledTrip.day < end)
    )
    for principal, day, stretcher, wheelchair, cost in rows:
        kind = "stretcher" if stretcher else "wheelchair" if wheelchair else "other"
        total = totals[(principal, _month(day), kind)]
        total[0] += cost
        total[1] += 1
    return {key: cost // count for key, (cost, count) in totals.items() if count}


def _scope(actor: Actor) -> tuple[list[str] | None, str | None]:
    """The principals and the unit whose follow-up `actor` reads: a reader of reports
    every unit of their principals; care staff their own unit only. An account that reads
    no reports and names no unit is refused rather than shown every unit of its principals
    (care staff open /enheter with `units:follow_up`, and a unit is what scopes them)."""
    codes = None if actor.owns_everything else sorted(actor.principal_codes)
    if actor.care_unit is None and not actor.has(Permission.REPORTS_READ):
        raise Forbidden(
            "the follow-up per care unit is of your own unit, and your account names none",
            field="care_unit",
        )
    return codes, actor.care_unit


def follow_up(
    *, session: Session, actor: Actor, now: datetime, months: int = 12
) -> list[UnitMonth]:
    """The last `months` months (this one included) per unit of the actor's principals,
    units in name order, months oldest first; a unit appears once it has staff or a
    certificate in the period."""
    today = now.astimezone(STOCKHOLM).date()
    first = _month(today)
    for _ in range(months - 1):
        first = _month(first - timedelta(days=1))
    end = _next(_month(today))
    codes, own_unit = _scope(actor)
    table: dict[tuple[str, date], UnitMonth] = {}

    def cell(unit: str, principal: str, month: date) -> UnitMonth:
        return table.setdefault((unit, month), UnitMonth(unit, principal, month))

    issuers = select(Issuer).where(Issuer.course_passed_on.is_not(None))
    # Every certificate of the unit, paper ones registered by the centre too: the follow-up
    # is of what the unit prescribes, and counting only /intyg's made a unit that writes on
    # paper look as if it wrote none (Hälsocentral Timrå: 0 where 14 were registered).
    certificates = select(Certificate).where(
        Certificate.issued_at >= datetime.combine(first, datetime.min.time(), STOCKHOLM),
        Certificate.issued_at < datetime.combine(end, datetime.min.time(), STOCKHOLM),
    )
    if codes is not None:
        issuers = issuers.where(Issuer.principal_code.in_(codes))
        certificates = certificates.where(Certificate.principal_code.in_(codes))
    if own_unit is not None:
        issuers = issuers.where(Issuer.unit == own_unit)
        certificates = certificates.where(Certificate.unit == own_unit)
    staff = list(session.scalars(issuers))
    month = first
    while month < end:
        last = min(_next(month) - timedelta(days=1), today)
        for issuer in staff:
            row = cell(issuer.unit, issuer.principal_code, month)
            row.certified_staff += int(issuer.certified_on(last))
        month = _next(month)
    means = _mean_costs(session, first, end)
    for cert in session.scalars(certificates):
        issued = _month(cert.issued_at.astimezone(STOCKHOLM).date())
        row = cell(cert.unit, cert.principal_code, issued)
        row.certificates += 1
        row.electronic += int(cert.issued_by is not None)
        row.revoked += int(cert.revoked_at is not None)
        mode = cert.modes[0]
        row.by_mode[mode] = row.by_mode.get(mode, 0) + 1
        if mode != "public_transport":
            trips = 2 if cert.covers_return else 1
            row.expected_ore += trips * means.get((cert.principal_code, issued, _kind(mode)), 0)
    settled = (
        select(
            Booking.care_unit, Booking.principal_code, SettledTrip.day, SettledTrip.allocated_ore
        )
        .join(Booking, Booking.id == SettledTrip.booking_id)
        .where(Booking.care_unit.is_not(None), SettledTrip.day >= first, SettledTrip.day < end)
    )
    if codes is not None:
        settled = settled.where(Booking.principal_code.in_(codes))
    if own_unit is not None:
        settled = settled.where(Booking.care_unit == own_unit)
    for unit, principal, day, cost in session.execute(settled):
        cell(unit or "", principal, _month(day)).settled_ore += cost
    return sorted(table.values(), key=lambda r: (r.unit, r.month))


CSV_COLUMNS = (
    "enhet",
    "huvudman",
    "månad",
    "certifierad_personal",
    "intyg",
    "återkallade",
    "kollektivtrafik",
    "taxi",
    "rullstolsfordon",
    "liggande",
    "andel_taxi",
    "andel_liggande",
    "förväntad_kostnad_kr",
    "avräknad_kostnad_kr",
    "varav_elektroniska",  # last, so a reader of the earlier columns by place still works
)


@dataclass(frozen=True)
class UnitTotal:
    """A unit over the whole period: staff certified in the last month, and the sums."""

    unit: str
    principal_code: str
    certified_staff: int
    certificates: int
    electronic: int
    taxi: int
    stretcher: int
    expected_ore: int
    settled_ore: int

    @property
    def taxi_share(self) -> float:
        return self.taxi / self.certificates if self.certificates else 0.0

    @property
    def stretcher_share(self) -> float:
        return self.stretcher / self.certificates if self.certificates else 0.0


def totals(rows: list[UnitMonth]) -> list[UnitTotal]:
    """Per unit over the rows' months (rows as `follow_up` returns them, oldest first)."""
    units: dict[str, list[UnitMonth]] = defaultdict(list)
    for row in rows:
        units[row.unit].append(row)
    return [
        UnitTotal(
            unit=unit,
            principal_code=months[-1].principal_code,
            certified_staff=months[-1].certified_staff,
            certificates=sum(m.certificates for m in months),
            electronic=sum(m.electronic for m in months),
            taxi=sum(m.by_mode.get("taxi", 0) for m in months),
            stretcher=sum(m.by_mode.get("stretcher_vehicle", 0) for m in months),
            expected_ore=sum(m.expected_ore for m in months),
            settled_ore=sum(m.settled_ore for m in months),
        )
        for unit, months in sorted(units.items())
    ]


def to_csv(rows: list[UnitMonth]) -> str:
    """Semicolon-separated with decimal commas, as Swedish spreadsheet programs read it; a
    unit's name a spreadsheet would read as a formula gets a leading quote (spreadsheet.py)."""
    return swedish_csv(
        CSV_COLUMNS,
        (
            (
                r.unit,
                r.principal_code,
                f"{r.month:%Y-%m}",
                r.certified_staff,
                r.certificates,
                r.revoked,
                *(r.by_mode.get(m, 0) for m in MODES),
                f"{r.taxi_share:.3f}".replace(".", ","),
                f"{r.stretcher_share:.3f}".replace(".", ","),
                kronor_sv(r.expected_ore),
                kronor_sv(r.settled_ore),
                r.electronic,
            )
            for r in rows
        ),
    )
