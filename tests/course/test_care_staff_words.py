"""Care staff read /kurs and /intyg in Swedish, on SQLite and PostgreSQL: the course names
its rulebook and each question's rule in words, never a file or a key, and a nurse who may
not issue is told why and what to do in Swedish, never the service's English.

A keyboard walk-through found "(rulebooks/22/sjukresa.toml)" on /kurs and, behind
"Teknisk uppgift" on /intyg, "you have not passed the course in the sjukresa rules, …
take the course at /kurs"."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from test_care_pages import UNIT, answer_all, certificate_form, log_in, post

from samfard.access.permissions import Role
from samfard.course.bank import COURSE_RULES
from samfard.course.models import CourseAttempt
from samfard.course.service import attempt_course
from samfard.travellers.models import Issuer

# A file, a key of a rulebook, or an English sentence of the service.
INTERNAL = re.compile(
    r"rulebooks/|\.toml|docs/|\w\[\d+\]|\b[a-z]+_[a-z_]+\b|\byou\b|\bcourse\b|\bthe\b"
)


def _text(html: str) -> str:
    """The page's main content as read (tags out, entities read)."""
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found is not None
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(0))))


@pytest.mark.parametrize("region", ["22", "23"])
def test_the_course_and_its_result_name_every_rule_in_words(
    app_client: TestClient, session: Session, region: str
) -> None:
    log_in(app_client, session, f"syster-{region}", Role.CARE_ISSUER,
           principal_codes=[region], care_unit=UNIT)  # fmt: skip
    course = _text(app_client.get("/kurs").text)
    assert "reglerna för sjukresor som gäller från" in course
    assert not INTERNAL.search(course), INTERNAL.search(course)

    started = post(app_client, "/kurs/prov", {"huvudman": region})
    attempt_id = int(started.headers["location"].rsplit("/", 1)[1])
    attempt = session.get(CourseAttempt, attempt_id)
    assert attempt is not None
    bank = attempt_course(session=session, attempt=attempt).questions
    assert any(q.file == COURSE_RULES for q in bank), "the course's own rules are asked too"
    attempt.question_ids = [q.id for q in bank]  # every question, so every rule is named
    session.flush()
    result = _text(answer_all(app_client, session, attempt_id, wrong=len(bank)))
    rules = re.findall(r"Regel: (.*?)(?= \d|$| Tillbaka)", result)
    assert len(result.split("Regel: ")) == len(bank) + 1, "each answer names its rule"
    assert not INTERNAL.search(result), INTERNAL.search(result)
    assert "Kursens regler: bara certifierade intygsutfärdare utfärdar sjukreseintyg" in result
    assert re.search(r"från \d{4}-\d\d-\d\d, färdsätt \(taxi\): avgift", result), rules[:3]


def _issuer(session: Session, username: str, unit: str, until: date) -> None:
    """An issuer row of the account, certified at `unit` until `until`."""
    session.add(
        Issuer(hsa_id=f"SAMFARD-{username}", name=username, unit=unit, principal_code="22",
               course_passed_on=date(2025, 1, 10), certified_until=until, username=username)
    )  # fmt: skip
    session.flush()


@pytest.mark.parametrize(
    ("certified", "said"),
    [
        (None, "Du har inte klarat kursen i sjukreseregler. Gå kursen och gör provet"),
        (("lapsed", date(2026, 11, 1)), "Din certifiering gick ut 2026-11-01. Gör provet igen"),
        (
            ("Hälsocentral Kramfors", date(2027, 1, 10)),
            f"Du är certifierad vid Hälsocentral Kramfors, inte vid {UNIT}.",
        ),
    ],
    ids=["never", "lapsed", "other-unit"],
)
def test_a_nurse_who_may_not_issue_is_told_why_in_swedish(
    app_client: TestClient,
    session: Session,
    stina: int,
    certified: tuple[str, date] | None,
    said: str,
) -> None:
    username = "syster-ylva"
    if certified is not None:
        unit, until = certified
        _issuer(session, username, UNIT if unit == "lapsed" else unit, until)
    log_in(app_client, session, username, Role.CARE_ISSUER, principal_codes=["22"],
           care_unit=UNIT)  # fmt: skip
    refused = post(app_client, "/intyg", certificate_form())
    assert refused.status_code == 200
    page = _text(refused.text)
    assert "Du får inte utfärda sjukreseintyg" in page and said in page, page
    assert 'href="/kurs"' in refused.text
    assert re.search(r'role="alert"[^>]*autofocus', refused.text), "the keyboard lands on it"
    assert "Teknisk uppgift" not in page and not INTERNAL.search(page), INTERNAL.search(page)


def test_the_api_refusal_carries_the_swedish_text_too(
    app_client: TestClient, session: Session, nurse: str, stina: int
) -> None:
    refused = app_client.post(
        "/api/v1/care/certificates",
        json={"traveller_id": stina, "mode": "taxi", "covers_return": True,
              "valid_from": "2026-11-20", "valid_until": "2026-12-31",
              "reason": "kan inte åka buss"},
        headers={"Authorization": f"Bearer {nurse}"},
    )  # fmt: skip
    assert refused.status_code == 403, refused.text
    problem = refused.json()
    assert problem["course"] == "/kurs" and "take the course" in problem["detail"]
    assert problem["detail_sv"].startswith("Du har inte klarat kursen i sjukreseregler.")
