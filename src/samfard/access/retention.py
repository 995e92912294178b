"""Retention: pseudonymise travellers whose bookings are all finished and older than the
limit their principal set for that kind of data.

The policy is a TOML file (src/samfard/data/retention.toml by default) rather than a table:
it changes once a year by decision of the principals, belongs in review and version control,
and needs no administration screen. Choosing who is due (`due_travellers`) is pure; the
database work (`apply`) pseudonymises in one transaction and writes one audit entry per
traveller, so the log says exactly what was done and when.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard import events
from samfard.access import audit
from samfard.access.actor import SYSTEM
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.db import transaction
from samfard.errors import InputError
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller

log = logging.getLogger(__name__)

KIND_OF_STATUS: dict[str, str] = {
    BookingStatus.COMPLETED.value: "completed_bookings",
    BookingStatus.NO_SHOW.value: "completed_bookings",
    BookingStatus.CANCELLED.value: "cancelled_bookings",
    BookingStatus.DENIED.value: "cancelled_bookings",
}
KINDS = frozenset(KIND_OF_STATUS.values())
PSEUDONYM = "Pseudonymiserad"


@dataclass(frozen=True)
class RetentionPolicy:
    """Months to keep each data kind, by default and per principal code."""

    default: Mapping[str, int]
    principals: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = KINDS - set(self.default)
        if missing:
            raise InputError(
                f"retention [default] must give months for {', '.join(sorted(missing))}",
                field="default",
            )
        tables = {"default": self.default} | {
            f'principals."{code}"': kinds for code, kinds in self.principals.items()
        }
        for where, kinds in tables.items():
            for kind, months in kinds.items():
                if kind not in KINDS:
                    raise InputError(
                        f"retention [{where}]: unknown data kind {kind!r}; expected one of "
                        f"{', '.join(sorted(KINDS))}",
                        field=kind,
                    )
                if not isinstance(months, int) or isinstance(months, bool) or months < 1:
                    raise InputError(
                        f"retention [{where}] {kind}: months must be a whole number >= 1, "
                        f"got {months!r}",
                        field=kind,
                    )

    def months(self, principal_code: str, kind: str) -> int:
        own = self.principals.get(principal_code, {})
        return own.get(kind, self.default[kind])

    @classmethod
    def from_toml(cls, text: str) -> RetentionPolicy:
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InputError(f"retention policy is not valid TOML: {error}") from None
        return cls(default=raw.get("default", {}), principals=raw.get("principals", {}))

    @classmethod
    def load(cls, path: Path | None = None) -> RetentionPolicy:
        """The file given, or the policy shipped in samfard/data/retention.toml."""
        if path is None:
            return cls.from_toml(
                resources.files("samfard.data").joinpath("retention.toml").read_text("utf-8")
            )
        return cls.from_toml(path.read_text("utf-8"))


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, clamped to the month's end (31 March - 1 -> 28 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


@dataclass(frozen=True)
class BookingFact:
    """What retention needs to know of a booking."""

    traveller_id: int
    principal_code: str
    status: str
    service_date: date


def due_travellers(facts: Iterable[BookingFact], policy: RetentionPolicy, today: date) -> set[int]:
    """Travellers all of whose bookings are finished and past their principal's limit.

    One booking still open, or still inside its limit, keeps the traveller as they are: the
    person is evidently still travelling, and their bookings must stay readable.
    """
    due: dict[int, bool] = {}
    for fact in facts:
        kind = KIND_OF_STATUS.get(fact.status)
        expired = kind is not None and fact.service_date < months_before(
            today, policy.months(fact.principal_code, kind)
        )
        due[fact.traveller_id] = due.get(fact.traveller_id, True) and expired
    return {traveller_id for traveller_id, is_due in due.items() if is_due}


def coarse(value: float) -> float:
    """A coordinate kept after retention: about one kilometre, the village, not the house."""
    return round(value, 2)


def pseudonymise(traveller: Traveller, bookings: Iterable[Booking], *, now: datetime) -> None:
    """Replace name and number, coarsen the address; keep what statistics need (birth
    year, municipality, aids) so reports over the years still add up."""
    traveller.first_name = PSEUDONYM
    traveller.last_name = f"T{traveller.id}"
    traveller.personal_number = f"X{traveller.id:011d}"
    traveller.birth_date = date(traveller.birth_date.year, 1, 1)
    traveller.street = PSEUDONYM
    traveller.postal_code = traveller.postal_code[:3] + "00"
    traveller.lat, traveller.lon = coarse(traveller.lat), coarse(traveller.lon)
    traveller.phone = None
    traveller.driver_notes = None
    traveller.pseudonymised_at = now
    traveller.updated_at = now
    for booking in bookings:
        booking.message_to_driver = None
        for leg in booking.legs:
            if leg.origin_place_id is None:
                leg.origin_address = PSEUDONYM
            if leg.destination_place_id is None:
                leg.destination_address = PSEUDONYM
            leg.origin_lat, leg.origin_lon = coarse(leg.origin_lat), coarse(leg.origin_lon)
            leg.destination_lat = coarse(leg.destination_lat)
            leg.destination_lon = coarse(leg.destination_lon)


@dataclass(frozen=True)
class RetentionReport:
    today: date
    dry_run: bool
    traveller_ids: tuple[int, ...]
    bookings: int


def apply(
    *, session: Session, policy: RetentionPolicy, now: datetime, dry_run: bool = False
) -> RetentionReport:
    """Pseudonymise every due traveller not yet pseudonymised; audit each one."""
    today = now.astimezone(STOCKHOLM).date()
    with transaction(session):
        rows = session.execute(
            select(
                Booking.traveller_id, Booking.principal_code, Booking.status, Booking.service_date
            )
            .join(Traveller, Traveller.id == Booking.traveller_id)
            .where(Traveller.pseudonymised_at.is_(None))
        )
        facts = [BookingFact(*row) for row in rows]
        due = sorted(due_travellers(facts, policy, today))
        booking_count = sum(1 for fact in facts if fact.traveller_id in due)
        if not dry_run:
            for traveller_id in due:
                traveller = session.get_one(Traveller, traveller_id)
                bookings = list(
                    session.scalars(select(Booking).where(Booking.traveller_id == traveller_id))
                )
                pseudonymise(traveller, bookings, now=now)
                events.publish(
                    session,
                    events.TravellerPseudonymised(
                        actor=SYSTEM,
                        at=now,
                        traveller_id=traveller_id,
                        booking_ids=tuple(b.id for b in bookings),
                    ),
                )
                audit.record(
                    session,
                    SYSTEM,
                    traveller_id=traveller_id,
                    record_type="traveller",
                    record_id=traveller_id,
                    action="pseudonymise",
                    purpose=f"retention: all {len(bookings)} bookings past the limit",
                    at=now,
                )
                log.info("retention pseudonymised traveller %s", traveller_id)
    return RetentionReport(
        today=today, dry_run=dry_run, traveller_ids=tuple(due), bookings=booking_count
    )
