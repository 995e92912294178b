"""Use cases of the outbox: put a message in it, deliver what is due, read a user's inbox.

`enqueue_*` run in the caller's transaction (the message exists only if the change that
caused it is committed). `deliver` runs after commit, from the page that needs a message
out at once (a login code) or from `samfard notify deliver` (cron, or a loop beside the
server): each due message is tried, a failure is retried with a growing pause
(1, 2, 4, 8 ... minutes) up to MAX_ATTEMPTS, then the message is marked failed with the
reason, which an operator can see.

A message whose text is a secret (a login code, `SECRETS`) keeps it only until it is sent,
given up, or dead: then the row says what kind of message went, not the secret.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.db import transaction
from samfard.notify.models import OutboxMessage
from samfard.notify.senders import Outgoing, Sender, SendError
from samfard.travellers.models import Traveller

MAX_ATTEMPTS = 5
FIRST_PAUSE = timedelta(minutes=1)


@dataclass(frozen=True)
class Secret:
    """A kind of message whose text holds a secret needed only to send it."""

    kept_text: str  # what the row says once the message has gone or been given up
    lifetime: timedelta  # after it the secret is dead: it is not sent, only forgotten


# A login code to Mina resor (`access.login_codes`): only the code's hash is stored, so
# the outbox keeps the text until the SMS has gone (or the code is dead); left there,
# anyone reading the database or a backup could log in while the code lived.
SECRETS = {
    "login_code": Secret(
        kept_text="Engångskod till Mina resor (koden sparas inte).",
        lifetime=timedelta(minutes=10),
    ),
}


def enqueue_for_traveller(
    session: Session,
    *,
    traveller: Traveller,
    kind: str,
    text: str,
    now: datetime,
    booking_id: int | None = None,
) -> OutboxMessage | None:
    """An SMS to the traveller's phone, in the caller's transaction; None when the register
    holds no phone (nothing can be sent, and nothing is pretended)."""
    if not traveller.phone:
        return None
    message = OutboxMessage(
        created_at=now,
        kind=kind,
        channel="sms",
        traveller_id=traveller.id,
        booking_id=booking_id,
        recipient=traveller.phone,
        text=text,
        status="pending",
        attempts=0,
        next_attempt_at=now,
    )
    session.add(message)
    session.flush()
    return message


def enqueue_for_user(
    session: Session,
    *,
    user_id: int,
    username: str,
    kind: str,
    text: str,
    now: datetime,
    principal_code: str | None = None,
) -> OutboxMessage:
    """A message to a staff user's inbox (shown on their pages), delivered at once."""
    message = OutboxMessage(
        created_at=now,
        kind=kind,
        channel="inbox",
        user_id=user_id,
        principal_code=principal_code,
        recipient=username,
        text=text,
        status="sent",
        attempts=1,
        next_attempt_at=now,
        sent_at=now,
        provider_ref="inbox",
    )
    session.add(message)
    session.flush()
    return message


@dataclass(frozen=True)
class Delivery:
    """What one round of delivery did."""

    sent: int
    retried: int
    failed: int


def deliver(
    session: Session,
    *,
    sender: Sender,
    now: datetime,
    ids: Sequence[int] | None = None,
    limit: int = 200,
) -> Delivery:
    """Try every due pending message (or only `ids`); each outcome is committed per message,
    so a gateway that fails half-way leaves the sent ones recorded as sent."""
    statement = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if ids is not None:
        statement = statement.where(OutboxMessage.id.in_(list(ids)))
    due = list(session.scalars(statement))
    sent = retried = failed = 0
    for message_id in due:
        with transaction(session):
            message = session.get(OutboxMessage, message_id)
            if message is None or message.status != "pending":
                continue
            secret = SECRETS.get(message.kind)
            if secret is not None and message.created_at + secret.lifetime <= now:
                message.status = "failed"
                message.last_error = "the secret expired before it could be sent"
                message.text = secret.kept_text
                failed += 1
                continue
            outgoing = Outgoing(
                message.id, message.kind, message.channel, message.recipient, message.text
            )
            message.attempts += 1
            try:
                message.provider_ref = sender.send(outgoing)[:80]
            except SendError as error:
                message.last_error = str(error)[:200]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = "failed"
                    message.text = secret.kept_text if secret else message.text
                    failed += 1
                else:
                    message.next_attempt_at = now + FIRST_PAUSE * 2 ** (message.attempts - 1)
                    retried += 1
                continue
            message.status = "sent"
            message.sent_at = now
            message.last_error = None
            message.text = secret.kept_text if secret else message.text
            sent += 1
    return Delivery(sent, retried, failed)


def inbox(session: Session, *, actor: Actor, limit: int = 20) -> list[OutboxMessage]:
    """The signed-in user's own inbox messages, newest first (no one reads another's)."""
    if actor.user_id is None:
        return []
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.channel == "inbox", OutboxMessage.user_id == actor.user_id)
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )
