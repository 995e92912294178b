"""User administration: a system administrator manages everyone; a principal administrator
only accounts wholly inside their own principals, and never hands out more than they hold
(no system administrators, no "*" scope, no right to see protected identities)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from samfard.access import service
from samfard.access.actor import ALL_PRINCIPALS, Actor
from samfard.access.models import ApiToken, User
from samfard.access.permissions import Permission, Role
from samfard.access.schemas import UserCreate
from samfard.db import transaction
from samfard.errors import Forbidden, InputError, NotFound

ROLES_ONLY_SYSTEM_ADMIN_GRANTS = frozenset({Role.SYSTEM_ADMIN})


def covers_all(actor: Actor, codes: list[str]) -> bool:
    """Whether every principal in `codes` is in the actor's scope ("*" only within "*")."""
    if ALL_PRINCIPALS in actor.principal_codes:
        return True
    return bool(codes) and ALL_PRINCIPALS not in codes and set(codes) <= actor.principal_codes


def _check_grant(actor: Actor, data: UserCreate) -> None:
    if actor.role is Role.SYSTEM_ADMIN:
        return
    if data.role in ROLES_ONLY_SYSTEM_ADMIN_GRANTS:
        raise Forbidden(
            f"only a system administrator may create a {data.role.value} account", field="role"
        )
    if data.may_see_protected:
        raise Forbidden(
            "only a system administrator may grant the right to see protected identities",
            field="may_see_protected",
        )
    if not covers_all(actor, data.principal_codes):
        mine = ", ".join(sorted(actor.principal_codes)) or "none"
        raise Forbidden(
            f"you may only create accounts within your principals ({mine}); give "
            "principal_codes from that list",
            field="principal_codes",
        )


def _check_scope_fields(data: UserCreate) -> None:
    """Scoped roles must say what they are scoped to, or they could see nothing at all."""
    if data.role in (Role.CARRIER_DISPATCHER, Role.DRIVER) and data.carrier_id is None:
        raise InputError(f"a {data.role.value} needs carrier_id", field="carrier_id")
    if data.role is Role.DRIVER and data.vehicle_id is None:
        raise InputError("a driver needs vehicle_id: the vehicle they drive", field="vehicle_id")
    if data.role is Role.CARE_ISSUER and not data.care_unit:
        raise InputError("a care_issuer needs care_unit", field="care_unit")
    if data.role is Role.TRAVELLER and data.traveller_id is None:
        raise InputError("a traveller account needs traveller_id", field="traveller_id")


def create(*, session: Session, actor: Actor, data: UserCreate, now: datetime) -> User:
    actor.require(Permission.USERS_ADMIN)
    _check_grant(actor, data)
    _check_scope_fields(data)
    return service.create_user(
        session=session,
        username=data.username,
        password=data.password,
        role=data.role,
        now=now,
        display_name=data.display_name,
        principal_codes=list(data.principal_codes),
        carrier_id=data.carrier_id,
        care_unit=data.care_unit,
        vehicle_id=data.vehicle_id,
        traveller_id=data.traveller_id,
        may_see_protected=data.may_see_protected,
    )


def visible_to(actor: Actor, user: User) -> bool:
    return covers_all(actor, list(user.principal_codes))


def list_users(
    *, session: Session, actor: Actor, limit: int, offset: int
) -> tuple[list[User], int]:
    """The accounts the actor administers, by username. Filtered in Python: the scope test
    is a subset test over a JSON list, which the two databases spell differently."""
    actor.require(Permission.USERS_ADMIN)
    everyone = session.scalars(select(User).order_by(User.username))
    users = [u for u in everyone if visible_to(actor, u)]
    return users[offset : offset + limit], len(users)


def get_user(*, session: Session, actor: Actor, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not visible_to(actor, user):
        # The same answer for "absent" and "outside your scope": no probing other principals.
        raise NotFound(
            f"no user with id {user_id} among the accounts you administer", field="user_id"
        )
    return user


def deactivate(*, session: Session, actor: Actor, user_id: int) -> User:
    """Deactivate an account and revoke its tokens and sessions at once."""
    actor.require(Permission.USERS_ADMIN)
    with transaction(session):
        user = get_user(session=session, actor=actor, user_id=user_id)
        if user.id == actor.user_id:
            raise InputError("you cannot deactivate your own account", field="user_id")
        user.active = False
        session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    return user
