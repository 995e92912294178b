"""Use cases of the traveller register. Every read and write of a traveller is audited in
the same transaction as the work it describes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.db import transaction
from samfard.errors import Conflict, NotFound
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller
from samfard.travellers.personnummer import parse_personal_number
from samfard.travellers.schemas import TravellerCreate, TravellerUpdate


def register_traveller(
    *, session: Session, data: TravellerCreate, actor: Actor, now: datetime, synthetic: bool = False
) -> Traveller:
    number = parse_personal_number(data.personal_number, today=now.astimezone(STOCKHOLM).date())
    with transaction(session):
        if session.scalar(select(Traveller.id).where(Traveller.personal_number == number.value)):
            raise Conflict(
                "a traveller with this personal number is already registered; find and update "
                "that record instead",
                field="personal_number",
            )
        traveller = Traveller(
            personal_number=number.value,
            is_coordination_number=number.is_coordination_number,
            birth_date=number.birth_date,
            first_name=data.first_name,
            last_name=data.last_name,
            protected_identity=data.protected_identity,
            street=data.address.street,
            postal_code=data.address.postal_code.replace(" ", ""),
            city=data.address.city,
            municipality_code=data.address.municipality_code,
            lat=data.address.lat,
            lon=data.address.lon,
            phone=data.phone,
            language=data.language,
            mobility_aids=[aid.value for aid in data.mobility_aids],
            driver_notes=data.driver_notes,
            synthetic=synthetic,
            created_at=now,
            updated_at=now,
        )
        session.add(traveller)
        session.flush()
        audit.record(
            session,
            actor,
            traveller_id=traveller.id,
            record_type="traveller",
            record_id=traveller.id,
            action="create",
            purpose="register traveller",
            at=now,
        )
    return traveller


def load_traveller(
    *, session: Session, traveller_id: int, field: str = "traveller_id"
) -> Traveller:
    """The stored traveller, unaudited: for use inside another audited use case."""
    traveller = session.get(Traveller, traveller_id)
    if traveller is None:
        raise NotFound(f"no traveller with id {traveller_id}", field=field)
    return traveller


def get_traveller(
    *, session: Session, traveller_id: int, actor: Actor, purpose: str, now: datetime
) -> Traveller:
    return read_traveller(
        session=session,
        traveller_id=traveller_id,
        actor=actor,
        now=now,
        record_type="traveller",
        purpose=purpose,
    )


def read_traveller(
    *,
    session: Session,
    traveller_id: int,
    actor: Actor,
    now: datetime,
    record_type: str,
    purpose: str,
) -> Traveller:
    """Load a traveller to show part of their record, auditing the read of that part."""
    with transaction(session):
        traveller = load_traveller(session=session, traveller_id=traveller_id)
        audit.record(
            session,
            actor,
            traveller_id=traveller.id,
            record_type=record_type,
            record_id=traveller.id if record_type == "traveller" else None,
            action="read",
            purpose=purpose,
            at=now,
        )
    return traveller


def find_travellers(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    query: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Traveller], int]:
    """Search by name, personal number or phone number (six digits or more, written with
    or without spaces, dashes or a leading 0); each traveller listed is an audited read."""
    statement = select(Traveller)
    if query:
        digits = "".join(c for c in query if c.isdigit())
        pattern = f"%{query.strip().lower()}%"
        conditions = [
            func.lower(Traveller.first_name + " " + Traveller.last_name).like(pattern),
            func.lower(Traveller.last_name).like(pattern),
        ]
        if len(digits) >= 6:
            conditions.append(Traveller.personal_number.like(f"%{digits}%"))
            national = digits[2:] if query.strip().startswith("+46") else digits
            conditions.append(_phone_digits().like(f"%{national.lstrip('0')}%"))
        statement = statement.where(or_(*conditions))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    with transaction(session):
        rows = list(
            session.scalars(
                statement.order_by(Traveller.last_name, Traveller.id).limit(limit).offset(offset)
            )
        )
        for traveller in rows:
            audit.record(
                session,
                actor,
                traveller_id=traveller.id,
                record_type="traveller",
                record_id=traveller.id,
                action="list",
                purpose="traveller search",
                at=now,
            )
    return rows, total


def _phone_digits() -> ColumnElement[str]:
    """The stored phone number without the separators people write ("070-123 45 67")."""
    column: ColumnElement[str] = Traveller.phone  # type: ignore[assignment]
    for separator in ("-", " ", "+", "(", ")"):
        column = func.replace(column, separator, "")
    return column


def update_traveller(
    *, session: Session, traveller_id: int, data: TravellerUpdate, actor: Actor, now: datetime
) -> Traveller:
    with transaction(session):
        traveller = load_traveller(session=session, traveller_id=traveller_id)
        if traveller.version != data.version:
            raise Conflict(
                f"traveller {traveller_id} was changed by someone else (version "
                f"{traveller.version}, you sent {data.version}); reload and try again",
                field="version",
            )
        changes = data.model_dump(exclude_unset=True, exclude={"version", "address"})
        if "mobility_aids" in changes and changes["mobility_aids"] is not None:
            changes["mobility_aids"] = [str(aid) for aid in changes["mobility_aids"]]
        for name, value in changes.items():
            setattr(traveller, name, value)
        if data.address is not None:
            traveller.street = data.address.street
            traveller.postal_code = data.address.postal_code.replace(" ", "")
            traveller.city = data.address.city
            traveller.municipality_code = data.address.municipality_code
            traveller.lat = data.address.lat
            traveller.lon = data.address.lon
        traveller.updated_at = now
        audit.record(
            session,
            actor,
            traveller_id=traveller.id,
            record_type="traveller",
            record_id=traveller.id,
            action="update",
            purpose="update " + ", ".join(sorted(data.model_fields_set - {"version"})),
            at=now,
        )
    return traveller
