"""The register scope: which travellers an account may see at all.

A traveller belongs to the register of a principal when the traveller has, under that
principal, a booking, a series, a permit, a certificate, or a registration (the principal's
staff registered the person, or re-registered someone already known to the centre). An
account scoped to principals sees the travellers in the registers of those principals; an
account scoped to every principal (`*`) sees everyone; a traveller's own account sees only
that traveller. Where the person lives does not decide it: a municipality's färdtjänst
desk has no business with a region's sjukresa patient who happens to live there.

Every use case that reads, changes or adds to a traveller's record asks here, so the API
and the pages share one rule (docs/security.md, "The register").
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.booking.models import Booking, Series
from samfard.errors import NotFound
from samfard.travellers.models import Certificate, Permit, Traveller, TravellerRegistration

LINKS = (Booking, Series, Permit, Certificate, TravellerRegistration)


def in_register_condition(actor: Actor) -> ColumnElement[bool]:
    """A condition on `Traveller` true for the travellers in the actor's register."""
    if actor.role is Role.TRAVELLER:
        return Traveller.id == actor.traveller_id if actor.traveller_id else false()
    if actor.owns_everything:
        return true()
    codes = sorted(actor.principal_codes)
    if not codes:
        return false()
    return or_(
        *(
            exists().where(link.traveller_id == Traveller.id, link.principal_code.in_(codes))
            for link in LINKS
        )
    )


def in_register(session: Session, actor: Actor, traveller_id: int) -> bool:
    statement = select(Traveller.id).where(
        Traveller.id == traveller_id, in_register_condition(actor)
    )
    return session.scalar(statement) is not None


def require_in_register(
    session: Session, actor: Actor, traveller_id: int, *, field: str = "traveller_id"
) -> None:
    """Refuse a traveller outside the actor's register with the same answer, word for
    word, as a traveller that does not exist (`travellers.service.load_traveller`), so ids
    cannot be probed across principals."""
    if not in_register(session, actor, traveller_id):
        raise NotFound(f"no traveller with id {traveller_id}", field=field)


def visible_principal(actor: Actor, principal_code: str) -> bool:
    """Whether a permit or certificate of `principal_code` is shown to the actor: each
    principal sees its own decisions about a traveller, not the others'."""
    return actor.role is Role.TRAVELLER or actor.covers_principal(principal_code)
