"""Use cases of deviations: report one, handle it step by step, read them in scope.

The workflow (docs/quality.md): received → investigating (the carrier is asked and must
answer within CARRIER_ANSWER_DAYS) → decided (upheld: the carrier's contract's penalty is
charged; not upheld) → closed. Every step is an event with who, when and a note. A
serious or critical patient-safety deviation is flagged to the principal's staff at once
(an inbox message to each), so it reaches them the same day.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, selectinload

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.models import User
from samfard.access.permissions import Permission, Role
from samfard.costs.penalties import PenaltyCase, charge
from samfard.dates_sv import date_sv
from samfard.db import transaction
from samfard.errors import Conflict, Forbidden, InputError, InvalidTransition
from samfard.notify.service import enqueue_for_user
from samfard.quality.models import Deviation, DeviationEvent
from samfard.quality.schemas import (
    SERIOUS,
    Action,
    DeviationCreate,
    DeviationStatus,
    DeviationStep,
    Outcome,
    Severity,
)
from samfard.quality.scope import carrier_answers, require_visible, visible_condition
from samfard.quality.trips import booked_trip, settled_trip
from samfard.quality.words import KIND_SV, SEVERITY_SV
from samfard.timeutil import STOCKHOLM

CARRIER_ANSWER_DAYS = 10
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# A report a few minutes ahead of the server's clock is the reporter's clock, not a guess.
REPORT_AHEAD = timedelta(minutes=5)
ALERTED_ROLES = frozenset({Role.PRINCIPAL_ADMIN, Role.OPERATOR, Role.ASSESSOR})
S = DeviationStatus
# Which step may follow which status, and what status it leads to (None: unchanged).
STEPS: dict[Action, tuple[frozenset[DeviationStatus], DeviationStatus | None]] = {
    Action.INVESTIGATE: (frozenset({S.RECEIVED}), S.INVESTIGATING),
    Action.ANSWER: (frozenset({S.INVESTIGATING}), None),
    Action.DECIDE: (frozenset({S.RECEIVED, S.INVESTIGATING}), S.DECIDED),
    Action.CLOSE: (frozenset({S.DECIDED}), S.CLOSED),
    Action.COMMENT: (frozenset({S.RECEIVED, S.INVESTIGATING, S.DECIDED}), None),
}


def report_deviation(
    *, session: Session, data: DeviationCreate, actor: Actor, now: datetime
) -> Deviation:
    """Store a reported deviation about a trip in one transaction (with its first event,
    the audit entry and, if serious, the principal's alerts)."""
    actor.require(Permission.DEVIATIONS_REPORT)
    with transaction(session):
        if data.booking_id is not None:
            trip = booked_trip(session, actor, data.booking_id)
        else:
            trip = settled_trip(session, actor, data.trip_key or "")
        occurred = data.occurred_at or trip.likely_at or now
        if occurred > now + REPORT_AHEAD:
            raise _not_yet(data, occurred)
        own = _reported_before(session, actor, trip.booking_id, trip.trip_key, data)
        if own is not None:
            raise DuplicateReport(own)
        carrier = trip.carrier
        deviation = Deviation(
            reference="AV-" + "".join(secrets.choice(ALPHABET) for _ in range(6)),
            booking_id=trip.booking_id,
            trip_key=trip.trip_key,
            traveller_id=trip.traveller_id,
            principal_code=trip.principal_code,
            service=trip.service,
            carrier_id=carrier.carrier_id if carrier else None,
            carrier_name=carrier.name if carrier else None,
            vehicle_type=carrier.vehicle_type if carrier else None,
            day=trip.day,
            occurred_at=occurred,
            kind=data.kind.value,
            severity=data.severity.value,
            description=data.description.strip(),
            reporter_role=actor.role.value,
            reported_by=actor.username,
            reporter_user_id=actor.user_id,
            reported_at=now,
            status=S.RECEIVED.value,
            penalty_ore=0,
        )
        deviation.events = [_event(0, actor, now, "report", None, S.RECEIVED, None)]
        session.add(deviation)
        session.flush()
        _audit(session, actor, deviation, "create", "report deviation", now)
        _alert_if_serious(session, deviation, now)
    return deviation


def penalty_case(
    deviation: Deviation, *, kind: str | None = None, severity: str | None = None
) -> PenaltyCase:
    """What the carrier's contract is asked about an upheld deviation: as it stands, or as
    a decision that also reclassifies it (`kind`, `severity`) would leave it."""
    return PenaltyCase(
        deviation_id=deviation.id,
        deviation_ref=deviation.reference,
        carrier=deviation.carrier_name or "",
        vehicle_type=deviation.vehicle_type,
        principal_code=deviation.principal_code,
        day=deviation.day,
        kind=kind or deviation.kind,
        severity=severity or deviation.severity,
    )


class DuplicateReport(Conflict):
    """The same account reported this already: the same trip, kind and description (a form
    sent three times stored three deviations, counted thrice per 1 000 trips, each one a
    penalty if upheld). The answer names the earlier report. Another report of the same
    kind about the trip with other words is stored (the return leg may be late too);
    /kvalitet asks before it (`same_trip_and_kind`)."""

    title = "Already reported"

    def __init__(self, existing: Deviation) -> None:
        super().__init__(
            f"you reported this {existing.kind} deviation about this trip already, in the "
            f"same words: {existing.reference} (id {existing.id}, {existing.status})",
            field="kind",
        )
        self.existing = existing
        # Read now: the API's answer is written after the transaction rolled back and the
        # session closed, where reading the record raised (a 500; walk-through of the
        # seventh session of 2026-12-06).
        self.existing_id, self.existing_reference = existing.id, existing.reference
        self.detail_sv = f"Du har redan rapporterat avvikelsen om resan: {existing.reference}."

    def extra(self) -> dict[str, str]:
        return super().extra() | {
            "existing_deviation_id": str(self.existing_id),
            "existing_reference": self.existing_reference,
        }


def _trip_condition(booking_id: int | None, trip_key: str | None) -> ColumnElement[bool]:
    if booking_id is not None:
        return Deviation.booking_id == booking_id
    return Deviation.trip_key == trip_key


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _reported_before(
    session: Session,
    actor: Actor,
    booking_id: int | None,
    trip_key: str | None,
    data: DeviationCreate,
) -> Deviation | None:
    """The actor's own earlier report of this trip with the same kind and description
    (spacing and case aside), whatever its status."""
    same = session.scalars(
        select(Deviation)
        .where(
            _trip_condition(booking_id, trip_key),
            Deviation.kind == data.kind.value,
            Deviation.reported_by == actor.username,
            Deviation.reporter_role == actor.role.value,
        )
        .order_by(Deviation.id)
    )
    said = _words(data.description)
    return next((d for d in same if _words(d.description) == said), None)


def same_trip_and_kind(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    booking_id: int | None,
    trip_key: str | None = None,
    kind: str,
) -> list[Deviation]:
    """The deviations of this kind about this trip that the actor may read (each audited
    as read): what /kvalitet warns of before a second report of the same event."""
    actor.require(Permission.DEVIATIONS_REPORT)
    rows = list(
        session.scalars(
            select(Deviation)
            .where(
                _trip_condition(booking_id, trip_key),
                Deviation.kind == kind,
                visible_condition(actor),
            )
            .order_by(Deviation.id)
        )
    )
    if rows:
        with transaction(session):
            for deviation in rows:
                _audit(session, actor, deviation, "read", "duplicate report check", now)
    return rows


def _not_yet(data: DeviationCreate, occurred: datetime) -> InputError:
    """The refusal of a deviation dated after now: the time given, or, when none was
    given, the trip's own pickup, which has not come yet (the report names the trip, so
    that is the field to point at)."""
    if data.occurred_at is not None:
        error = InputError(
            "occurred_at is in the future; report what has happened", field="occurred_at"
        )
        error.detail_sv = "Tidpunkten har inte kommit än: rapportera det som har hänt."
        return error
    at = occurred.astimezone(STOCKHOLM)
    error = InputError(
        f"the trip is picked up at {at.isoformat(timespec='minutes')}, still to come: report "
        "a deviation once it has happened, or give occurred_at",
        field="booking_id" if data.booking_id is not None else "trip_key",
    )
    error.detail_sv = (
        f"Resan hämtas {date_sv(at, 'long')} kl. {at:%H:%M} och har inte gjorts än: rapportera "
        "avvikelsen när den har hänt."
    )
    return error


def _event(
    seq: int,
    actor: Actor,
    now: datetime,
    action: str,
    before: str | None,
    after: DeviationStatus | str,
    note: str | None,
) -> DeviationEvent:
    return DeviationEvent(
        seq=seq,
        at=now,
        actor=actor.username,
        actor_role=actor.role.value,
        action=action,
        from_status=before,
        to_status=str(after),
        note=note,
    )


def _audit(
    session: Session, actor: Actor, deviation: Deviation, action: str, purpose: str, now: datetime
) -> None:
    audit.record(
        session,
        actor,
        traveller_id=deviation.traveller_id,
        record_type="deviation",
        record_id=deviation.id,
        action=action,
        purpose=purpose,
        at=now,
    )


def _alert_if_serious(session: Session, deviation: Deviation, now: datetime) -> None:
    """A serious patient-safety deviation goes to every active staff account of the
    principal (administrators, operators, assessors) the moment it is known. The message
    names the deviation and trip by reference, never the traveller."""
    if deviation.principal_alerted_at is not None or Severity(deviation.severity) not in SERIOUS:
        return
    kind = KIND_SV.get(deviation.kind, deviation.kind).lower()
    severity = SEVERITY_SV.get(deviation.severity, deviation.severity).lower()
    text = (
        f"Allvarlig avvikelse {deviation.reference} ({kind}, {severity}) på resa "
        f"{deviation.day.isoformat()}: utred i dag."
    )
    for user in session.scalars(select(User).where(User.active.is_(True))):
        codes = set(user.principal_codes or [])
        if Role(user.role) in ALERTED_ROLES and deviation.principal_code in codes:
            enqueue_for_user(
                session,
                user_id=user.id,
                username=user.username,
                kind="deviation_alert",
                text=text,
                now=now,
                principal_code=deviation.principal_code,
            )
    deviation.principal_alerted_at = now


def load_deviation(session: Session, deviation_id: int) -> Deviation | None:
    return session.get(Deviation, deviation_id, options=[selectinload(Deviation.events)])


def get_deviation(*, session: Session, deviation_id: int, actor: Actor, now: datetime) -> Deviation:
    actor.require(Permission.DEVIATIONS_REPORT)
    with transaction(session):
        deviation = require_visible(actor, load_deviation(session, deviation_id), deviation_id)
        _audit(session, actor, deviation, "read", "deviation card", now)
    return deviation


@dataclass(frozen=True)
class DeviationFilter:
    status: str | None = None
    principal: str | None = None
    severity: str | None = None
    booking_id: int | None = None
    answer_overdue_at: datetime | None = None  # only those whose carrier missed the deadline


def answer_overdue(deviation: Deviation, now: datetime) -> bool:
    """The carrier missed its answer deadline: still under investigation, no answer, and
    the deadline passed. Computed, not stored, so it holds at any clock without a job."""
    return (
        deviation.status == DeviationStatus.INVESTIGATING.value
        and deviation.carrier_answered_at is None
        and deviation.carrier_due_at is not None
        and deviation.carrier_due_at < now
    )


def _filtered(statement: Select[Deviation], filters: DeviationFilter) -> Select[Deviation]:
    for column, value in (
        (Deviation.status, filters.status),
        (Deviation.principal_code, filters.principal),
        (Deviation.severity, filters.severity),
        (Deviation.booking_id, filters.booking_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if filters.answer_overdue_at is not None:
        statement = statement.where(
            Deviation.status == DeviationStatus.INVESTIGATING.value,
            Deviation.carrier_answered_at.is_(None),
            Deviation.carrier_due_at < filters.answer_overdue_at,
        )
    return statement


def list_deviations(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    filters: DeviationFilter,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Deviation], int]:
    """Deviations in the actor's scope, open ones and the most serious first."""
    actor.require(Permission.DEVIATIONS_REPORT)
    statement = _filtered(select(Deviation).where(visible_condition(actor)), filters)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    with transaction(session):
        rows = list(
            session.scalars(
                statement.options(selectinload(Deviation.events))
                .order_by(Deviation.reported_at.desc(), Deviation.id.desc())
                .limit(limit)
                .offset(offset)
            )
        )
        for deviation in rows:
            _audit(session, actor, deviation, "list", "deviation list", now)
    return rows, total


def count_overdue(*, session: Session, actor: Actor, now: datetime) -> int:
    """How many deviations in the actor's scope wait for a carrier's answer past its
    deadline (the flag on /kvalitet; a count reads no person, so nothing is audited)."""
    actor.require(Permission.DEVIATIONS_REPORT)
    statement = _filtered(
        select(Deviation).where(visible_condition(actor)), DeviationFilter(answer_overdue_at=now)
    )
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def take_step(
    *, session: Session, deviation_id: int, data: DeviationStep, actor: Actor, now: datetime
) -> Deviation:
    """One step of the handling, in one transaction: checked against the status, the
    actor's part (the centre handles, the carrier answers) and the version read."""
    actor.require(Permission.DEVIATIONS_REPORT)
    with transaction(session):
        deviation = require_visible(actor, load_deviation(session, deviation_id), deviation_id)
        if data.version is not None and data.version != deviation.version:
            raise Conflict(
                f"deviation {deviation.reference} was changed by someone else (version "
                f"{deviation.version}, you sent {data.version}); reload it and try again",
                field="version",
            )
        _check_part(actor, deviation, data.action)
        allowed, after = STEPS[data.action]
        before = S(deviation.status)
        if before not in allowed:
            raise InvalidTransition(
                f"deviation {deviation.reference} is {before.value}; "
                f"'{data.action.value}' needs it to be {' or '.join(sorted(allowed))}",
                field="action",
            )
        _check_reclassification(actor, deviation, data)
        note = (data.note or "").strip() or None
        _apply(session, deviation, data, actor, now, note)
        if after is not None:
            deviation.status = after.value
        seq = len(deviation.events)
        action = data.action.value
        deviation.events.append(_event(seq, actor, now, action, before, deviation.status, note))
        _alert_if_serious(session, deviation, now)
        _audit(session, actor, deviation, "update", f"deviation {data.action.value}", now)
        session.flush()
    return deviation


def _check_part(actor: Actor, deviation: Deviation, action: Action) -> None:
    handles = actor.has(Permission.DEVIATIONS_HANDLE)
    if action is Action.ANSWER:
        if not (handles or carrier_answers(actor, deviation)):
            raise Forbidden(
                "only the carrier (or the centre on its behalf) answers", field="action"
            )
        return
    if not handles:
        raise Forbidden(
            f"your role {actor.role.value} lacks the permission deviations:handle",
            field="action",
        )


def _check_reclassification(actor: Actor, deviation: Deviation, data: DeviationStep) -> None:
    """Kind and severity are the centre's to change, and only until the decision: an
    upheld decision charges the contract's penalty for the kind and severity it was taken
    on, so a later change would leave the deviation saying one thing and the carrier's
    invoice basis another. A step that names the same kind and severity changes nothing
    and passes."""
    changed = [
        name
        for name, asked, current in (
            ("kind", data.kind, deviation.kind),
            ("severity", data.severity, deviation.severity),
        )
        if asked is not None and asked.value != current
    ]
    if not changed:
        return
    if not actor.has(Permission.DEVIATIONS_HANDLE):
        raise Forbidden(
            f"only the centre reclassifies a deviation; your role {actor.role.value} "
            f"may not change its {' and '.join(changed)}",
            field=changed[0],
        )
    if deviation.outcome is not None:
        raise Conflict(
            f"deviation {deviation.reference} was decided {deviation.outcome} as "
            f"{deviation.kind}, {deviation.severity}, and its penalty follows that; kind and "
            "severity are set at the decision at the latest and cannot change after it",
            field=changed[0],
        )


def _apply(
    session: Session,
    deviation: Deviation,
    data: DeviationStep,
    actor: Actor,
    now: datetime,
    note: str | None,
) -> None:
    """What a step changes besides the status."""
    if data.kind is not None:
        deviation.kind = data.kind.value
    if data.severity is not None:
        deviation.severity = data.severity.value
    if data.action is Action.INVESTIGATE and deviation.carrier_name:
        deviation.carrier_due_at = now + timedelta(days=CARRIER_ANSWER_DAYS)
    elif data.action is Action.ANSWER:
        if note is None:
            raise InputError("the carrier's answer needs a note", field="note")
        deviation.carrier_answer = note
        deviation.carrier_answered_at = now
    elif data.action is Action.DECIDE:
        if data.outcome is None or note is None:
            raise InputError("a decision needs an outcome and a note saying why", field="outcome")
        deviation.outcome = data.outcome.value
        if data.outcome is Outcome.UPHELD and deviation.carrier_name:
            penalty = charge(session, penalty_case(deviation), by=actor.username, now=now)
            deviation.penalty_ore = penalty.amount_ore if penalty else 0
    elif data.action is Action.CLOSE:
        deviation.closed_at = now
