"""API types of the course: lessons, a quiz without its answers, a graded attempt."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class LessonPublic(BaseModel):
    key: str
    title: str
    paragraphs: list[str]


class CoursePublic(BaseModel):
    principal: str
    principal_name: str
    rulebook: str
    valid_from: date
    lessons: list[LessonPublic]
    questions_in_bank: int


class QuizQuestion(BaseModel):
    """A question as the quiz shows it: never the right answer."""

    id: str
    module: str
    rule: str = Field(description="the rule it tests: file key, from valid_from")
    text: str
    options: list[str]


class AttemptStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    principal: str | None = Field(default=None, description="the region (default: your own)")


class AttemptPublic(BaseModel):
    id: int
    principal_code: str
    rulebook_valid_from: date
    seed: int
    started_at: datetime
    finished_at: datetime | None
    correct: int | None
    total: int
    passed: bool | None
    questions: list[QuizQuestion]


class AttemptAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, int] = Field(description="question id -> index of the chosen option")


class AttemptResult(BaseModel):
    id: int
    correct: int
    total: int
    percent: int
    passed: bool
    wrong: list[str]
    certified_until: date | None
