"""One-time login codes for travellers' accounts (engångskod per SMS).

A traveller types their personnummer; if it belongs to a traveller with an active
traveller account and a phone in the register, a six-digit code is put in the outbox for
that phone. The answer is the same whether or not anything was sent, so the page tells no
one who has an account. The code lives CODE_LIFETIME, allows MAX_TRIES wrong tries and is
used once; only its SHA-256 (salted with the account id) is stored. The SMS's text holds
the code only until it is delivered (or the code is dead): the outbox then keeps
"Engångskod till Mina resor" without it (`notify.service.SECRETS`). A correct code gives
the same page session as a password login (`service.issue_token(kind="session")`).

BankID would replace the code step: the seam is `login_with_identity`, which takes a
personnummer an identity provider has verified (docs/travellers.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.models import LoginCode, User
from samfard.access.permissions import Role
from samfard.access.service import issue_token
from samfard.db import transaction
from samfard.errors import InputError, Unauthenticated
from samfard.notify.service import SECRETS, enqueue_for_traveller
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller
from samfard.travellers.personnummer import parse_personal_number

# The outbox forgets a code's text when it is sent or when the code dies, whichever comes
# first: one lifetime for both.
CODE_LIFETIME = SECRETS["login_code"].lifetime
MAX_TRIES = 5
# A second ask within this time sends nothing and keeps the first code: reloading the
# "Skriv koden" page posted the personnummer again, sent a new SMS and killed the code
# the traveller was typing (and a loop could send SMS after SMS).
RESEND_AFTER = timedelta(seconds=60)
REFUSED = "wrong or expired code; ask for a new one"


def _hash(user_id: int, code: str) -> str:
    return hashlib.sha256(f"samfard-code:{user_id}:{code}".encode()).hexdigest()


def traveller_account(
    session: Session, personal_number: str, *, now: datetime
) -> tuple[User, Traveller] | None:
    """The active traveller account of the person with this personnummer, if any."""
    try:
        number = parse_personal_number(
            personal_number, today=now.astimezone(STOCKHOLM).date()
        ).value
    except InputError:
        return None
    traveller = session.scalar(select(Traveller).where(Traveller.personal_number == number))
    if traveller is None:
        return None
    user = session.scalar(
        select(User).where(
            User.traveller_id == traveller.id,
            User.role == Role.TRAVELLER.value,
            User.active.is_(True),
        )
    )
    return (user, traveller) if user is not None else None


def request_code(session: Session, *, personal_number: str, now: datetime) -> int | None:
    """Put a new code in the outbox for the person's phone; returns the outbox message id
    to deliver at once, or None when nothing was sent (no account, no phone, or a code
    sent less than RESEND_AFTER ago, which stands)."""
    with transaction(session):
        found = traveller_account(session, personal_number, now=now)
        if found is None:
            return None
        user, traveller = found
        if _sent_just_now(session, user.id, now):
            return None  # the code sent a moment ago stands (see RESEND_AFTER)
        code = f"{secrets.randbelow(10**6):06d}"
        message = enqueue_for_traveller(
            session,
            traveller=traveller,
            kind="login_code",
            text=f"Din kod till Mina resor: {code}. Koden gäller i 10 minuter.",
            now=now,
        )
        if message is None:
            return None
        for old in session.scalars(
            select(LoginCode).where(LoginCode.user_id == user.id, LoginCode.used.is_(False))
        ):
            old.used = True  # only the newest code works
        session.add(
            LoginCode(
                user_id=user.id,
                code_hash=_hash(user.id, code),
                created_at=now,
                expires_at=now + CODE_LIFETIME,
                tries=0,
                used=False,
            )
        )
    return message.id


def _sent_just_now(session: Session, user_id: int, now: datetime) -> bool:
    """Whether a live code went to the account less than RESEND_AFTER ago."""
    latest = session.scalar(
        select(LoginCode.created_at)
        .where(LoginCode.user_id == user_id, LoginCode.used.is_(False), LoginCode.expires_at > now)
        .order_by(LoginCode.created_at.desc())
        .limit(1)
    )
    return latest is not None and now - latest < RESEND_AFTER


def login_with_code(session: Session, *, personal_number: str, code: str, now: datetime) -> str:
    """A page session token for a correct, fresh, unused code; otherwise Unauthenticated
    (the same message for every reason)."""
    with transaction(session):
        found = traveller_account(session, personal_number, now=now)
        if found is None:
            raise Unauthenticated(REFUSED)
        user, _ = found
        stored = session.scalar(
            select(LoginCode)
            .where(LoginCode.user_id == user.id, LoginCode.used.is_(False))
            .order_by(LoginCode.created_at.desc(), LoginCode.id.desc())
            .limit(1)
        )
        if stored is None or stored.expires_at <= now or stored.tries >= MAX_TRIES:
            ok = False
        else:
            ok = hmac.compare_digest(stored.code_hash, _hash(user.id, code.strip()))
            stored.tries += 1
            stored.used = ok or stored.tries >= MAX_TRIES
    if not ok:
        raise Unauthenticated(REFUSED)
    return issue_token(session=session, user=user, kind="session", now=now)


def login_with_identity(session: Session, *, personal_number: str, now: datetime) -> str:
    """The BankID seam: a personnummer already verified by an identity provider (BankID,
    Freja eID) gives the traveller's page session. No route calls it yet."""
    found = traveller_account(session, personal_number, now=now)
    if found is None:
        raise Unauthenticated("no traveller account for this person")
    return issue_token(session=session, user=found[0], kind="session", now=now)
