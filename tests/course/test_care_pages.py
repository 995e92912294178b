"""The pages /kurs, /intyg and /enheter without a browser: the same refusals, course and
certificates as the API, in Swedish."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.course.models import CourseAttempt
from samfard.course.service import attempt_course

UNIT = "Medicinmottagningen Sundsvall"


def log_in(
    client: TestClient, session: Session, username: str, role: Role, **extra: object
) -> None:
    create_user(session=session, username=username, password=STRONG_PASSWORD, role=role,
                now=NOW, **extra)  # type: ignore[arg-type]  # fmt: skip
    answer = client.post("/login", data=login_form(username, client), follow_redirects=False)
    assert answer.status_code == 303


def post(client: TestClient, url: str, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(
        url, data=fields | {"csrf_token": client.cookies[CSRF_COOKIE]}, follow_redirects=False
    )


def certificate_form(**changes: str) -> dict[str, str]:
    return {
        "personnummer": "19500505-1239",
        "fardsatt": "taxi",
        "tur-och-retur": "1",
        "giltig-fran": "2026-11-20",
        "giltig-till": "2026-12-31",
        "besoksplats": "sundsvalls-sjukhus",
        "besoksdag": "2026-11-25",
        "skal": "kan inte åka buss efter operationen",
        "bekraftat": "ja",  # as "Utfärda intyget" on the confirmation sends it
    } | changes


def answer_all(client: TestClient, session: Session, attempt_id: int, wrong: int) -> str:
    attempt = session.get(CourseAttempt, attempt_id)
    assert attempt is not None
    course = attempt_course(session=session, attempt=attempt)
    fields = {}
    for index, question_id in enumerate(attempt.question_ids):
        q = course.question(question_id)
        assert q is not None
        fields[f"fraga-{index + 1}"] = str(
            (q.answer + (1 if index < wrong else 0)) % 2 if index < wrong else q.answer
        )
    done = post(client, f"/kurs/prov/{attempt_id}", fields)
    assert done.status_code == 303
    return client.get(done.headers["location"]).text


def test_the_nurse_is_refused_takes_the_course_and_issues_from_the_page(
    app_client: TestClient, session: Session, stina: int
) -> None:
    log_in(app_client, session, "syster-stina", Role.CARE_ISSUER, principal_codes=["22"],
           care_unit=UNIT)  # fmt: skip
    page = app_client.get("/intyg")
    assert page.status_code == 200
    assert "Du är inte certifierad" in page.text
    refused = post(app_client, "/intyg", certificate_form())
    assert refused.status_code == 200
    assert "Du får inte utfärda sjukreseintyg" in refused.text
    assert 'href="/kurs"' in refused.text

    course = app_client.get("/kurs")
    assert "Region Västernorrland" in course.text
    assert "Avgifter och högkostnadsskydd" in course.text
    assert "2\u00a0400 kr" in course.text

    started = post(app_client, "/kurs/prov", {"huvudman": "22"})
    assert started.status_code == 303
    attempt_id = int(started.headers["location"].rsplit("/", 1)[1])
    quiz = app_client.get(started.headers["location"]).text
    assert len(re.findall(r"<fieldset", quiz)) == 20
    missing = post(app_client, f"/kurs/prov/{attempt_id}", {"fraga-1": "0"})
    assert missing.status_code == 200
    assert "Svara på fråga 2." in missing.text

    result = answer_all(app_client, session, attempt_id, wrong=0)
    assert "Godkänt: 20 av 20 rätt" in result

    issued = post(app_client, "/intyg", certificate_form())
    assert issued.status_code == 303, issued.text
    listing = app_client.get(issued.headers["location"]).text
    assert "Sjukreseintyget är utfärdat" in listing
    assert "Stina Testsson" in listing
    assert "Återkalla" in listing
    found = re.search(r'action="/intyg/(\d+)/aterkalla"', listing)
    assert found, "each certificate of the unit has its revocation form"
    number = found.group(1)
    asked = post(app_client, f"/intyg/{number}/aterkalla", {})
    assert (
        asked.status_code == 200 and "Återkalla sjukreseintyget för Stina Testsson?" in asked.text
    )
    revoked = post(app_client, f"/intyg/{number}/aterkalla",
                   {f"aterkalla-{number}": "Fel patient", "bekraftat": "ja"})  # fmt: skip
    assert revoked.status_code == 303, revoked.text
    said = app_client.get(revoked.headers["location"]).text
    assert "Sjukreseintyget är återkallat" in said, "the nurse is told it was done"


def test_bad_form_input_is_summarised_in_swedish(
    app_client: TestClient, session: Session, stina: int
) -> None:
    log_in(app_client, session, "syster-tova", Role.CARE_ISSUER, principal_codes=["22"],
           care_unit=UNIT)  # fmt: skip
    started = post(app_client, "/kurs/prov", {})
    answer_all(app_client, session, int(started.headers["location"].rsplit("/", 1)[1]), 0)
    page = post(app_client, "/intyg", certificate_form(fardsatt="", **{"giltig-till": ""}))
    assert page.status_code == 200
    assert "Det finns problem" in page.text
    assert 'href="#fardsatt"' in page.text and 'href="#giltig-till"' in page.text
    unknown = post(app_client, "/intyg", certificate_form(personnummer="19121212-1212"))
    assert 'href="#personnummer"' in unknown.text
    assert "Personnumret finns inte i registret" in unknown.text
    assert "no patient" not in unknown.text, "said in Swedish, no English in brackets"
    long = post(app_client, "/intyg", certificate_form(**{"giltig-till": "2036-12-01"}))
    assert "Ett intyg gäller högst 366 dagar" in long.text and "valid at most" not in long.text


def test_the_unit_follow_up_page_and_csv_answer_an_analyst(
    app_client: TestClient, session: Session
) -> None:
    log_in(app_client, session, "analytiker", Role.ANALYST, principal_codes=["22"])
    page = app_client.get("/enheter")
    assert page.status_code == 200
    assert "Uppföljning per enhet" in page.text
    csv = app_client.get("/enheter/uppfoljning.csv")
    assert csv.content.decode("utf-8-sig").startswith("enhet;huvudman;månad")


def test_an_assessor_of_both_regions_chooses_the_course_and_has_no_unit_to_issue_for(
    app_client: TestClient, session: Session
) -> None:
    log_in(app_client, session, "handlaggare", Role.ASSESSOR, principal_codes=["22", "23"])
    course = app_client.get("/kurs")
    assert course.status_code == 200
    assert "Region Västernorrland" in course.text and 'id="huvudman"' in course.text
    other = app_client.get("/kurs?huvudman=23")
    assert "Region Jämtland Härjedalen" in other.text and "Remisser till Norge" in other.text
    issuing = app_client.get("/intyg")
    assert issuing.status_code == 200
    assert "hör\n  inte till någon vårdenhet" in issuing.text


HIDDEN_HERE = {  # a protected patient in Västernorrland's register (the nurses' region)
    **ANNA,
    "personal_number": "19440707-2380",
    "first_name": "Hedda",
    "last_name": "Hemligsson",
    "protected_identity": True,
    "address": {
        "street": "Skolhusgatan 3",
        "postal_code": "852 31",
        "city": "Sundsvall",
        "municipality_code": "2281",
        "lat": 62.392,
        "lon": 17.301,
    },
}
HIDDEN_THERE = {  # a protected patient in Jämtland Härjedalen's register only
    **ANNA,
    "personal_number": "19620303-2476",
    "first_name": "Irma",
    "last_name": "Doldsdotter",
    "protected_identity": True,
}
# True both of an unknown number and of a protected patient the nurse may not see.
UNKNOWN = "Personnumret finns inte i registret, eller så kan patienten inte visas för dig."


def certified_nurse(client: TestClient, session: Session, username: str, **extra: object) -> None:
    log_in(client, session, username, Role.CARE_ISSUER, principal_codes=["22"],
           care_unit=UNIT, **extra)  # fmt: skip
    started = post(client, "/kurs/prov", {"huvudman": "22"})
    attempt_id = int(started.headers["location"].rsplit("/", 1)[1])
    assert "Godkänt" in answer_all(client, session, attempt_id, wrong=0)


def test_a_protected_patient_is_found_on_the_page_only_by_an_entitled_nurse_of_the_region(
    app_client: TestClient, session: Session
) -> None:
    here = token_for(session, Role.OPERATOR, now=NOW, username="op-22", principals=["22"])
    there = token_for(session, Role.OPERATOR, now=NOW, username="op-23", principals=["23"])
    register(app_client, here, HIDDEN_HERE)
    register(app_client, there, HIDDEN_THERE)

    # Without may_see_protected the protected patient is answered as an unknown number,
    # so the page is no oracle for who is protected, and nothing of them is shown.
    certified_nurse(app_client, session, "syster-utan")
    hidden = post(app_client, "/intyg", certificate_form(personnummer="19440707-2380"))
    unknown = post(app_client, "/intyg", certificate_form(personnummer="19121212-1212"))
    assert hidden.status_code == unknown.status_code == 200
    assert UNKNOWN in hidden.text and UNKNOWN in unknown.text
    typed = ('value="19440707-2380"', 'value="19121212-1212"')
    assert hidden.text.replace(typed[0], "N") == unknown.text.replace(typed[1], "N")
    # The words send her to the centre, not to register the patient again (a duplicate).
    assert "ring beställningscentralen" in hidden.text
    assert "registrera patienten" not in hidden.text
    assert "Hemligsson" not in hidden.text and "Hedda" not in hidden.text
    app_client.post("/logout", data={"csrf_token": app_client.cookies[CSRF_COOKIE]})
    app_client.cookies.clear()

    # Entitled (the flag only a system administrator grants): found in her region's
    # register and issued for; a protected patient of another region stays unknown.
    certified_nurse(app_client, session, "syster-med", may_see_protected=True)
    issued = post(app_client, "/intyg", certificate_form(personnummer="19440707-2380"))
    assert issued.status_code == 303, issued.text
    assert "Hedda Hemligsson" in app_client.get(issued.headers["location"]).text
    elsewhere = post(app_client, "/intyg", certificate_form(personnummer="19620303-2476"))
    assert UNKNOWN in elsewhere.text
    assert "Doldsdotter" not in elsewhere.text and "Irma" not in elsewhere.text
    found = session.scalars(
        select(AuditEntry).where(AuditEntry.purpose == "find patient for certificate")
    ).all()
    assert [entry.username for entry in found] == ["syster-med"]


def test_the_certificate_form_reads_dates_as_the_desk_does() -> None:
    """The desk took '7/12' and /intyg refused it; a date that cannot be read, or none
    where one is needed, is the field's error."""
    from datetime import date

    from samfard.care.certificate_form import form_date
    from samfard.web.shell import FormErrors

    today = date(2026, 12, 5)
    errors = FormErrors()
    form = {"giltig-fran": "7/12", "giltig-till": "2027-01-31", "besoksdag": "31/2"}
    assert form_date(form, "giltig-fran", today, errors) == date(2026, 12, 7)
    assert form_date(form, "giltig-till", today, errors) == date(2027, 1, 31)
    assert not errors
    assert form_date(form, "besoksdag", today, errors, required=False) is None
    assert form_date({}, "giltig-fran", today, errors) is None
    assert set(errors.messages) == {"besoksdag", "giltig-fran"}
