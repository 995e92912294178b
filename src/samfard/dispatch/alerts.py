"""Controller alerts (larm): what the traffic controller must see and acknowledge.

Raised inside the transaction of whatever found the problem (a delay handler, a declined
run, the hand-off deadline check, a re-plan that left a trip unserved), so an alert exists
exactly when the change that caused it was saved. An open alert about the same subject and
kind is not raised twice: the controller sees one line per problem, with its newest text.
Listing and acknowledging are use cases of their own (the /trafik page and the API call
the same functions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.booking.models import Booking
from samfard.db import transaction
from samfard.dispatch.live_models import ControllerAlert
from samfard.errors import Conflict, Forbidden, NotFound


def trip_name(session: Session, booking_id: int, leg_seq: int) -> str:
    """A trip as the controller says it on the phone: its booking number and which leg."""
    reference = session.scalar(select(Booking.reference).where(Booking.id == booking_id))
    return f"Bokning {reference or booking_id} resa {leg_seq + 1}"


# Kinds and their Swedish names on the page.
KINDS_SV: dict[str, str] = {
    "promise_at_risk": "Utlovad tid i fara",
    "promise_broken": "Utlovad tid bruten",
    "late_arrival": "Sen ankomst",
    "overtime": "Passet dras över",
    "past_shift": "Pass slut, körning ej klar",
    "run_declined": "Körning avböjd",
    "offer_overdue": "Körning ej accepterad",
    "unserved": "Resa utan fordon",
    "plan_rejected": "Planen underkänd",
}


@dataclass(frozen=True, slots=True)
class AlertPublic:
    id: int
    kind: str
    kind_sv: str
    service_date: date
    run_id: int | None
    booking_id: int | None
    message: str
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None


def raise_alert(
    session: Session,
    *,
    kind: str,
    day: date,
    subject: str,
    message: str,
    at: datetime,
    run_id: int | None = None,
    booking_id: int | None = None,
) -> ControllerAlert:
    """Add an alert in the caller's transaction, or refresh the open one of the same kind
    and subject (its text and run may have changed since)."""
    if kind not in KINDS_SV:
        raise ValueError(f"unknown alert kind {kind}; add it to KINDS_SV")
    open_one = session.scalar(
        select(ControllerAlert).where(
            ControllerAlert.service_date == day,
            ControllerAlert.kind == kind,
            ControllerAlert.subject == subject,
            ControllerAlert.acknowledged_at.is_(None),
        )
    )
    if open_one is not None:
        open_one.message = message[:500]
        open_one.run_id = run_id
        return open_one
    alert = ControllerAlert(
        kind=kind,
        service_date=day,
        subject=subject,
        run_id=run_id,
        booking_id=booking_id,
        message=message[:500],
        created_at=at,
    )
    session.add(alert)
    return alert


def has_alert(session: Session, *, day: date, subject: str, kinds: frozenset[str]) -> bool:
    """Whether the controller was ever alerted about `subject` with one of `kinds`."""
    found = session.scalar(
        select(ControllerAlert.id).where(
            ControllerAlert.service_date == day,
            ControllerAlert.subject == subject,
            ControllerAlert.kind.in_(sorted(kinds)),
        )
    )
    return found is not None


def _public(alert: ControllerAlert) -> AlertPublic:
    return AlertPublic(
        id=alert.id,
        kind=alert.kind,
        kind_sv=KINDS_SV.get(alert.kind, alert.kind),
        service_date=alert.service_date,
        run_id=alert.run_id,
        booking_id=alert.booking_id,
        message=alert.message,
        created_at=alert.created_at,
        acknowledged_at=alert.acknowledged_at,
        acknowledged_by=alert.acknowledged_by,
    )


def list_alerts(
    *, session: Session, day: date, actor: Actor, include_acknowledged: bool = False
) -> list[AlertPublic]:
    """The day's alerts, newest first; open ones only unless asked for all.

    Alerts name bookings by id and never a traveller, so reading them reads no personal
    data; they concern every principal's trips, so only an all-principal account reads."""
    actor.require(P.PLANS_READ)
    if not actor.owns_everything:
        raise Forbidden(
            "alerts concern every principal's trips; only the traffic controller reads them"
        )
    statement = select(ControllerAlert).where(ControllerAlert.service_date == day)
    if not include_acknowledged:
        statement = statement.where(ControllerAlert.acknowledged_at.is_(None))
    with transaction(session):
        rows = session.scalars(
            statement.order_by(ControllerAlert.created_at.desc(), ControllerAlert.id.desc())
        )
        return [_public(row) for row in rows]


def acknowledge(*, session: Session, alert_id: int, actor: Actor, now: datetime) -> AlertPublic:
    """The controller has seen the alert and acts on it (kvitterat); recorded with who."""
    actor.require(P.PLANS_WRITE)
    if not actor.owns_everything:
        raise Forbidden("only the traffic controller (all principals) acknowledges alerts")
    with transaction(session):
        alert = session.get(ControllerAlert, alert_id)
        if alert is None:
            raise NotFound(f"no alert with id {alert_id}", field="alert_id")
        if alert.acknowledged_at is not None:
            raise Conflict(
                f"alert {alert_id} was acknowledged by {alert.acknowledged_by} already",
                field="alert_id",
            )
        alert.acknowledged_at = now
        alert.acknowledged_by = actor.username
        session.flush()
        return _public(alert)
