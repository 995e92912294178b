"""The outbox (utkorg): every message Samfard means to send, and what became of it.

A message is written in the transaction of the change that caused it (a booking moved, a
login code asked for, a serious deviation), so nothing is announced that was rolled back.
Delivery happens afterwards (`notify.service.deliver`), with retries; the row keeps what
was sent, when, how many tries it took and the provider's id, which is the record of what
a traveller or a principal was told.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from samfard.db import Base, UTCDateTime


class OutboxMessage(Base):
    """Outbox message (utgående meddelande) to a traveller (by SMS) or a user (inbox)."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(32))  # login_code | notice | deviation_alert ...
    channel: Mapped[str] = mapped_column(String(12))  # sms | inbox
    traveller_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    booking_id: Mapped[int | None] = mapped_column(Integer)
    principal_code: Mapped[str | None] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(80))  # phone number or username
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provider_ref: Mapped[str | None] = mapped_column(String(80))
    last_error: Mapped[str | None] = mapped_column(String(200))
