"""Use cases of the course: read it, start a quiz, hand it in, see who is certified.

A pass certifies the person as an issuer (intygsutfärdare) of their care unit for
CERTIFICATION_YEARS: the issuer row in the register (travellers.models.Issuer) is created
or renewed, and the assessment reads it as before. Every attempt is stored and written to
the audit trail (who, when, which attempt), since a certification is what lets a person
issue certificates that spend the region's money.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.models import User
from samfard.course.bank import Course, build_course
from samfard.course.models import CourseAttempt
from samfard.course.quiz import Graded, certified_until, draw, grade
from samfard.course.words import QUIZ_SIZE
from samfard.dates_sv import date_sv
from samfard.db import transaction
from samfard.errors import Conflict, Forbidden, InputError, NotFound, TooManyRequests
from samfard.geo.models import Place
from samfard.rules.facts import Service
from samfard.rules.loader import RulebookSet, shipped_rulebooks
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Issuer

# The HSA catalogue is not connected: an issuer the course creates gets this and the login.
PLACEHOLDER_HSA = "SAMFARD-"
EXPIRY_WARNING_DAYS = 90
# After a failed quiz the next result waits this long (docs/course.md says why 24 hours):
# with a new quiz at once and the answers on the result page, the exam was passed by trial
# and error in a minute.
RETRY_WAIT = timedelta(hours=24)


class RetryTooSoon(TooManyRequests):
    """A quiz started or handed in within RETRY_WAIT of a failed one; says when it may be."""

    title = "Too soon after a failed quiz"

    def __init__(self, retry_at: datetime) -> None:
        local = retry_at.astimezone(STOCKHOLM)
        super().__init__(
            f"you failed a course quiz less than {RETRY_WAIT.total_seconds() / 3600:.0f} "
            f"hours ago; the next quiz can be taken from {retry_at.isoformat()}",
            field="attempt",
        )
        self.retry_at = retry_at
        self.detail_sv = (
            f"Du kan göra provet igen tidigast {date_sv(local, 'day')} kl. {local:%H:%M}, "
            f"{RETRY_WAIT.total_seconds() / 3600:.0f} timmar efter det senaste provet som inte "
            "blev godkänt. Läs under tiden kursens delar om frågorna du svarade fel på."
        )

    def extra(self) -> dict[str, str]:
        return super().extra() | {"retry_at": self.retry_at.isoformat()}


def retry_at(
    session: Session, actor: Actor, now: datetime, *, besides: int | None = None
) -> datetime | None:
    """When the actor may next start or hand in a quiz, if a failed one (other than
    `besides`) was handed in less than RETRY_WAIT ago; else None."""
    statement = select(CourseAttempt.finished_at).where(
        CourseAttempt.username == actor.username,
        CourseAttempt.passed.is_(False),
        CourseAttempt.finished_at > now - RETRY_WAIT,
    )
    if besides is not None:
        statement = statement.where(CourseAttempt.id != besides)
    last = session.scalar(statement.order_by(CourseAttempt.finished_at.desc()).limit(1))
    return None if last is None else last + RETRY_WAIT


def course_principal(actor: Actor, principal: str | None, books: RulebookSet) -> str:
    """The region whose rules the actor learns: the one asked for, else the actor's only
    region with sjukresa rules."""
    if principal is not None:
        actor.require_principal(principal)
        if books.find(principal, Service.SJUKRESA) is None:
            raise InputError(f"principal {principal} has no sjukresa rules", field="principal")
        return principal
    mine = [
        b.principal
        for b in books.books
        if b.service is Service.SJUKRESA and actor.covers_principal(b.principal)
    ]
    if len(mine) != 1:
        raise InputError(
            "choose the region whose course to take: " + ", ".join(sorted(mine)),
            field="principal",
        )
    return mine[0]


def course_regions(actor: Actor, rulebooks: RulebookSet | None = None) -> list[tuple[str, str]]:
    """The regions whose course the actor may take (code, name), by code."""
    books = rulebooks or shipped_rulebooks()
    return sorted(
        (b.principal, b.principal_name)
        for b in books.books
        if b.service is Service.SJUKRESA and actor.covers_principal(b.principal)
    )


def place_names(session: Session) -> dict[str, str]:
    return {row.key: row.name for row in session.execute(select(Place.key, Place.name))}


def current_course(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    principal: str | None = None,
    rulebooks: RulebookSet | None = None,
) -> Course:
    """The course of the actor's region, from the rulebook version in force today."""
    books = rulebooks or shipped_rulebooks()
    code = course_principal(actor, principal, books)
    book = books.get(code, Service.SJUKRESA)
    return build_course(book, now.astimezone(STOCKHOLM).date(), place_names(session))


def attempt_course(
    *, session: Session, attempt: CourseAttempt, rulebooks: RulebookSet | None = None
) -> Course:
    """The course an attempt was drawn from (its rulebook version, not today's)."""
    books = rulebooks or shipped_rulebooks()
    book = books.get(attempt.principal_code, Service.SJUKRESA)
    return build_course(book, attempt.rulebook_valid_from, place_names(session))


def start_attempt(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    principal: str | None = None,
    seed: int | None = None,
    rulebooks: RulebookSet | None = None,
) -> tuple[CourseAttempt, Course]:
    """Draw a quiz (QUIZ_SIZE questions, seeded) and store it as an open attempt; not
    within RETRY_WAIT of a failed one (RetryTooSoon)."""
    books = rulebooks or shipped_rulebooks()
    wait = retry_at(session, actor, now)
    if wait is not None:
        raise RetryTooSoon(wait)
    course = current_course(
        session=session, actor=actor, now=now, principal=principal, rulebooks=books
    )
    chosen_seed = secrets.randbelow(2**31) if seed is None else seed
    questions = draw(course, seed=chosen_seed, size=QUIZ_SIZE)
    with transaction(session):
        attempt = CourseAttempt(
            user_id=actor.user_id,
            username=actor.username,
            care_unit=actor.care_unit,
            principal_code=course.principal,
            rulebook_file=course.file,
            rulebook_valid_from=course.valid_from,
            seed=chosen_seed,
            question_ids=list(questions),
            answers=None,
            correct=None,
            total=len(questions),
            passed=None,
            started_at=now,
            finished_at=None,
        )
        session.add(attempt)
        session.flush()
        _audit(session, actor, attempt, action="create", purpose="start course quiz", at=now)
    return attempt, course


@dataclass(frozen=True)
class Result:
    attempt: CourseAttempt
    graded: Graded
    course: Course
    issuer: Issuer | None  # the certified issuer after a pass


def load_attempt(*, session: Session, actor: Actor, attempt_id: int) -> CourseAttempt:
    """An attempt of the actor's own; anyone else's answers 404 like a missing one."""
    attempt = session.get(CourseAttempt, attempt_id)
    if attempt is None or attempt.username != actor.username:
        raise NotFound(f"no course attempt {attempt_id} of yours", field="attempt_id")
    return attempt


def submit_attempt(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    attempt_id: int,
    answers: dict[str, int],
    rulebooks: RulebookSet | None = None,
) -> Result:
    """Grade the answers; a pass certifies the actor at their care unit for two years.
    Not within RETRY_WAIT of another failed attempt: quizzes opened side by side would
    otherwise be handed in one after another, each failure showing what was wrong."""
    books = rulebooks or shipped_rulebooks()
    with transaction(session):
        attempt = load_attempt(session=session, actor=actor, attempt_id=attempt_id)
        if attempt.finished_at is not None:
            raise Conflict(
                f"course attempt {attempt_id} was handed in already; start a new one",
                field="attempt_id",
            )
        wait = retry_at(session, actor, now, besides=attempt.id)
        if wait is not None:
            raise RetryTooSoon(wait)
        unknown = sorted(set(answers) - set(attempt.question_ids))
        if unknown:
            raise InputError(
                f"answers to questions not in this quiz: {', '.join(unknown)}", field="answers"
            )
        course = attempt_course(session=session, attempt=attempt, rulebooks=books)
        graded = grade(course, attempt.question_ids, answers)
        attempt.answers = dict(answers)
        attempt.correct = graded.correct
        attempt.passed = graded.passed
        attempt.finished_at = now
        issuer = _certify(session, actor, attempt, now) if graded.passed else None
        _audit(session, actor, attempt, action="update", purpose="hand in course quiz", at=now)
    return Result(attempt, graded, course, issuer)


def _certify(session: Session, actor: Actor, attempt: CourseAttempt, now: datetime) -> Issuer:
    if not actor.care_unit:
        raise Forbidden(
            "only an account of a care unit can be certified as an issuer; ask your "
            "administrator to set your care unit",
            field="care_unit",
        )
    today = now.astimezone(STOCKHOLM).date()
    issuer = issuer_of(session, actor)
    if issuer is None:
        user = session.get(User, actor.user_id) if actor.user_id is not None else None
        issuer = Issuer(
            # The HSA catalogue is not connected: a placeholder id an administrator replaces.
            hsa_id=f"{PLACEHOLDER_HSA}{actor.username}",
            name=actor.username if user is None else user.display_name,
            unit=actor.care_unit,
            principal_code=attempt.principal_code,
            username=actor.username,
        )
        session.add(issuer)
    issuer.unit = actor.care_unit
    issuer.principal_code = attempt.principal_code
    # The first pass stays the start: certificates issued under the earlier certification
    # remain issued by a certified issuer (rules/issuers.py checks the day of issue).
    first = issuer.course_passed_on
    issuer.course_passed_on = today if first is None else min(first, today)
    issuer.certified_until = certified_until(today)
    return issuer


def issuer_of(session: Session, actor: Actor) -> Issuer | None:
    """The issuer row of the signed-in person, if they ever passed the course."""
    return session.scalar(select(Issuer).where(Issuer.username == actor.username))


def _audit(
    session: Session,
    actor: Actor,
    attempt: CourseAttempt,
    *,
    action: str,
    purpose: str,
    at: datetime,
) -> None:
    session.flush()
    audit.record(
        session,
        actor,
        traveller_id=None,
        record_type="course_attempt",
        record_id=attempt.id,
        action=action,
        purpose=purpose,
        at=at,
    )


def attempts_of(*, session: Session, actor: Actor) -> list[CourseAttempt]:
    statement = select(CourseAttempt).where(CourseAttempt.username == actor.username)
    return list(session.scalars(statement.order_by(CourseAttempt.started_at.desc())))


@dataclass(frozen=True)
class Expiring:
    unit: str
    principal_code: str
    name: str
    hsa_id: str
    certified_until: date
    days_left: int  # negative: lapsed that many days ago


def expiring(
    *, session: Session, actor: Actor, now: datetime, within_days: int = EXPIRY_WARNING_DAYS
) -> list[Expiring]:
    """Certifications that lapse within `within_days` or lapsed in the last year, per unit,
    for the actor's principals (a care unit's staff: their own unit only)."""
    today = now.astimezone(STOCKHOLM).date()
    statement = select(Issuer).where(
        Issuer.certified_until.is_not(None),
        Issuer.certified_until <= today + timedelta(days=within_days),
        Issuer.certified_until >= today - timedelta(days=365),
    )
    if not actor.owns_everything:
        statement = statement.where(Issuer.principal_code.in_(sorted(actor.principal_codes)))
    if actor.care_unit:
        statement = statement.where(Issuer.unit == actor.care_unit)
    rows = session.scalars(statement.order_by(Issuer.unit, Issuer.certified_until))
    return [
        Expiring(
            unit=i.unit,
            principal_code=i.principal_code,
            name=i.name,
            hsa_id=i.hsa_id,
            certified_until=i.certified_until,
            days_left=(i.certified_until - today).days,
        )
        for i in rows
        if i.certified_until is not None
    ]
