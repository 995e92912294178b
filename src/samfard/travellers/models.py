"""Tables of the traveller register."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samfard.db import Base, UTCDateTime


class MobilityAid(enum.StrEnum):
    WHEELCHAIR = "wheelchair"
    ROLLATOR = "rollator"
    STRETCHER = "stretcher"  # needs to lie down: stretcher vehicle (liggande transport)
    GUIDE_DOG = "guide_dog"
    OXYGEN = "oxygen"


class PermitKind(enum.StrEnum):
    FARDTJANST = "fardtjanst"
    RIKSFARDTJANST = "riksfardtjanst"


class CertificateKind(enum.StrEnum):
    SINGLE_TRIP = "single_trip"
    PERIOD = "period"
    TREATMENT_SERIES = "treatment_series"


class RegisteredVia(enum.StrEnum):
    """Who put a certificate in the register: a care unit (on /intyg, or through the
    register API with a care account) or the booking centre (through the register API,
    typically from a paper certificate). Pages said "registrerat av beställningscentralen"
    of every certificate without an account stored on it, a care unit's API ones too."""

    CARE_UNIT = "care_unit"
    CENTRE = "centre"


class Traveller(Base):
    """Traveller: resenär. Identified by personnummer or samordningsnummer (12 digits)."""

    __tablename__ = "traveller"

    id: Mapped[int] = mapped_column(primary_key=True)
    personal_number: Mapped[str] = mapped_column(String(12), unique=True)
    is_coordination_number: Mapped[bool] = mapped_column(Boolean, default=False)
    birth_date: Mapped[date] = mapped_column(Date)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    protected_identity: Mapped[bool] = mapped_column(Boolean, default=False)
    # Lives in asylum housing (anläggningsboende): sjukresor go to the region's own account.
    asylum_housing: Mapped[bool] = mapped_column(Boolean, default=False)
    # Specified disability (angiven funktionsnedsättning): the companions of such a patient
    # travel free on sjukresor. Kept on the traveller, not on a certificate: it is a fact
    # about the person the central travel service records once (Jämtland Härjedalen writes
    # no certificates, and a companion's fee must not hang on which visit a certificate
    # names), and the companion rule reads it for every trip.
    specified_disability: Mapped[bool] = mapped_column(Boolean, default=False)
    # Student status (studerande) until this day, from the proof shown (CSN's decision or
    # the school's certificate for the term): riksfärdtjänst charges students 70 %. Kept on
    # the traveller with its end date, not on one permit: the proof outlives and
    # outnumbers permits (a new term, a new decision), and the fee asks about the trip day.
    student_until: Mapped[date | None] = mapped_column(Date)
    street: Mapped[str] = mapped_column(String(160))
    postal_code: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(80))
    municipality_code: Mapped[str] = mapped_column(String(8), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8), default="sv")
    mobility_aids: Mapped[list[str]] = mapped_column(JSON, default=list)
    driver_notes: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    pseudonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    permits: Mapped[list[Permit]] = relationship(
        back_populates="traveller", order_by="Permit.valid_from", cascade="all, delete-orphan"
    )
    certificates: Mapped[list[Certificate]] = relationship(
        back_populates="traveller",
        order_by="Certificate.valid_from",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}


class Permit(Base):
    """Permit: färdtjänsttillstånd or riksfärdtjänsttillstånd, with its conditions."""

    __tablename__ = "permit"

    id: Mapped[int] = mapped_column(primary_key=True)
    traveller_id: Mapped[int] = mapped_column(ForeignKey("traveller.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    special_vehicle: Mapped[bool] = mapped_column(Boolean, default=False)
    escort: Mapped[bool] = mapped_column(Boolean, default=False)
    # A fellow passenger (medresenär) may come along, paying as the holder; without it one
    # booked goes to an assessor, as an escort does.
    fellow_passenger: Mapped[bool] = mapped_column(Boolean, default=False)
    front_seat: Mapped[bool] = mapped_column(Boolean, default=False)
    ride_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    allergy_free: Mapped[bool] = mapped_column(Boolean, default=False)
    guide_dog: Mapped[bool] = mapped_column(Boolean, default=False)
    service_area: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)

    traveller: Mapped[Traveller] = relationship(back_populates="permits")

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class Issuer(Base):
    """Issuer: intygsutfärdare. Care staff certified to issue sjukresa certificates."""

    __tablename__ = "issuer"

    id: Mapped[int] = mapped_column(primary_key=True)
    hsa_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(120), index=True)
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"))
    course_passed_on: Mapped[date | None] = mapped_column(Date)
    certified_until: Mapped[date | None] = mapped_column(Date)
    # The account of the person, when the issuer signs in to Samfard (care staff taking the
    # course and issuing electronic certificates); None for issuers known only by HSA-id.
    username: Mapped[str | None] = mapped_column(String(80), unique=True)

    def certified_on(self, day: date) -> bool:
        return (
            self.course_passed_on is not None
            and self.course_passed_on <= day
            and self.certified_until is not None
            and day <= self.certified_until
        )


class Certificate(Base):
    """Certificate: sjukreseintyg or beslut, allowing a mode (taxi...) for a validity."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    traveller_id: Mapped[int] = mapped_column(ForeignKey("traveller.id"), index=True)
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"))
    kind: Mapped[str] = mapped_column(String(20))
    modes: Mapped[list[str]] = mapped_column(JSON)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    trips_allowed: Mapped[int | None] = mapped_column(Integer)
    issuer_id: Mapped[int | None] = mapped_column(ForeignKey("issuer.id"))
    unit: Mapped[str] = mapped_column(String(120))
    companion_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    covers_return: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    visit_place: Mapped[str | None] = mapped_column(String(60))  # gazetteer key of the visit
    visit_on: Mapped[date | None] = mapped_column(Date)
    issued_by: Mapped[str | None] = mapped_column(String(80))
    # RegisteredVia; None for a certificate registered before it was recorded (0026).
    registered_via: Mapped[str | None] = mapped_column(String(12))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(80))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    traveller: Mapped[Traveller] = relationship(back_populates="certificates")
    issuer: Mapped[Issuer | None] = relationship()

    def valid_on(self, day: date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until


class TravellerRegistration(Base):
    """A principal registered (or re-registered) this traveller: one of the links that
    put a traveller in that principal's register (docs/security.md, "The register")."""

    __tablename__ = "traveller_registration"
    __table_args__ = (UniqueConstraint("traveller_id", "principal_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    traveller_id: Mapped[int] = mapped_column(ForeignKey("traveller.id", ondelete="CASCADE"))
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_by: Mapped[str] = mapped_column(String(80))
