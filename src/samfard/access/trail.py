"""Reading the audit trail: entries for one traveller (subject access request,
registerutdrag) or for one user. There is deliberately no function that changes or deletes
an entry: the application can only append (see `access.audit.record`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.models import AuditEntry
from samfard.access.permissions import Permission
from samfard.access.register import require_in_register
from samfard.access.users import get_user
from samfard.db import transaction
from samfard.errors import InputError
from samfard.travellers.models import Traveller
from samfard.travellers.service import load_traveller


def require_traveller_scope(session: Session, actor: Actor, traveller: Traveller) -> None:
    """A principal administrator answers for the travellers in their principals' registers
    (access.register); outside it, the same answer as an unknown traveller."""
    require_in_register(session, actor, traveller.id)


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
            require_traveller_scope(session, actor, traveller)
            statement = statement.where(AuditEntry.traveller_id == traveller_id)
        else:
            assert user_id is not None  # exactly one of the two, checked above
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
        elif user_id is not None:
            _record_user_review(session, actor, user_id, rows, now)
    return rows, total


def _record_user_review(
    session: Session, actor: Actor, user_id: int, rows: list[AuditEntry], now: datetime
) -> None:
    """Reviewing what a user did shows whose data they touched: the review is recorded
    once for the user, and once for each traveller named on the page read."""
    audit.record(
        session,
        actor,
        traveller_id=None,
        record_type="user_audit_trail",
        record_id=user_id,
        action="read",
        purpose="user activity review",
        at=now,
    )
    named = sorted({e.traveller_id for e in rows if e.traveller_id is not None})
    audit.record_reads(
        session,
        actor,
        ((traveller_id, user_id) for traveller_id in named),
        record_type="audit_trail",
        action="read",
        purpose="user activity review",
        at=now,
    )
