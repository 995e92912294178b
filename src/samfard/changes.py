"""The change feed: a table every process appends to and every process reads.

Pages that follow the live day (/trafik, the driver's page /forare) are told of changes by
server-sent events. A change written by one API process or worker must reach a browser
connected to another process, so the feed lives in the database, not in memory: a change
is a row (`topic`, `ref_id`) written in the transaction of the work it describes (so a
rolled-back change is never announced), and each open stream polls for rows newer than it
has seen. Topics name what changed, never a person: "plan:2026-11-23" (a day's plan),
"run:42" (one run's stops and reports), "job:<id>" (a background job's progress).

Sequence numbers may commit out of order on PostgreSQL (a transaction that took id 7 can
commit after one that took id 8), so a reader looks back `LOOKBACK` ids below the highest
it saw and skips the ids it already sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from samfard.db import Base, UTCDateTime

LOOKBACK = 100


class Change(Base):
    """Change: one announced change of the live day (what changed, not how)."""

    __tablename__ = "change_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    ref_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class ChangeNote:
    """A change as a stream sends it."""

    id: int
    topic: str
    kind: str
    ref_id: int | None


def announce(
    session: Session, *, topic: str, kind: str, at: datetime, ref_id: int | None = None
) -> None:
    """Append a change inside the caller's transaction (committed or rolled back with it)."""
    session.add(Change(topic=topic, kind=kind, ref_id=ref_id, at=at))


def last_id(session: Session) -> int:
    """The newest change's id (0 when none): where a new stream starts."""
    return int(session.scalar(select(func.coalesce(func.max(Change.id), 0))) or 0)


@dataclass
class Cursor:
    """What one stream has sent: the highest id and the ids in the look-back window."""

    high: int
    sent: set[int]

    @classmethod
    def start(cls, session: Session) -> Cursor:
        """A cursor past every change already stored: a new stream sends only news."""
        high = last_id(session)
        ids = session.scalars(select(Change.id).where(Change.id > high - LOOKBACK))
        return cls(high=high, sent=set(ids))

    def read(self, session: Session, topics: Iterable[str]) -> list[ChangeNote]:
        """Changes of `topics` not yet sent, oldest first."""
        wanted = list(topics)
        rows = session.scalars(
            select(Change)
            .where(Change.id > self.high - LOOKBACK, Change.topic.in_(wanted))
            .order_by(Change.id)
        )
        fresh = [ChangeNote(r.id, r.topic, r.kind, r.ref_id) for r in rows if r.id not in self.sent]
        for note in fresh:
            self.sent.add(note.id)
        top = session.scalar(select(func.coalesce(func.max(Change.id), 0))) or 0
        self.high = max(self.high, int(top))
        self.sent = {i for i in self.sent if i > self.high - LOOKBACK}
        return fresh
