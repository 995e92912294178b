"""Routes of the course under /api/v1/course: the lessons, a quiz, handing it in, and the
certifications about to lapse."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.course import service
from samfard.course.bank import Course
from samfard.course.models import CourseAttempt
from samfard.course.schemas import (
    AttemptAnswers,
    AttemptPublic,
    AttemptResult,
    AttemptStart,
    CoursePublic,
    LessonPublic,
    QuizQuestion,
)
from samfard.deps import NowDep, SessionDep
from samfard.schemas_common import RecordId

router = APIRouter(prefix="/course", tags=["course"])


def course_public(course: Course) -> CoursePublic:
    return CoursePublic(
        principal=course.principal,
        principal_name=course.principal_name,
        rulebook=course.file,
        valid_from=course.valid_from,
        lessons=[
            LessonPublic(key=x.key, title=x.title, paragraphs=list(x.paragraphs))
            for x in course.lessons
        ],
        questions_in_bank=len(course.questions),
    )


def attempt_public(attempt: CourseAttempt, course: Course) -> AttemptPublic:
    questions = []
    for question_id in attempt.question_ids:
        q = course.question(question_id)
        if q is not None:
            questions.append(
                QuizQuestion(
                    id=q.id,
                    module=q.module,
                    rule=f"{q.file} {q.rule_key}, from {q.valid_from}",
                    text=q.text,
                    options=list(q.options),
                )
            )
    return AttemptPublic(
        id=attempt.id,
        principal_code=attempt.principal_code,
        rulebook_valid_from=attempt.rulebook_valid_from,
        seed=attempt.seed,
        started_at=attempt.started_at,
        finished_at=attempt.finished_at,
        correct=attempt.correct,
        total=attempt.total,
        passed=attempt.passed,
        questions=questions,
    )


@router.get("")
def read_course(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
    principal: Annotated[str | None, Query(description="the region (default: your own)")] = None,
) -> CoursePublic:
    course = service.current_course(session=session, actor=actor, now=now, principal=principal)
    return course_public(course)


@router.post("/attempts", status_code=201)
def start_attempt(
    data: AttemptStart,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
) -> AttemptPublic:
    attempt, course = service.start_attempt(
        session=session, actor=actor, now=now, principal=data.principal
    )
    return attempt_public(attempt, course)


@router.post("/attempts/{attempt_id}/answers")
def hand_in(
    attempt_id: RecordId,
    data: AttemptAnswers,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
) -> AttemptResult:
    result = service.submit_attempt(
        session=session, actor=actor, now=now, attempt_id=attempt_id, answers=data.answers
    )
    return AttemptResult(
        id=result.attempt.id,
        correct=result.graded.correct,
        total=result.graded.total,
        percent=result.graded.percent,
        passed=result.graded.passed,
        wrong=list(result.graded.wrong),
        certified_until=None if result.issuer is None else result.issuer.certified_until,
    )


@router.get("/expiring")
def expiring(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.ISSUERS_ADMIN)],
    within_days: Annotated[int, Query(ge=1, le=730)] = service.EXPIRY_WARNING_DAYS,
) -> list[service.Expiring]:
    return service.expiring(session=session, actor=actor, now=now, within_days=within_days)
