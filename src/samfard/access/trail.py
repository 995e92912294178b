"""Reading the audit trail: entries for one traveller (subject access request,
registerutdrag) or for one user. There is deliberately no function that changes or deletes
an entry: the application can only append (see `access.audit.record`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import ALL_PRINCIPALS, Actor
from samfard.access.models import AuditEntry
from samfard.access.permissions import Permission
from samfard.access.users import get_user
from samfard.db import transaction
from samfard.errors import Forbidden, InputError
from samfard.travellers.models import Traveller
from samfard.travellers.service import load_traveller


def covers_traveller(actor: Actor, traveller: Traveller) -> bool:
    """Whether a principal-scoped administrator answers for this traveller: the home
    municipality or its region (the county code, its first two digits) is in scope."""
    codes = actor.principal_codes
    municipality = traveller.municipality_code
    return ALL_PRINCIPALS in codes or municipality in codes or municipality[:2] in codes


def require_traveller_scope(actor: Actor, traveller: Traveller) -> None:
    if not covers_traveller(actor, traveller):
        raise Forbidden(
            f"traveller {traveller.id} lives outside the principals your account is scoped to",
            field="traveller_id",
        )


def entries(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    traveller_id: int | None,
    user_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[AuditEntry], int]:
    """Newest first. Reading a traveller's trail is itself a read of their data: audited."""
    actor.require(Permission.AUDIT_READ)
    if (traveller_id is None) == (user_id is None):
        raise InputError("give exactly one of traveller_id or user_id", field="traveller_id")
    with transaction(session):
        statement = select(AuditEntry)
        if traveller_id is not None:
            traveller = load_traveller(session=session, traveller_id=traveller_id)
            require_traveller_scope(actor, traveller)
            statement = statement.where(AuditEntry.traveller_id == traveller_id)
        else:
            assert user_id is not None
            get_user(session=session, actor=actor, user_id=user_id)
            statement = statement.where(AuditEntry.user_id == user_id)
        total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        rows = list(
            session.scalars(
                statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .limit(limit)
                .offset(offset)
            )
        )
        if traveller_id is not None:
            audit.record(
                session,
                actor,
                traveller_id=traveller_id,
                record_type="audit_trail",
                record_id=traveller_id,
                action="read",
                purpose="subject access request",
                at=now,
            )
    return rows, total
