"""/intyg and /enheter over HTTP: the same certificate is not written twice, revoking asks
first (the reason in the question, its fault there), an uncertified nurse is told she may
still revoke (as the service allows), and /enheter names each principal."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_care_pages import certificate_form, certified_nurse, log_in, post

from samfard.access.permissions import Role
from samfard.travellers.models import Certificate


def test_an_identical_valid_certificate_is_refused_with_what_to_do(
    app_client: TestClient, session: Session, stina: int
) -> None:
    certified_nurse(app_client, session, "syster-dubbel")
    assert post(app_client, "/intyg", certificate_form()).status_code == 303
    twice = post(app_client, "/intyg", certificate_form())
    assert twice.status_code == 200
    assert "Patienten har redan ett likadant giltigt intyg" in twice.text
    assert 'href="#personnummer"' in twice.text
    assert len(session.scalars(select(Certificate)).all()) == 1
    # Another visit day is another certificate.
    other = post(app_client, "/intyg", certificate_form(besoksdag="2026-11-26"))
    assert other.status_code == 303
    # Once the first is revoked, the same one may be written again.
    first = session.scalars(select(Certificate).order_by(Certificate.id)).first()
    assert first is not None
    done = post(app_client, f"/intyg/{first.id}/aterkalla",
                {f"aterkalla-{first.id}": "Fel datum", "bekraftat": "ja"})  # fmt: skip
    assert done.status_code == 303
    assert post(app_client, "/intyg", certificate_form()).status_code == 303


def test_revoking_asks_first_and_an_empty_reason_is_the_questions_error(
    app_client: TestClient, session: Session, stina: int
) -> None:
    certified_nurse(app_client, session, "syster-fraga")
    post(app_client, "/intyg", certificate_form())
    number = session.scalars(select(Certificate.id)).one()
    asked = post(app_client, f"/intyg/{number}/aterkalla", {})
    assert asked.status_code == 200
    question = asked.text.split("data-revoke-question", 1)[1].split("</section>", 1)[0]
    assert 'id="revoke-title" tabindex="-1" autofocus' in question
    assert "Återkalla sjukreseintyget för Stina Testsson?" in question
    assert "Det finns problem" not in asked.text, "asking is not an error"
    empty = post(app_client, f"/intyg/{number}/aterkalla",
                 {f"aterkalla-{number}": " ", "bekraftat": "ja"})  # fmt: skip
    question = empty.text.split("data-revoke-question", 1)[1].split("</section>", 1)[0]
    assert "autofocus data-error-summary" in question
    assert (
        f'href="#aterkalla-{number}"' in question and "Skriv varför intyget återkallas" in question
    )
    assert session.get(Certificate, number).revoked_at is None  # type: ignore[union-attr]
    # The list has no reason field per row any more: the question holds it.
    assert not re.search(r'id="aterkalla-\d+"', asked.text.split("data-revoke-question")[0])


def test_an_uncertified_nurse_is_told_she_may_still_revoke_and_can(
    app_client: TestClient, session: Session, stina: int
) -> None:
    certified_nurse(app_client, session, "syster-forst")
    post(app_client, "/intyg", certificate_form())
    number = session.scalars(select(Certificate.id)).one()
    app_client.cookies.clear()
    log_in(app_client, session, "syster-utan-kurs", Role.CARE_ISSUER, principal_codes=["22"],
           care_unit="Medicinmottagningen Sundsvall")  # fmt: skip
    page = app_client.get("/intyg").text
    assert "Du är inte certifierad" in page
    assert "Enhetens intyg kan du ändå återkalla" in page
    assert f'action="/intyg/{number}/aterkalla"' in page
    done = post(app_client, f"/intyg/{number}/aterkalla",
                {f"aterkalla-{number}": "Besöket inställt", "bekraftat": "ja"})  # fmt: skip
    assert done.status_code == 303


def test_the_unit_follow_up_names_the_principal(
    app_client: TestClient, session: Session, stina: int
) -> None:
    certified_nurse(app_client, session, "syster-enhet")
    post(app_client, "/intyg", certificate_form())
    app_client.cookies.clear()
    log_in(app_client, session, "analytiker-namn", Role.ANALYST, principal_codes=["22"])
    page = app_client.get("/enheter").text
    assert "<td>Region Västernorrland</td>" in page
    assert "<td>22</td>" not in page
