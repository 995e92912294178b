"""Use cases of access: users, login with lockout, token resolution."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.models import ApiToken, User
from samfard.access.passwords import check_policy, hash_password, verify_password
from samfard.access.permissions import SCOPE_ROLES, Role
from samfard.db import transaction
from samfard.errors import Conflict, Forbidden, InputError, Unauthenticated

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
# Defaults; a bearer token's life is the setting SAMFARD_BEARER_TOKEN_HOURS (12 hours): staff
# log in for a working day, and a token that leaks is worthless by the next morning.
TOKEN_LIFETIME = {"bearer": timedelta(hours=12), "session": timedelta(hours=10)}


def create_user(
    *,
    session: Session,
    username: str,
    password: str,
    role: Role,
    now: datetime,
    display_name: str | None = None,
    principal_codes: list[str] | None = None,
    carrier_id: int | None = None,
    care_unit: str | None = None,
    traveller_id: int | None = None,
    may_see_protected: bool = False,
    vehicle_id: int | None = None,
    audited_by: Actor | None = None,
) -> User:
    """A new account. Made by an administrator (`audited_by`), it is recorded in the audit
    trail in the same transaction: who gave which role and scope to whom, and for a
    traveller's account, in that person's trail too."""
    check_policy(password)
    if not username.strip():
        raise InputError("username must not be empty", field="username")
    with transaction(session):
        # Names that differ only in capitals would read as one person in the audit trail.
        taken = select(User).where(func.lower(User.username) == username.lower())
        if session.scalar(taken) is not None:
            raise Conflict(f"a user named {username!r} already exists", field="username")
        user = User(
            username=username,
            display_name=display_name or username,
            password_hash=hash_password(password),
            role=role.value,
            principal_codes=principal_codes or [],
            carrier_id=carrier_id,
            care_unit=care_unit,
            vehicle_id=vehicle_id,
            traveller_id=traveller_id,
            may_see_protected=may_see_protected,
            active=True,
            failed_logins=0,
            created_at=now,
        )
        session.add(user)
        if audited_by is not None:
            session.flush()
            audit.record(
                session,
                audited_by,
                traveller_id=traveller_id,
                record_type="user",
                record_id=user.id,
                action="create",
                purpose=f"user administration: {granted(user)}",
                at=now,
            )
    return user


def granted(user: User) -> str:
    """What an account was given, in the words of the audit trail."""
    scope = [f"principals {','.join(user.principal_codes)}"] if user.principal_codes else []
    for name in ("carrier_id", "vehicle_id", "care_unit", "traveller_id"):
        value = getattr(user, name)
        if value is not None:
            scope.append(f"{name} {value}")
    if user.may_see_protected:
        scope.append("may see protected identities")
    return f"role {user.role}" + (f" ({'; '.join(scope)})" if scope else "")


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    *, session: Session, user: User, kind: str, now: datetime, lifetime: timedelta | None = None
) -> str:
    """A new random token for the user; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    with transaction(session):
        session.add(
            ApiToken(
                user_id=user.id,
                token_hash=_hash_token(token),
                kind=kind,
                created_at=now,
                expires_at=now + (lifetime or TOKEN_LIFETIME[kind]),
            )
        )
    return token


@lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    """The hash of a random password, checked when the username is unknown or inactive."""
    return hash_password(secrets.token_urlsafe(24))


# The one answer to every refused login. It names the lock, because a right password is
# refused while an account is locked; it never says whether this account is, because a
# lock the answer confirmed happened only to usernames that exist.
REFUSED = (
    "wrong username or password; after 5 failed logins in a row an account is locked for "
    "15 minutes, so wait and try again if you are sure of the password"
)


def login(
    *,
    session: Session,
    username: str,
    password: str,
    kind: str,
    now: datetime,
    lifetime: timedelta | None = None,
) -> str:
    """Check the password; lock the account for 15 minutes after 5 failures in a row.

    An unknown username, an inactive or locked account and a wrong password all cost one
    password hash and get the same answer (`REFUSED`), so neither the answer nor its time
    tells which usernames exist. A locked account once answered "temporarily locked"
    after the fifth wrong password, which an unknown username never did: six tries told
    whether a username exists.
    """
    user = session.scalar(select(User).where(User.username == username))
    known = user is not None and user.active
    password_ok = verify_password(
        user.password_hash if user and known else _stand_in_hash(), password
    )
    if user is None or not known:
        raise Unauthenticated(REFUSED)
    if is_locked(user, now):
        raise Unauthenticated(REFUSED)  # as any refusal: see REFUSED
    if not password_ok:
        _count_failure(session, user, now)
        raise Unauthenticated(REFUSED)
    with transaction(session):
        clear_lockout(user)
    return issue_token(session=session, user=user, kind=kind, now=now, lifetime=lifetime)


def _count_failure(session: Session, user: User, now: datetime) -> None:
    """One more wrong password in a row, by login or by a change of one's own; the fifth
    locks the account for 15 minutes."""
    with transaction(session):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0


def is_locked(user: User, now: datetime) -> bool:
    """Whether the account's lock (`_count_failure`) still stands at `now`: a lock time
    gone by locks nothing, whether or not a later right password has cleared it."""
    return user.locked_until is not None and user.locked_until > now


def clear_lockout(user: User) -> None:
    """Forget the account's wrong passwords in a row and lift its lock: the one way every
    step that proves or vouches for the user (a right password at login or at a change of
    one's own, an administrator's unlock, new start password or reactivation) starts the
    count of `_count_failure` again. Kept in one place so that none of them forgets half
    of it (a counter cleared under a lock still standing, or the other way round). The
    caller owns the transaction."""
    user.failed_logins = 0
    user.locked_until = None


def actor_for_token(
    *, session: Session, token: str, now: datetime, request_id: str | None
) -> Actor:
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == _hash_token(token))
    ).first()
    if row is None:
        raise Unauthenticated("unknown or revoked token; log in again")
    api_token, user = row
    if api_token.expires_at <= now or not user.active:
        raise Unauthenticated("token expired; log in again")
    return actor_for_user(user, request_id=request_id)


def actor_for_user(user: User, *, request_id: str | None = None) -> Actor:
    """The account as it acts; a scope stored on an account whose role it does not belong
    to (`SCOPE_ROLES`, made before account changes checked it) counts for nothing."""
    role = Role(user.role)
    scopes = {
        name: getattr(user, name) if role in roles else None for name, roles in SCOPE_ROLES.items()
    }
    return Actor(
        user_id=user.id,
        username=user.username,
        role=role,
        principal_codes=frozenset(user.principal_codes),
        carrier_id=scopes["carrier_id"],
        care_unit=scopes["care_unit"],
        vehicle_id=scopes["vehicle_id"],
        traveller_id=scopes["traveller_id"],
        may_see_protected=user.may_see_protected,
        request_id=request_id,
    )


def logout(*, session: Session, token: str) -> None:
    with transaction(session):
        api_token = session.scalar(
            select(ApiToken).where(ApiToken.token_hash == _hash_token(token))
        )
        if api_token is not None:
            session.delete(api_token)


def change_own_password(
    *, session: Session, actor: Actor, token: str, current: str, new: str, now: datetime
) -> None:
    """A user's new password, given the one they have: a user could not change theirs at
    all, only an administrator could give a new one. A wrong current password counts as a
    failed login (five in a row lock the account for 15 minutes), so this form is no way
    round the login's limit; every other session and token of the account is revoked, the
    one in use (`token`) kept."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None:
        raise Forbidden("only an account with a password can change it", field="password")
    if is_locked(user, now):
        raise Forbidden(
            "too many wrong passwords: the account is locked for 15 minutes",
            field="current_password",
        )
    if not verify_password(user.password_hash, current):
        _count_failure(session, user, now)
        raise InputError("the current password is wrong", field="current_password")
    if new == current:
        raise InputError("the new password must differ from the current one", field="password")
    check_policy(new)
    with transaction(session):
        user.password_hash = hash_password(new)
        clear_lockout(user)
        session.execute(
            delete(ApiToken).where(
                ApiToken.user_id == user.id, ApiToken.token_hash != _hash_token(token)
            )
        )
        audit.record(
            session, actor, traveller_id=user.traveller_id, record_type="user",
            record_id=user.id, action="password_change", purpose="own password changed",
        )  # fmt: skip
