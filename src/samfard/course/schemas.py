"""API types of the course: lessons, a quiz without its answers, a graded attempt."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from samfard.schemas_common import NOT_A_TRUTH_VALUE


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

    # `true` was read as option 1 (the probe of 2026-12-06), and a question id of 100 000
    # characters came back whole in the refusal.
    answers: dict[
        Annotated[str, Field(min_length=1, max_length=200)],
        Annotated[int, Field(ge=0, le=20), NOT_A_TRUTH_VALUE],
    ] = Field(max_length=100, description="question id -> index of the chosen option")


class AttemptResult(BaseModel):
    id: int
    correct: int
    total: int
    percent: int
    passed: bool
    wrong: list[str]
    certified_until: date | None
