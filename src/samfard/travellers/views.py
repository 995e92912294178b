"""How a traveller is shown to an actor: protected identities masked for those without the
right, everywhere a traveller leaves the service layer (lists, details, exports)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Permission, Role
from samfard.travellers.free_text import shown_free_text
from samfard.travellers.models import Certificate, Permit, Traveller
from samfard.travellers.schemas import (
    AddressPublic,
    CertificatePublic,
    PermitPublic,
    TravellerPublic,
)

MASK = "Skyddad identitet"
MASKED_NUMBER = "********-****"
MASKED_ADDRESS = "Skyddad adress"


def can_see_identity(traveller: Traveller, actor: Actor) -> bool:
    """Whether `actor` may see who `traveller` is and where they live: anyone for an
    ordinary identity; for a protected one an account with the right, or the person's
    own traveller account (their bookings, the reasons for their decisions)."""
    return (
        not traveller.protected_identity
        or actor.has(Permission.PROTECTED_IDENTITY_READ)
        or (actor.role is Role.TRAVELLER and actor.traveller_id == traveller.id)
    )


def display_name(traveller: Traveller, actor: Actor) -> str:
    if not can_see_identity(traveller, actor):
        return MASK
    return f"{traveller.first_name} {traveller.last_name}"


def traveller_public(traveller: Traveller, actor: Actor) -> TravellerPublic:
    visible = can_see_identity(traveller, actor)
    number = traveller.personal_number
    return TravellerPublic(
        id=traveller.id,
        personal_number=f"{number[:8]}-{number[8:]}" if visible else MASKED_NUMBER,
        birth_date=traveller.birth_date if visible else None,
        is_coordination_number=traveller.is_coordination_number,
        first_name=traveller.first_name if visible else MASK,
        last_name=traveller.last_name if visible else "",
        protected_identity=traveller.protected_identity,
        asylum_housing=traveller.asylum_housing if visible else None,
        specified_disability=traveller.specified_disability,
        student_until=traveller.student_until,
        address=(
            AddressPublic(
                street=traveller.street,
                postal_code=written_postal_code(traveller.postal_code),
                city=traveller.city,
                municipality_code=traveller.municipality_code,
                lat=traveller.lat,
                lon=traveller.lon,
            )
            if visible
            else None
        ),
        phone=traveller.phone if visible else None,
        language=traveller.language,
        mobility_aids=list(traveller.mobility_aids),
        # Free text about the person may say where they live (a door code, a floor).
        driver_notes=traveller.driver_notes if visible else None,
        synthetic=traveller.synthetic,
        version=traveller.version,
    )


def permit_public(permit: Permit, *, visible: bool) -> PermitPublic:
    """A permit as a reader sees it: its notes are free text about the person
    (`free_text`)."""
    shown = PermitPublic.model_validate(permit)
    return shown.model_copy(update={"notes": shown_free_text(shown.notes, visible=visible)})


def certificate_public(certificate: Certificate, *, visible: bool) -> CertificatePublic:
    """A certificate as a reader sees it: its reason is free text about the person."""
    shown = CertificatePublic.model_validate(certificate)
    return shown.model_copy(update={"reason": shown_free_text(shown.reason, visible=visible)})


def sees_traveller(session: Session, traveller_id: int, actor: Actor) -> bool:
    """Whether `actor` may see who the stored traveller `traveller_id` is."""
    traveller = session.get(Traveller, traveller_id)
    return traveller is not None and can_see_identity(traveller, actor)


def written_postal_code(stored: str) -> str:
    """A postcode as Swedish addresses write it, "831 31": stored without the space (so
    "83131" and "831 31" typed are one code), shown with it in every answer, page and
    letter alike."""
    return f"{stored[:3]} {stored[3:]}" if len(stored) == 5 and stored.isdigit() else stored
