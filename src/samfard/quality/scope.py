"""Who sees which deviations, and who may report about which trip (docs/security.md).

* Centre staff (operator, assessor) and principal administrators: the deviations of their
  principals (`*`: all).
* A carrier's dispatcher: the deviations against their carrier, to answer them.
* A driver and care staff: the deviations they reported themselves.
* A traveller: the deviations about their own trips.

Out of scope answers like a deviation that does not exist (404), so ids cannot be probed.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.booking.entitlement import check_record_scope
from samfard.booking.models import Booking
from samfard.errors import DomainError, NotFound
from samfard.quality.models import Deviation

OWN_REPORTS = frozenset({Role.DRIVER, Role.CARE_ISSUER})


def visible_condition(actor: Actor) -> ColumnElement[bool]:
    """A condition on `Deviation` true for the deviations the actor may read."""
    if actor.role is Role.TRAVELLER:
        return Deviation.traveller_id == actor.traveller_id if actor.traveller_id else false()
    if actor.role is Role.CARRIER_DISPATCHER:
        return Deviation.carrier_id == actor.carrier_id if actor.carrier_id else false()
    if actor.role in OWN_REPORTS:
        return Deviation.reporter_user_id == actor.user_id if actor.user_id else false()
    if actor.owns_everything:
        return true()
    codes = sorted(actor.principal_codes)
    return Deviation.principal_code.in_(codes) if codes else false()


def can_see(actor: Actor, deviation: Deviation) -> bool:
    if actor.role is Role.TRAVELLER:
        return actor.traveller_id is not None and deviation.traveller_id == actor.traveller_id
    if actor.role is Role.CARRIER_DISPATCHER:
        return actor.carrier_id is not None and deviation.carrier_id == actor.carrier_id
    if actor.role in OWN_REPORTS:
        return actor.user_id is not None and deviation.reporter_user_id == actor.user_id
    return actor.covers_principal(deviation.principal_code)


def require_visible(actor: Actor, deviation: Deviation | None, deviation_id: int) -> Deviation:
    if deviation is None or not can_see(actor, deviation):
        raise NotFound(f"no deviation with id {deviation_id}", field="deviation_id")
    return deviation


def require_reportable(
    actor: Actor, booking: Booking | None, booking_id: int, *, carrier_id: int | None
) -> Booking:
    """The trip a deviation is reported about must be one the reporter has to do with:
    their own (traveller), their unit's or principals' (staff), their carrier's run
    (carrier, driver). Anything else answers as an unknown booking."""
    unknown = NotFound(f"no booking with id {booking_id}", field="booking_id")
    if booking is None:
        raise unknown
    if actor.role in (Role.CARRIER_DISPATCHER, Role.DRIVER):
        if actor.carrier_id is None or carrier_id != actor.carrier_id:
            raise unknown
        return booking
    if actor.role is Role.PRINCIPAL_ADMIN:
        if not actor.covers_principal(booking.principal_code):
            raise unknown
        return booking
    try:
        check_record_scope(actor, booking)
    except DomainError as error:
        raise unknown from error
    return booking


def carrier_answers(actor: Actor, deviation: Deviation) -> bool:
    """Whether the actor speaks for the deviation's carrier."""
    return (
        actor.role is Role.CARRIER_DISPATCHER
        and actor.carrier_id is not None
        and actor.carrier_id == deviation.carrier_id
    )
