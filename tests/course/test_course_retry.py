"""The exam cannot be passed by trial and error: a failed quiz says which questions were
wrong and where the course explains them, never the right answers, and the next quiz
waits RETRY_WAIT (a nurse passed in a minute by failing, reading the answers, retrying)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy.orm import Session
from test_care_pages import UNIT, answer_all, log_in, post

from helpers import auth
from samfard.access.permissions import Role
from samfard.clock import FixedClock
from samfard.course.models import CourseAttempt
from samfard.course.service import RETRY_WAIT, attempt_course

START = "/api/v1/course/attempts"


def _start(client: TestClient) -> int:
    started = post(client, "/kurs/prov", {"huvudman": "22"})
    assert started.status_code == 303, started.text
    return int(started.headers["location"].rsplit("/", 1)[1])


def test_a_failed_quiz_names_the_wrong_questions_and_their_part_but_no_right_answer(
    app_client: TestClient, session: Session
) -> None:
    log_in(app_client, session, "syster-fel", Role.CARE_ISSUER, principal_codes=["22"],
           care_unit=UNIT)  # fmt: skip
    attempt_id = _start(app_client)
    result = answer_all(app_client, session, attempt_id, wrong=6)
    assert "Inte godkänt: 14 av 20 rätt" in result
    assert "Rätt svar" not in result and "Ditt svar" not in result
    assert result.count("Fel svar.") == 6
    assert len(re.findall(r'href="/kurs#del-[a-z]+"', result)) == 6, "each points to its part"
    attempt = session.get(CourseAttempt, attempt_id)
    assert attempt is not None
    course = attempt_course(session=session, attempt=attempt)
    items = result.split('<li class="')[1:]
    for index, question_id in enumerate(attempt.question_ids[:6]):
        question = course.question(question_id)
        assert question is not None and items[index].startswith("wrong")
        said = items[index].split(str(escape(question.text)), 1)[1].split("Regel:", 1)[0]
        said = re.sub(r"<a [^>]*>.*?</a>", "", said)  # the part's number and title
        right = str(escape(question.options[question.answer]))
        assert right not in said, "no right answer to a wrong one"
    assert 'id="del-intyg"' in app_client.get("/kurs").text, "the parts can be linked to"


def test_the_next_quiz_waits_after_a_failure_and_says_when(
    app_client: TestClient, session: Session
) -> None:
    log_in(app_client, session, "syster-vanta", Role.CARE_ISSUER, principal_codes=["22"],
           care_unit=UNIT)  # fmt: skip
    opened_before = _start(app_client)  # a second quiz opened side by side
    answer_all(app_client, session, _start(app_client), wrong=6)

    course = app_client.get("/kurs").text
    # NOW (tests/helpers.py) is Friday 20 November 2026, 10:00 in Stockholm.
    said = "Du kan göra provet igen tidigast lördag 21 november 2026 kl. 10:00"
    assert said in course
    assert "Starta provet" not in course, "no button that only leads to a refusal"
    again = post(app_client, "/kurs/prov", {"huvudman": "22"})
    assert again.status_code == 429 and said in again.text

    # The quiz opened before the failure cannot be handed in meanwhile either.
    late = post(app_client, f"/kurs/prov/{opened_before}",
                {f"fraga-{n}": "0" for n in range(1, 21)})  # fmt: skip
    assert late.status_code == 429 and "Provet kan inte lämnas in nu" in late.text


def test_the_api_refuses_a_quiz_too_soon_with_when_in_swedish(
    app_client: TestClient, session: Session, nurse: str, clock: FixedClock
) -> None:
    started = app_client.post("/api/v1/course/attempts", json={}, headers=auth(nurse)).json()
    handed = app_client.post(f"/api/v1/course/attempts/{started['id']}/answers",
                             json={"answers": {q["id"]: 9 for q in started["questions"]}},
                             headers=auth(nurse))  # fmt: skip
    assert handed.json()["passed"] is False
    assert "answer" not in handed.text.replace("answers", ""), "no right answers in the API"
    again = app_client.post("/api/v1/course/attempts", json={}, headers=auth(nurse))
    assert again.status_code == 429
    problem = again.json()
    assert datetime.fromisoformat(problem["retry_at"]) == clock.now() + RETRY_WAIT
    assert problem["detail_sv"].startswith("Du kan göra provet igen tidigast lördag 21 november")

    clock.advance(RETRY_WAIT - timedelta(minutes=1))
    assert app_client.post(START, json={}, headers=auth(nurse)).status_code == 429
    clock.advance(timedelta(minutes=1))
    assert app_client.post(START, json={}, headers=auth(nurse)).status_code == 201
