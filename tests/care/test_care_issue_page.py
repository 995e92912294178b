"""/intyg as care staff meet it, on SQLite and PostgreSQL: an empty or wrong form lists
every field's problem at once, each linked to its field; a nurse who may not issue sees
why and the way to the course instead of a form to fill in for nothing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.travellers.models import Certificate, Issuer

UNIT = "Medicinmottagningen Sundsvall"
PATIENT = {**ANNA, "personal_number": "19500505-1239", "first_name": "Stina",
           "address": {"street": "Storgatan 10", "postal_code": "852 30", "city": "Sundsvall",
                       "municipality_code": "2281", "lat": 62.3908, "lon": 17.3069}}  # fmt: skip


@pytest.fixture
def patient(app_client: TestClient, session: Session) -> int:
    operator = token_for(session, Role.OPERATOR, now=NOW, principals=["22"])
    return register(app_client, operator, PATIENT)


def _nurse(client: TestClient, session: Session, username: str, *, certified: bool) -> None:
    """A nurse of the unit, logged in; certified at the unit when `certified`."""
    create_user(session=session, username=username, password=STRONG_PASSWORD,
                role=Role.CARE_ISSUER, now=NOW, principal_codes=["22"], care_unit=UNIT)  # fmt: skip
    if certified:
        session.add(
            Issuer(hsa_id=f"SAMFARD-{username}", name=username, unit=UNIT, principal_code="22",
                   course_passed_on=date(2026, 1, 10), certified_until=date(2028, 1, 9),
                   username=username)
        )  # fmt: skip
        session.flush()
    answer = client.post("/login", data=login_form(username, client), follow_redirects=False)
    assert answer.status_code == 303


def _issue(client: TestClient, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    """The form as confirmed ("Utfärda intyget" on the confirmation sends bekraftat=ja)."""
    data = fields | {"bekraftat": "ja", "csrf_token": client.cookies[CSRF_COOKIE]}
    return client.post("/intyg", data=data, follow_redirects=False)


def _summary(page: str) -> list[str]:
    """The fields the error summary links to, in its order."""
    found = re.search(r"<div class=\"error-summary\".*?</div>", page, re.S)
    assert found, "the page has an error summary"
    return re.findall(r'href="#([^"]+)"', found.group())


def test_an_empty_form_lists_every_missing_field_at_once(
    app_client: TestClient, session: Session, patient: int
) -> None:
    _nurse(app_client, session, "syster-alma", certified=True)
    answer = _issue(app_client, {"giltig-fran": "", "tur-och-retur": "1"})
    assert answer.status_code == 200
    assert _summary(answer.text) == ["personnummer", "fardsatt", "giltig-fran", "giltig-till",
                                     "skal"]  # fmt: skip
    for field in ("personnummer", "fardsatt", "giltig-fran", "giltig-till", "skal"):
        assert f'id="{field}-error"' in answer.text, f"{field} shows its own message"
    assert "Skriv patientens personnummer" in answer.text and "Välj färdsätt." in answer.text
    assert session.scalars(select(Certificate)).all() == []


def test_wrong_fields_and_dates_that_do_not_fit_are_said_together(
    app_client: TestClient, session: Session, patient: int
) -> None:
    _nurse(app_client, session, "syster-berit", certified=True)
    answer = _issue(app_client, {
        "personnummer": "19121212-1212",  # not in the unit's register
        "fardsatt": "helikopter",
        "giltig-fran": "2026-11-25",
        "giltig-till": "2026-11-22",  # before the first day
        "besoksdag": "31/2",
        "skal": "x",
    })  # fmt: skip
    assert _summary(answer.text) == ["personnummer", "fardsatt", "giltig-till", "besoksdag",
                                     "skal"]  # fmt: skip
    for said in ("Personnumret finns inte i registret", "Välj färdsätt.",
                 "Sista giltighetsdag kan inte vara före den första.", "Datumet finns inte",
                 "Skriv det medicinska skälet kort"):  # fmt: skip
        assert said in answer.text, said
    assert session.scalars(select(Certificate)).all() == []


def test_a_right_form_still_issues(app_client: TestClient, session: Session, patient: int) -> None:
    _nurse(app_client, session, "syster-cissi", certified=True)
    answer = _issue(app_client, {
        "personnummer": PATIENT["personal_number"], "fardsatt": "taxi", "tur-och-retur": "1",
        "giltig-fran": "2026-11-20", "giltig-till": "2026-12-31",
        "besoksplats": "sundsvalls-sjukhus", "besoksdag": "25/11",
        "skal": "kan inte åka buss efter operationen",
    })  # fmt: skip
    assert answer.status_code == 303, answer.text
    certificate = session.scalars(select(Certificate)).one()
    assert (certificate.traveller_id, certificate.visit_on) == (patient, date(2026, 11, 25))


def test_a_nurse_who_has_not_passed_the_course_gets_the_way_there_and_no_form(
    app_client: TestClient, session: Session, patient: int
) -> None:
    _nurse(app_client, session, "syster-doris", certified=False)
    page = app_client.get("/intyg")
    assert page.status_code == 200
    assert "Du är inte certifierad att utfärda sjukreseintyg" in page.text
    assert "Du har inte klarat kursen i sjukreseregler." in page.text
    assert '<a href="/kurs">Gå kursen och gör provet</a>' in page.text
    assert 'method="post" action="/intyg"' not in page.text and "Utfärda intyget" not in page.text
    refused = _issue(app_client, {})  # a form sent from an old tab: refused, not checked
    assert "Du får inte utfärda sjukreseintyg" in refused.text
    assert "data-error-summary" in refused.text and 'href="#personnummer"' not in refused.text
