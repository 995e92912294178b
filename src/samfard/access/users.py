"""User administration: a system administrator manages everyone; a principal administrator
only accounts wholly inside their own principals, and never hands out more than they hold
(no system administrators, no carriers' accounts, no "*" scope, no right to see protected
identities)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from samfard.access import audit, care_units, service
from samfard.access.actor import ALL_PRINCIPALS, Actor
from samfard.access.models import ApiToken, User
from samfard.access.passwords import check_policy, hash_password
from samfard.access.permissions import SCOPE_ROLES, Permission, Role
from samfard.access.register import require_in_register
from samfard.access.schemas import UserChange, UserCreate
from samfard.costs.models import Carrier
from samfard.db import transaction
from samfard.dispatch.models import Vehicle
from samfard.errors import DomainError, Forbidden, InputError, NotFound
from samfard.principals.models import Principal
from samfard.travellers.models import Traveller

# The start of every refusal of what only a holder of the right to see protected identities
# may do with accounts: linking a protected traveller, granting the right itself.
ONLY_WHO_MAY_SEE = "only an administrator who may see protected identities may"

# A carrier's accounts are scoped to the carrier, not to principals: its runs carry every
# principal's travellers, protected homes included, so no principal may hand them out.
ROLES_ONLY_SYSTEM_ADMIN_GRANTS = frozenset(
    {Role.SYSTEM_ADMIN, Role.CARRIER_DISPATCHER, Role.DRIVER}
)


def covers_all(actor: Actor, codes: list[str]) -> bool:
    """Whether every principal in `codes` is in the actor's scope ("*" only within "*")."""
    if ALL_PRINCIPALS in actor.principal_codes:
        return True
    return bool(codes) and ALL_PRINCIPALS not in codes and set(codes) <= actor.principal_codes


def _grant_problems(actor: Actor, data: UserCreate | UserChange) -> Iterator[DomainError]:
    """What the actor may hand out. The right to see protected identities goes only from an
    administrator who holds it: a system administrator without it gave it to an account of
    their own making and read protected travellers through it (probe of 2026-12-06). A
    system administrator of some principals only, made before that scope was refused,
    grants as a principal administrator does: it made a `*` system administrator (the
    probe of the seventh session of 2026-12-06)."""
    if actor.role is Role.SYSTEM_ADMIN and actor.owns_everything:
        yield from _protected_grant_problems(actor, data)
        return
    if data.role in ROLES_ONLY_SYSTEM_ADMIN_GRANTS:
        yield Forbidden(
            f"only a system administrator may grant the role {data.role.value}"
            + (
                ": a carrier's runs carry every principal's travellers"
                if data.role is not Role.SYSTEM_ADMIN
                else ""
            ),
            field="role",
        )
    if data.may_see_protected:
        yield Forbidden(
            "only a system administrator may grant the right to see protected identities",
            field="may_see_protected",
        )
    if not covers_all(actor, data.principal_codes):
        mine = ", ".join(sorted(actor.principal_codes)) or "none"
        yield Forbidden(
            f"you may only create accounts within your principals ({mine}); give "
            "principal_codes from that list",
            field="principal_codes",
        )


def _protected_grant_problems(actor: Actor, data: UserCreate | UserChange) -> Iterator[DomainError]:
    """Only an administrator who may see protected identities grants that right (on
    creating, changing and reactivating an account alike; the command line acts as one)."""
    if data.may_see_protected and not actor.has(Permission.PROTECTED_IDENTITY_READ):
        yield Forbidden(
            f"{ONLY_WHO_MAY_SEE} grant the right to see them", field="may_see_protected"
        )


# The roles whose work is a principal's: scoped by principal codes, so one with none is an
# account that sees nothing (a system administrator made without --principal was one).
PRINCIPAL_ROLES = frozenset(
    {
        Role.SYSTEM_ADMIN,
        Role.PRINCIPAL_ADMIN,
        Role.OPERATOR,
        Role.ASSESSOR,
        Role.CARE_ISSUER,
        Role.ANALYST,
    }
)


def _scope_problems(data: UserCreate | UserChange) -> Iterator[DomainError]:
    """Scoped roles must say what they are scoped to, or they could see nothing at all;
    other roles may not carry a scope that is not theirs."""
    for name, roles in SCOPE_ROLES.items():
        if getattr(data, name) is not None and data.role not in roles:
            owners = " or ".join(sorted(r.value for r in roles))
            yield InputError(
                f"{name} belongs to a {owners} account, not a {data.role.value}; leave it out",
                field=name,
            )
    codes = data.principal_codes
    if data.role in PRINCIPAL_ROLES and not codes:
        yield InputError(
            f"a {data.role.value} works for principals: give principal_codes (or * for "
            "every principal); an account with none sees nothing",
            field="principal_codes",
        )
    if len(set(codes)) < len(codes) or (ALL_PRINCIPALS in codes and len(codes) > 1):
        yield InputError(
            "give each principal code once, and * (every principal) alone",
            field="principal_codes",
        )
    if data.role is Role.SYSTEM_ADMIN and codes != [ALL_PRINCIPALS]:
        yield InputError(
            'a system_admin administers every principal: give principal_codes ["*"]; '
            "an administrator of some principals is a principal_admin",
            field="principal_codes",
        )
    if data.role in SCOPE_ROLES["carrier_id"] and data.carrier_id is None:
        yield InputError(f"a {data.role.value} needs carrier_id", field="carrier_id")
    if data.role is Role.DRIVER and data.vehicle_id is None:
        yield InputError("a driver needs vehicle_id: the vehicle they drive", field="vehicle_id")
    if data.role is Role.CARE_ISSUER and not data.care_unit:
        yield InputError("a care_issuer needs care_unit", field="care_unit")
    if data.role is Role.TRAVELLER and data.traveller_id is None:
        yield InputError("a traveller account needs traveller_id", field="traveller_id")


def _reference_problems(
    session: Session, actor: Actor, data: UserCreate | UserChange
) -> Iterator[DomainError]:
    """An account is scoped to things that exist: its principals, a care unit of theirs,
    its carrier, the vehicle that carrier runs, and a traveller in the administrator's own
    register. Without this a principal administrator could link a traveller account to
    anyone's record and log in as it, and a typo would leave an account that sees nothing
    (a nurse of "Sundsvall sjukhus" matched no unit's certificates)."""
    known = set(session.scalars(select(Principal.code)))
    unknown = sorted(set(data.principal_codes) - known - {ALL_PRINCIPALS})
    if unknown:
        yield InputError(
            f"no principal with the code {', '.join(unknown)}; give codes from "
            "GET /api/v1/principals",
            field="principal_codes",
        )
    if data.care_unit is not None and not unknown:
        yield from care_units.problems(session, data.care_unit, list(data.principal_codes))
    if data.carrier_id is not None and session.get(Carrier, data.carrier_id) is None:
        yield InputError(f"no carrier with id {data.carrier_id}", field="carrier_id")
    if data.vehicle_id is not None:
        vehicle = session.get(Vehicle, data.vehicle_id)
        if vehicle is None:
            yield InputError(f"no vehicle with id {data.vehicle_id}", field="vehicle_id")
        elif data.carrier_id is not None and vehicle.carrier_id != data.carrier_id:
            yield InputError(
                f"vehicle {data.vehicle_id} is not run by carrier {data.carrier_id}; give the "
                "carrier that runs it",
                field="vehicle_id",
            )
    if data.traveller_id is not None:
        try:
            require_in_register(session, actor, data.traveller_id)
        except DomainError as refused:
            yield refused
            return
        traveller = session.get(Traveller, data.traveller_id)
        protected = traveller is not None and traveller.protected_identity
        if protected and not actor.has(Permission.PROTECTED_IDENTITY_READ):
            # The account would show its holder the protected record, and whoever set its
            # first password could log in as it.
            yield Forbidden(
                f"{ONLY_WHO_MAY_SEE} create an account for this traveller", field="traveller_id"
            )


def problems(
    *, session: Session, actor: Actor, data: UserCreate | UserChange
) -> Iterator[DomainError]:
    """Every refusal the rules give `data`, in the order the service meets them, lazily: the
    service raises the first (`_check`), the page /admin lists them all at once. A new
    account's password is checked here too, so the page says it with the rest."""
    yield from _grant_problems(actor, data)
    yield from _scope_problems(data)
    yield from _reference_problems(session, actor, data)
    if isinstance(data, UserCreate):
        try:
            check_policy(data.password)
        except InputError as refused:
            yield refused


def _check_grant(actor: Actor, data: UserCreate | UserChange) -> None:
    """Refuse what the actor may not hand out (reactivating, resetting and unlocking an
    account is handing out what it holds)."""
    for refused in _grant_problems(actor, data):
        raise refused


def _check(session: Session, actor: Actor, data: UserCreate | UserChange) -> None:
    for refused in problems(session=session, actor=actor, data=data):
        raise refused


def create(*, session: Session, actor: Actor, data: UserCreate, now: datetime) -> User:
    actor.require(Permission.USERS_ADMIN)
    _check(session, actor, data)
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
        audited_by=actor,
    )


def visible_to(actor: Actor, user: User) -> bool:
    """An account outside every principal's scope (`*`) administers only accounts within
    its principals, and never a system administrator's, whatever that one's scope."""
    if actor.owns_everything:
        return True
    return user.role != Role.SYSTEM_ADMIN.value and covers_all(actor, list(user.principal_codes))


def list_users(
    *, session: Session, actor: Actor, limit: int, offset: int, now: datetime
) -> tuple[list[User], int]:
    """The accounts the actor administers, by username. Filtered in Python: the scope test
    is a subset test over a JSON list, which the two databases spell differently. A
    traveller's own account listed is a read of that traveller (it names them and links
    their register card), audited as such; the list wrote no entry (probe of 2026-12-06)."""
    actor.require(Permission.USERS_ADMIN)
    with transaction(session):
        everyone = session.scalars(select(User).order_by(User.username))
        users = [u for u in everyone if visible_to(actor, u)]
        page = users[offset : offset + limit]
        audit.record_reads(
            session,
            actor,
            ((u.traveller_id, u.id) for u in page if u.traveller_id is not None),
            record_type="user",
            action="list",
            purpose="account list",
            at=now,
        )
    return page, len(users)


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
        _audit(session, actor, user, "deactivate")
    return user


def reactivate(*, session: Session, actor: Actor, user_id: int) -> User:
    """Let a deactivated account log in again (its old sessions stay revoked). The scope is
    deactivation's, and a principal administrator reactivates only an account they could
    have created: giving an account back is granting what it holds."""
    actor.require(Permission.USERS_ADMIN)
    with transaction(session):
        user = get_user(session=session, actor=actor, user_id=user_id)
        if user.id == actor.user_id:
            raise InputError("you cannot reactivate your own account", field="user_id")
        _check_grant(actor, _as_granted(user))
        _check_keys(session, actor, user)
        user.active = True
        service.clear_lockout(user)
        _audit(session, actor, user, "reactivate")
    return user


def reset_password(*, session: Session, actor: Actor, user_id: int, password: str) -> User:
    """Give an account a new start password, for a user who forgot theirs or was locked
    out: the account is unlocked and every session and token it had is revoked, so whoever
    held the old password is out. The scope is reactivation's: a principal administrator
    resets only an account they could have created (a new password is its keys)."""
    actor.require(Permission.USERS_ADMIN)
    with transaction(session):
        user = get_user(session=session, actor=actor, user_id=user_id)
        if user.id == actor.user_id:
            raise InputError(
                "change your own password on your account's page, with the one you have",
                field="user_id",
            )
        _check_grant(actor, _as_granted(user))
        _check_keys(session, actor, user)
        check_policy(password)
        user.password_hash = hash_password(password)
        service.clear_lockout(user)
        session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
        _audit(session, actor, user, "password_reset")
    return user


def unlock(*, session: Session, actor: Actor, user_id: int) -> User:
    """Let an account locked by wrong passwords (15 minutes after 5 in a row) log in again
    now, when the administrator has made sure it was its user mistyping. The only way was
    to deactivate and reactivate it."""
    actor.require(Permission.USERS_ADMIN)
    with transaction(session):
        user = get_user(session=session, actor=actor, user_id=user_id)
        if user.id == actor.user_id:
            # Unlocking oneself would make the lock no limit: a stolen session could guess
            # the password on, unlocking after every fourth wrong one (probe of 2026-12-06).
            raise InputError("you cannot unlock your own account; ask another administrator",
                             field="user_id")  # fmt: skip
        _check_grant(actor, _as_granted(user))
        service.clear_lockout(user)
        _audit(session, actor, user, "unlock")
    return user


def _check_keys(session: Session, actor: Actor, user: User) -> None:
    """A protected traveller's account gets a new password or comes back only from an
    administrator who may see protected identities, as only such a one may create it: a
    new password is its keys, and the account shows its holder the protected record (a
    principal administrator reset one and logged in as the traveller, reading the home
    address: probe of 2026-12-06)."""
    if user.traveller_id is None or actor.has(Permission.PROTECTED_IDENTITY_READ):
        return
    traveller = session.get(Traveller, user.traveller_id)
    if traveller is not None and traveller.protected_identity:
        raise Forbidden(f"{ONLY_WHO_MAY_SEE} do this to this account", field="traveller_id")


def _as_granted(user: User) -> UserChange:
    """What an account holds, as the grant that would give it (for `_check_grant`)."""
    return UserChange.model_construct(
        role=Role(user.role),
        principal_codes=list(user.principal_codes),
        carrier_id=user.carrier_id,
        care_unit=user.care_unit,
        vehicle_id=user.vehicle_id,
        traveller_id=user.traveller_id,
        may_see_protected=user.may_see_protected,
    )


def _audit(
    session: Session,
    actor: Actor,
    user: User,
    action: str,
    *,
    purpose: str = "user administration",
    traveller_id: int | None = None,
) -> None:
    """Who turned an account off or on or changed what it may do, in the audit trail (a
    traveller's account names its traveller, so the change shows in that person's trail
    too)."""
    audit.record(
        session,
        actor,
        traveller_id=traveller_id if traveller_id is not None else user.traveller_id,
        record_type="user",
        record_id=user.id,
        action=action,
        purpose=purpose,
    )


def change(*, session: Session, actor: Actor, user_id: int, data: UserChange) -> User:
    """Give an account another role and scope, under the same rules as creating one: a
    principal administrator changes only accounts inside their principals, and only to
    what they could have created. The new role applies from the account's next request."""
    actor.require(Permission.USERS_ADMIN)
    with transaction(session):
        user = get_user(session=session, actor=actor, user_id=user_id)
        if user.id == actor.user_id:
            raise InputError(
                "you cannot change your own role; ask another administrator", field="user_id"
            )
        _check(session, actor, data)
        before = service.granted(user)
        unlinked = user.traveller_id if user.traveller_id != data.traveller_id else None
        user.role = data.role.value
        user.principal_codes = list(data.principal_codes)
        user.carrier_id = data.carrier_id
        user.care_unit = data.care_unit
        user.vehicle_id = data.vehicle_id
        user.traveller_id = data.traveller_id
        user.may_see_protected = data.may_see_protected
        said = f"user administration: {before} changed to {service.granted(user)}"
        _audit(session, actor, user, "change", purpose=said)
        if unlinked is not None:  # the person the account was theirs until now
            _audit(session, actor, user, "change", purpose=said, traveller_id=unlinked)
    return user
