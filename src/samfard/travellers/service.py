"""Use cases of the traveller register. Every read and write of a traveller is audited in
the same transaction as the work it describes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Permission
from samfard.access.register import in_register_condition, require_in_register
from samfard.db import transaction
from samfard.errors import Conflict, Forbidden, InputError, NotFound
from samfard.principals.models import Principal, PrincipalKind
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller, TravellerRegistration
from samfard.travellers.personnummer import parse_personal_number
from samfard.travellers.schemas import TravellerCreate, TravellerUpdate
from samfard.travellers.views import can_see_identity

# What says who a person is and where they live: a reader who may not see a protected
# identity may not change it either (the answer would show what was written, and lifting
# the protection would show everything).
IDENTITY_FIELDS = (
    "first_name",
    "last_name",
    "protected_identity",
    "asylum_housing",
    "address",
    "phone",
)

ALREADY_REGISTERED = (
    "a traveller with this personal number is already registered; find and update that "
    "record instead"
)
MIN_QUERY = 3


def _require_municipality(session: Session, code: str) -> None:
    """A home is in one of the centre's municipalities: the home's municipality pays its
    färdtjänst and its region the sjukresor, and a code no principal has (9999) was
    stored, leaving a traveller no rule can assess (the register page refuses it too)."""
    found = session.scalar(
        select(Principal.id).where(
            Principal.code == code, Principal.kind == PrincipalKind.MUNICIPALITY.value
        )
    )
    if found is None:
        raise InputError(
            f"no municipality with the code {code}; give a municipality's code from "
            "GET /api/v1/principals",
            field="address.municipality_code",
        )


def register_traveller(
    *, session: Session, data: TravellerCreate, actor: Actor, now: datetime, synthetic: bool = False
) -> Traveller:
    traveller, _ = enrol_traveller(
        session=session, data=data, actor=actor, now=now, synthetic=synthetic
    )
    return traveller


def enrol_traveller(
    *, session: Session, data: TravellerCreate, actor: Actor, now: datetime, synthetic: bool = False
) -> tuple[Traveller, bool]:
    """Register a new traveller in the actor's principals' registers: (traveller, created).

    A person the centre already knows (another principal registered them) is added to the
    actor's registers when the body names them exactly as stored (personal number, first
    and last name) and is answered with the stored record; a protected identity only for an
    account that may see it. Everything else with a known number is the same conflict, so
    the answer never tells more than the caller already gave.
    """
    number = parse_personal_number(data.personal_number, today=now.astimezone(STOCKHOLM).date())
    with transaction(session):
        known = session.scalar(select(Traveller).where(Traveller.personal_number == number.value))
        if known is not None:
            if actor.owns_everything or not _names_match(known, data, actor):
                raise Conflict(ALREADY_REGISTERED, field="personal_number")
            _link(session, known, actor, now)
            audit.record(
                session,
                actor,
                traveller_id=known.id,
                record_type="traveller",
                record_id=known.id,
                action="link",
                purpose="register known traveller",
                at=now,
            )
            return known, False
        _require_municipality(session, data.address.municipality_code)
        traveller = Traveller(
            personal_number=number.value,
            is_coordination_number=number.is_coordination_number,
            birth_date=number.birth_date,
            first_name=data.first_name,
            last_name=data.last_name,
            protected_identity=data.protected_identity,
            asylum_housing=data.asylum_housing,
            specified_disability=data.specified_disability,
            student_until=data.student_until,
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
        _link(session, traveller, actor, now)
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
    return traveller, True


def _names_match(known: Traveller, data: TravellerCreate, actor: Actor) -> bool:
    if known.protected_identity and not actor.has(Permission.PROTECTED_IDENTITY_READ):
        return False
    return (known.first_name.casefold(), known.last_name.casefold()) == (
        data.first_name.strip().casefold(),
        data.last_name.strip().casefold(),
    )


def _link(session: Session, traveller: Traveller, actor: Actor, now: datetime) -> None:
    """Put the traveller in the register of each principal the actor is scoped to."""
    known = set(
        session.scalars(
            select(TravellerRegistration.principal_code).where(
                TravellerRegistration.traveller_id == traveller.id
            )
        )
    )
    for code in sorted(actor.principal_codes - known - {"*"}):
        session.add(
            TravellerRegistration(
                traveller_id=traveller.id,
                principal_code=code,
                registered_at=now,
                registered_by=actor.username,
            )
        )
    session.flush()


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
    """Load a traveller in the actor's register to show part of their record, auditing the
    read of that part."""
    with transaction(session):
        traveller = load_traveller(session=session, traveller_id=traveller_id)
        require_in_register(session, actor, traveller.id)
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
    """Search the actor's register by name, personal number or phone number (six digits or
    more, written with or without spaces, dashes or a leading 0); each traveller listed is an
    audited read.

    The query is taken literally (LIKE wildcards escaped) and must have at least
    MIN_QUERY characters, so a search never lists the register. A protected identity is
    never matched for an account that may not see it: matching on the hidden name or number
    and answering with the masked record would confirm each guess.
    """
    text = (query or "").strip()
    if len(text) < MIN_QUERY:
        raise InputError(
            f"give at least {MIN_QUERY} characters of a name or a personal number in q",
            field="q",
        )
    digits = "".join(c for c in text if c.isdigit())
    # A name in either order, "Per Axelsson" or "Axelsson Per" or "Axelsson, Per": callers
    # give the surname first as often as not (walk-through of the seventh session of
    # 2026-12-06, where the surname first found no one). Each word is looked for in the
    # whole name, so a name with more to it ("Sjöberg (syntetisk)", a double surname)
    # is found by the words a caller says, in any order (walk-through of 2026-12-06).
    name = func.lower(Traveller.first_name + " " + Traveller.last_name)
    words = text.replace(",", " ").split()
    conditions = [
        and_(*(name.like(f"%{escape_like(word.lower())}%", escape="\\") for word in words))
    ]
    if len(digits) >= 6:
        conditions.append(Traveller.personal_number.like(f"%{digits}%"))
        national = digits[2:] if text.startswith("+46") else digits
        conditions.append(_phone_digits().like(f"%{national.lstrip('0')}%"))
    statement = select(Traveller).where(or_(*conditions), in_register_condition(actor))
    if not actor.has(Permission.PROTECTED_IDENTITY_READ):
        statement = statement.where(Traveller.protected_identity.is_(False))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    with transaction(session):
        rows = list(
            session.scalars(
                statement.order_by(Traveller.last_name, Traveller.id).limit(limit).offset(offset)
            )
        )
        audit.record_reads(
            session,
            actor,
            ((traveller.id, traveller.id) for traveller in rows),
            record_type="traveller",
            action="list",
            purpose="traveller search",
            at=now,
        )
    return rows, total


def escape_like(text: str) -> str:
    """`text` for a LIKE pattern with escape character backslash: matched literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
        require_in_register(session, actor, traveller.id)
        if traveller.version != data.version:
            raise Conflict(
                f"traveller {traveller_id} was changed by someone else (version "
                f"{traveller.version}, you sent {data.version}); reload and try again",
                field="version",
            )
        if not can_see_identity(traveller, actor):
            for name in IDENTITY_FIELDS:
                if name in data.model_fields_set:
                    raise Forbidden(
                        f"{name} of a protected identity is changed only by an account that "
                        "may see protected identities; you may change mobility_aids, "
                        "language and driver_notes",
                        field=name,
                    )
        changes = data.model_dump(exclude_unset=True, exclude={"version", "address"})
        if "mobility_aids" in changes and changes["mobility_aids"] is not None:
            changes["mobility_aids"] = [str(aid) for aid in changes["mobility_aids"]]
        for name, value in changes.items():
            setattr(traveller, name, value)
        if data.address is not None:
            _require_municipality(session, data.address.municipality_code)
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
