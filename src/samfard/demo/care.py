"""A year of care-unit work for the demo: staff who take the course (some fail first, some
never do, some let it lapse), and the certificates the certified ones issue and revoke.

Six care units, three in each region, each with four nurses and a profile of its own (a
hospital writes stretcher certificates, a health centre in the west writes taxi, a dialysis
unit writes long taxi certificates), so the follow-up per unit (/enheter) shows differences
to talk about. Every step goes through the real services at its own moment in the past
year: `course.service.start_attempt` and `submit_attempt`, `care.certificates.issue` and
`revoke`, the register's `register_traveller`. Dates are counted back from the demo day, so
the demo is valid on any date; one `random.Random(seed)` draws everything, so a seed gives
the same demo.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.care import certificates
from samfard.care.schemas import CareCertificateCreate, CertificateMode
from samfard.costs.contracts import Contract
from samfard.costs.service import insert_settled
from samfard.costs.stored_contracts import load_contracts
from samfard.course import service as course
from samfard.db import transaction
from samfard.demo.care_trips import book_and_settle
from samfard.demo.names import FIRST_NAMES, LAST_NAMES, STREETS
from samfard.geo.models import Place
from samfard.timeutil import local
from samfard.travellers import service as traveller_service
from samfard.travellers.models import Traveller
from samfard.travellers.personnummer import luhn_check_digit
from samfard.travellers.schemas import Address, TravellerCreate


@dataclass(frozen=True)
class UnitProfile:
    """A unit and the mix of its certificates: weights for bus, taxi, wheelchair, stretcher;
    certificates a certified nurse writes in a week; days a certificate lasts."""

    place_key: str
    principal: str
    weights: tuple[int, int, int, int]
    per_week: float
    period_days: int
    purpose: str = "treatment"  # what the unit's bookings give as the visit's purpose


UNITS = (
    UnitProfile("ostersunds-sjukhus", "23", (20, 45, 15, 20), 1.6, 0),
    UnitProfile("halsocentral-funasdalen", "23", (10, 80, 8, 2), 1.0, 0, "doctor_visit"),
    UnitProfile("ostersunds-sjukhus-dialys", "23", (0, 85, 15, 0), 0.5, 90, "dialysis"),
    UnitProfile("sundsvalls-sjukhus", "22", (25, 40, 15, 20), 1.8, 0),
    UnitProfile("ornskoldsviks-sjukhus", "22", (30, 50, 12, 8), 1.2, 0),
    UnitProfile("halsocentral-kramfors", "22", (45, 45, 8, 2), 0.8, 0, "doctor_visit"),
)
MODES = (
    CertificateMode.PUBLIC_TRANSPORT,
    CertificateMode.TAXI,
    CertificateMode.WHEELCHAIR_VEHICLE,
    CertificateMode.STRETCHER_VEHICLE,
)
NURSES_PER_UNIT = 4
PATIENTS_PER_UNIT = 24
REVOKED_SHARE = 0.05
# How each of a unit's four nurses meets the course, in days before the demo day: a first
# attempt and whether it passes, then a second attempt (None: no second attempt).
PLANS = (
    ((340, True), None),  # certified about a year ago
    ((250, False), (243, True)),  # failed once, passed a week later
    ((690, True), None),  # certified almost two years ago: lapses within 90 days
    ((120, False), None),  # failed and never came back: uncertified
)
LAPSED_PLAN = ((760, True), None)  # certified over two years ago: lapsed a month ago


@dataclass(frozen=True)
class CareDemo:
    units: int
    nurses: int
    certified: int
    attempts: int
    certificates: int
    revoked: int
    logins: dict[str, str]  # username -> password of two nurses to try the pages with
    booked: int = 0  # vehicle trips the nurses booked and that were settled
    settled_trips: int = 0  # their settled legs (with the return)


def _at(day: date, rng: random.Random) -> datetime:
    return local(day, time(rng.randint(8, 15), rng.choice((0, 15, 30, 45))))


def _patient(
    session: Session, rng: random.Random, place: Place, principal: str, now: datetime
) -> int:
    """A synthetic patient near the unit, registered in the region's register."""
    registrar = Actor(
        user_id=None,
        username="demo-care",
        role=Role.OPERATOR,
        principal_codes=frozenset({principal}),
    )
    birth = date(rng.randint(1928, 1975), rng.randint(1, 12), rng.randint(1, 28))
    yymmdd = birth.strftime("%y%m%d")
    serial = rng.randint(0, 99)
    while True:  # the day's demo people may hold the number already: take the next one
        digits = f"9{serial % 100:02d}"
        number = birth.strftime("%Y%m%d") + digits + str(luhn_check_digit(yymmdd + digits))
        if session.scalar(select(Traveller.id).where(Traveller.personal_number == number)) is None:
            break
        serial += 1
    stored = traveller_service.register_traveller(
        session=session,
        actor=registrar,
        now=now,
        synthetic=True,
        data=TravellerCreate(
            personal_number=number,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            address=Address(
                street=f"{rng.choice(STREETS)} {rng.randint(1, 40)}",
                postal_code="800 00",
                city=place.municipality,
                municipality_code=place.municipality_code,
                lat=place.lat + rng.uniform(-0.05, 0.05),
                lon=place.lon + rng.uniform(-0.08, 0.08),
            ),
        ),
    )
    return stored.id


def _quiz(
    session: Session, nurse: Actor, principal: str, now: datetime, seed: int, passes: bool
) -> bool:
    attempt, _ = course.start_attempt(
        session=session, actor=nurse, now=now, principal=principal, seed=seed
    )
    drawn = course.attempt_course(session=session, attempt=attempt)
    answers: dict[str, int] = {}
    for index, question_id in enumerate(attempt.question_ids):
        question = drawn.question(question_id)
        assert question is not None
        wrong = not passes and index % 3 == 0  # 7 of 20 wrong: 65 %
        answers[question_id] = (
            (question.answer + 1) % len(question.options) if wrong else question.answer
        )
    result = course.submit_attempt(
        session=session, actor=nurse, now=now, attempt_id=attempt.id, answers=answers
    )
    return result.graded.passed


def already_loaded(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.username.like("vard-%")).limit(1)) is not None


def load_care_year(
    *, session: Session, day: date, seed: int, scale: float = 1.0
) -> CareDemo | None:
    """Load the year before `day` (None when care demo staff exist already); `scale`
    multiplies the certificates written a week (tests use a fraction)."""
    if already_loaded(session):
        return None
    rng = random.Random(f"care-{seed}")
    places = {p.key: p for p in session.scalars(select(Place))}
    start = day - timedelta(days=365)
    nurses = attempts = issued = revoked = certified = 0
    logins: dict[str, str] = {}
    contracts = load_contracts(session)  # none stored: the bookings are made, not settled
    settled: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], [])
    for number, unit in enumerate(UNITS):
        place = places[unit.place_key]
        patients = [
            session.get_one(
                Traveller, _patient(session, rng, place, unit.principal, _at(start, rng))
            )
            for _ in range(PATIENTS_PER_UNIT)
        ]
        plans = list(PLANS)
        if number % 2 == 1:
            plans[0] = LAPSED_PLAN
        for index, plan in enumerate(plans):
            username = f"vard-{unit.place_key}-{index + 1}"
            password = secrets.token_urlsafe(12) + "-1"
            user = create_user(
                session=session,
                username=username,
                password=password,
                role=Role.CARE_ISSUER,
                now=_at(start - timedelta(days=800), rng),
                display_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} (syntetisk)",
                principal_codes=[unit.principal],
                care_unit=place.name,
            )
            nurses += 1
            if number == 3 and index in (1, 3):
                logins[username] = password
            nurse = Actor(
                user_id=user.id,
                username=username,
                role=Role.CARE_ISSUER,
                principal_codes=frozenset({unit.principal}),
                care_unit=place.name,
            )
            passed_on: date | None = None
            for step in plan:
                if step is None:
                    continue
                days_before, passes = step
                when = day - timedelta(days=days_before)
                attempts += 1
                if _quiz(
                    session, nurse, unit.principal, _at(when, rng), rng.randrange(2**31), passes
                ):
                    passed_on = passed_on or when
            if passed_on is None:
                continue
            certified += 1
            done = _issue_year(
                session,
                rng,
                nurse,
                unit,
                place,
                patients,
                passed_on,
                (start, day),
                scale,
                (contracts, settled),
            )
            issued += done[0]
            revoked += done[1]
    with transaction(session):
        insert_settled(session, *settled)
    booked = len({row["booking_id"] for row in settled[1]})
    return CareDemo(
        len(UNITS),
        nurses,
        certified,
        attempts,
        issued,
        revoked,
        logins,
        booked,
        len(settled[1]),
    )


def _issue_year(
    session: Session,
    rng: random.Random,
    nurse: Actor,
    unit: UnitProfile,
    place: Place,
    patients: list[Traveller],
    passed_on: date,
    period: tuple[date, date],
    scale: float,
    settling: tuple[Sequence[Contract], tuple[list[dict[str, Any]], list[dict[str, Any]]]],
) -> tuple[int, int]:
    """A nurse's certificates, week by week while certified, in the year before `day`; she
    books each vehicle certificate's trip, and the trips of past visits are settled into
    `settling`'s row lists (demo.care_trips)."""
    contracts, settled = settling
    start, day = period
    issued = revoked = 0
    until = course.issuer_of(session, nurse)
    last = min(
        day - timedelta(days=1), until.certified_until if until and until.certified_until else day
    )
    when = max(start, passed_on)
    while when <= last:
        count = sum(1 for _ in range(4) if rng.random() < unit.per_week * scale / 4)
        for _ in range(count):
            at = _at(when, rng)
            visit = when + timedelta(days=rng.randint(1, 14))
            mode = rng.choices(MODES, weights=unit.weights)[0]
            traveller = rng.choice(patients)
            data = CareCertificateCreate(
                traveller_id=traveller.id,
                mode=mode,
                covers_return=rng.random() < 0.9,
                valid_from=when,
                valid_until=when + timedelta(days=unit.period_days) if unit.period_days else visit,
                visit_place=place.key,
                visit_on=None if unit.period_days else visit,
                reason="behöver fordon av medicinska skäl (syntetiskt intyg)",
            )
            if certificates.identical_valid(session, data, unit=nurse.care_unit or ""):
                continue  # drawn twice: the patient has it already, as a nurse would see
            certificate = certificates.issue(session=session, actor=nurse, now=at, data=data)
            issued += 1
            # A need ends while the certificate holds: an expired one cannot be revoked.
            later = min(when + timedelta(days=rng.randint(1, 10)), data.valid_until)
            if rng.random() >= REVOKED_SHARE or later >= day:
                done = book_and_settle(
                    session=session,
                    traveller=traveller,
                    nurse=nurse,
                    mode=mode.value,
                    place=place,
                    visit=visit,
                    with_return=certificate.covers_return,
                    booked_at=at,
                    contracts=contracts,
                    rng=rng,
                    settle_before=day,
                    principal=unit.principal,
                    purpose=unit.purpose,
                )
                settled[0].extend(done[0])
                settled[1].extend(done[1])
            else:
                certificates.revoke(
                    session=session,
                    certificate_id=certificate.id,
                    reason="behovet upphörde (syntetiskt)",
                    actor=nurse,
                    now=_at(later, rng),
                )
                revoked += 1
        when += timedelta(days=7)
    return issued, revoked
