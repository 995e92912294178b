"""The course page /kurs: the lessons of the region's rules, the quiz, the result, and the
person's own certification.

Every step goes through the course services (`current_course`, `start_attempt`,
`submit_attempt`), so the page stores and audits attempts exactly as the API does. A
passed quiz shows each answer with the rule it rests on: the quiz is also the last
lesson. A failed one says which questions were wrong and which part of the course to
read, not the right answers: with them and a new quiz at once, the exam was passed by
trial and error in a minute. The next quiz waits `service.RETRY_WAIT`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.assessment.words_sv import citation_sv
from samfard.course import service
from samfard.course.bank import COURSE_RULES, Course, Question
from samfard.course.models import CourseAttempt
from samfard.course.words import CERTIFICATION_YEARS, COURSE_RULES_SV, PASS_PERCENT
from samfard.deps import NowDep, SessionDep
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM
from samfard.web.shell import FormDep, FormErrors, page_router
from samfard.web.templating import render
from samfard.web.typed import whole_number

router = page_router()


def _status(session: Session, actor: Actor, now: datetime) -> dict[str, Any]:
    """The person's certification as the page states it."""
    issuer = service.issuer_of(session, actor)
    today = now.astimezone(STOCKHOLM).date()
    if issuer is None or issuer.certified_until is None:
        return {"state": "none"}
    if issuer.certified_on(today):
        left = (issuer.certified_until - today).days
        return {
            "state": "expiring" if left <= service.EXPIRY_WARNING_DAYS else "valid",
            "until": issuer.certified_until,
            "unit": issuer.unit,
            "days_left": left,
        }
    return {"state": "lapsed", "until": issuer.certified_until}


@router.get("/kurs")
def course_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
    huvudman: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    """The lessons, the person's certification and attempts, and the button to the quiz.
    An account of several regions (an assessor) chooses the region; the first by default."""
    return _course(request, session, actor, now, principal=huvudman)


def _course(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    *,
    principal: str | None,
    refused: service.RetryTooSoon | None = None,
) -> Response:
    """The course page; with `refused`, the answer (429) to a quiz started too soon."""
    regions = service.course_regions(actor)
    chosen = principal or (regions[0][0] if regions else None)
    course = service.current_course(session=session, actor=actor, now=now, principal=chosen)
    wait = service.retry_at(session, actor, now)
    return render(
        request,
        "course/course.html",
        {
            "course": course,
            "status": _status(session, actor, now),
            "attempts": service.attempts_of(session=session, actor=actor),
            "pass_percent": PASS_PERCENT,
            "years": CERTIFICATION_YEARS,
            "regions": regions,
            "wait_sv": None if wait is None else service.RetryTooSoon(wait).detail_sv,
            "refused": refused is not None,
        },
        status_code=429 if refused is not None else 200,
    )


@router.post("/kurs/prov")
def start_quiz(
    request: Request,
    form: FormDep,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
) -> Response:
    principal = form.get("huvudman") or None
    try:
        attempt, _ = service.start_attempt(
            session=session, actor=actor, now=now, principal=principal
        )
    except service.RetryTooSoon as refused:
        return _course(request, session, actor, now, principal=principal, refused=refused)
    return RedirectResponse(f"/kurs/prov/{attempt.id}", status_code=303)


def rule_sv(question: Question) -> str:
    """The rule a question rests on, as care staff read it: the rulebook by region and
    version and the part of it in words, or the course's own rule; never a file or a key
    (the question keeps both for whoever checks it against the rulebook)."""
    if question.file == COURSE_RULES:
        return COURSE_RULES_SV.get(question.rule_key, "Kursens egna regler")
    return citation_sv(
        {"file": question.file, "key": question.rule_key, "valid_from": question.valid_from}
    )


def _questions(attempt: CourseAttempt, course: Course) -> list[dict[str, Any]]:
    rows = []
    lessons = {lesson.key: (number, lesson) for number, lesson in enumerate(course.lessons, 1)}
    for index, question_id in enumerate(attempt.question_ids):
        q = course.question(question_id)
        if q is None:
            continue
        given = (attempt.answers or {}).get(question_id)
        rows.append(
            {
                "field": f"fraga-{index + 1}",
                "number": index + 1,
                "question": q,
                "given": given,
                "right": given == q.answer,
                "rule": rule_sv(q),
                "lesson": lessons.get(q.module),
            }
        )
    return rows


def _quiz(
    request: Request,
    session: Session,
    actor: Actor,
    attempt_id: int,
    *,
    errors: FormErrors,
    chosen: dict[str, int] | None = None,
    refused: service.RetryTooSoon | None = None,
) -> Response:
    attempt = service.load_attempt(session=session, actor=actor, attempt_id=attempt_id)
    course = service.attempt_course(session=session, attempt=attempt)
    return render(
        request,
        "course/quiz.html",
        {
            "attempt": attempt,
            "course": course,
            "questions": _questions(attempt, course),
            "errors": errors,
            "chosen": chosen or {},
            "pass_percent": PASS_PERCENT,
            "status": None,
            "refused_sv": None if refused is None else refused.detail_sv,
            "wait_hours": round(service.RETRY_WAIT.total_seconds() / 3600),
        },
        status_code=429 if refused is not None else 200,
    )


@router.get("/kurs/prov/{attempt_id}")
def quiz_page(
    request: Request,
    attempt_id: RecordId,
    session: SessionDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
) -> Response:
    """An open quiz to answer, or a handed-in one with its result."""
    return _quiz(request, session, actor, attempt_id, errors=FormErrors())


@router.post("/kurs/prov/{attempt_id}")
def hand_in(
    request: Request,
    attempt_id: RecordId,
    form: FormDep,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.CERTIFICATES_ISSUE)],
) -> Response:
    """Grade the answers; every question must be answered first."""
    attempt = service.load_attempt(session=session, actor=actor, attempt_id=attempt_id)
    answers: dict[str, int] = {}
    chosen: dict[str, int] = {}
    errors = FormErrors()
    for index, question_id in enumerate(attempt.question_ids):
        field = f"fraga-{index + 1}"
        value = whole_number(form.get(field, ""), most=99)
        if value is None:
            errors.add(f"{field}-0", f"Svara på fråga {index + 1}.")
            continue
        answers[question_id] = value
        chosen[field] = value
    if errors:
        return _quiz(request, session, actor, attempt_id, errors=errors, chosen=chosen)
    try:
        service.submit_attempt(
            session=session, actor=actor, now=now, attempt_id=attempt_id, answers=answers
        )
    except service.RetryTooSoon as refused:
        return _quiz(request, session, actor, attempt_id, errors=errors, chosen=chosen,
                     refused=refused)  # fmt: skip
    return RedirectResponse(f"/kurs/prov/{attempt_id}", status_code=303)
