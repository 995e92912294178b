"""Course attempts: who took which quiz, drawn from which rulebook version, and how it went."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samfard.db import Base, UTCDateTime


class CourseAttempt(Base):
    """One quiz of the course (kursförsök): the questions drawn, the answers, the result.

    The rulebook version is kept so the attempt is graded against the questions it was
    drawn from, even when a new version comes into force while the quiz is open.
    """

    __tablename__ = "course_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    care_unit: Mapped[str | None] = mapped_column(String(120), index=True)
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"))
    rulebook_file: Mapped[str] = mapped_column(String(80))
    rulebook_valid_from: Mapped[date] = mapped_column(Date)
    seed: Mapped[int] = mapped_column(Integer)
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    correct: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
