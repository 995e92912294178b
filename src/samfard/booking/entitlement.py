"""Who may book what for whom: the actor's scope, and the traveller's permit for the day."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.errors import Forbidden, InputError, NotFound
from samfard.principals.models import Service
from samfard.travellers.models import Traveller

PERMIT_SERVICES = {Service.FARDTJANST.value, Service.RIKSFARDTJANST.value}


def check_actor_scope(
    actor: Actor, *, principal_code: str, traveller_id: int, service: str
) -> None:
    """Default deny: operators within their principals, travellers only for themselves,
    care staff only sjukresor."""
    if actor.role is Role.TRAVELLER:
        if actor.traveller_id != traveller_id:
            raise Forbidden("you can only see and book your own trips", field="traveller_id")
        return
    if actor.role is Role.CARE_ISSUER and service != Service.SJUKRESA.value:
        raise Forbidden("care staff book sjukresor only", field="service")
    actor.require_principal(principal_code)


class ScopedRecord(Protocol):
    """A booking or series: what decides who may see it."""

    id: int
    principal_code: str
    traveller_id: int
    service: str
    care_unit: str | None


def check_record_scope(actor: Actor, record: ScopedRecord, *, kind: str = "booking") -> None:
    """As check_actor_scope, and care staff see only what their own unit booked.

    A stored record outside the actor's scope is answered, word for word, as one that does
    not exist (`no booking with id 15`): a 403 naming its principal, its service or its
    care unit told a caller who pays for someone's trip (for färdtjänst, their home
    municipality) by trying ids."""
    try:
        check_actor_scope(
            actor,
            principal_code=record.principal_code,
            traveller_id=record.traveller_id,
            service=record.service,
        )
        if actor.role is Role.CARE_ISSUER and record.care_unit != actor.care_unit:
            raise Forbidden("not booked by the caller's care unit", field="care_unit")
    except Forbidden as error:
        raise NotFound(f"no {kind} with id {record.id}", field=f"{kind}_id") from error


def check_permit(traveller: Traveller, *, service: str, principal_code: str, day: date) -> None:
    """Färdtjänst and riksfärdtjänst need a permit from the paying municipality valid that day."""
    if service not in PERMIT_SERVICES:
        return
    permits = [
        p for p in traveller.permits if p.kind == service and p.principal_code == principal_code
    ]
    if not permits:
        raise InputError(
            f"the traveller has no {service} permit from principal {principal_code}",
            field="service",
        )
    if any(p.valid_on(day) for p in permits):
        return
    latest = max(permits, key=lambda p: p.valid_from)
    if latest.valid_until is not None and latest.valid_until < day:
        raise InputError(
            f"the traveller's {service} permit expired on {latest.valid_until}; {day} is after it",
            field="service",
        )
    raise InputError(
        f"the traveller's {service} permit is not valid on {day} (valid from {latest.valid_from})",
        field="service",
    )
