"""/intyg's list of the unit's certificates: it says how many there are (it stopped at
200 without a word), finds a patient's by personnummer or name (scoped, audited, never
matching a protected identity for one who may not see it), and says "Utgånget" of a
certificate whose last day has passed, which can no longer be revoked (the list offered
"Återkalla" on it, and the service revoked it)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_care_flow import certificate_body, take_quiz
from test_care_pages import HIDDEN_HERE, UNIT, log_in, post

from helpers import auth, register
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.care import pages
from samfard.clock import FixedClock


def _issue(client: TestClient, nurse: str, traveller: int, **changes: str) -> int:
    issued = client.post("/api/v1/care/certificates", headers=auth(nurse),
                         json=certificate_body(traveller, **changes))  # fmt: skip
    assert issued.status_code == 201, issued.text
    return int(issued.json()["id"])


def _listed(session: Session) -> int:
    """How many certificate rows the page's nurse has been shown (audited reads)."""
    statement = select(AuditEntry).where(
        AuditEntry.username == "syster-sok", AuditEntry.purpose == "unit certificates"
    )
    return len(session.scalars(statement).all())


def _main(page: str) -> str:
    content = page.split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", content).split())


@pytest.fixture
def three(app_client: TestClient, session: Session, nurse: str, operator: str, stina: int) -> None:
    """Two of Stina's certificates and one of a protected patient, issued by the unit."""
    take_quiz(app_client, nurse, session, wrong=0)
    _issue(app_client, nurse, stina)
    _issue(app_client, nurse, stina, visit_on="2026-11-26")
    _issue(app_client, nurse, register(app_client, operator, HIDDEN_HERE))


def test_the_list_says_how_many_it_shows_of_how_many(
    app_client: TestClient, session: Session, three: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_in(app_client, session, "syster-lista", Role.CARE_ISSUER, principal_codes=["22"],
           care_unit=UNIT)  # fmt: skip
    assert "3 intyg, senaste först." in _main(app_client.get("/intyg").text)
    monkeypatch.setattr(pages, "LIST_MOST", 2)
    said = _main(app_client.get("/intyg").text)
    assert "2 av 3 intyg visas, senaste först." in said
    assert said.count("Återkalla intyget för") == 2


def test_the_search_finds_a_patients_certificates_by_number_or_name_and_no_protected_one(
    app_client: TestClient, session: Session, three: None, nurse: str
) -> None:
    log_in(app_client, session, "syster-sok", Role.CARE_ISSUER, principal_codes=["22"],
           care_unit=UNIT)  # fmt: skip
    whole = _main(app_client.get("/intyg").text)
    assert "Skyddad identitet" in whole, "the list shows the protected patient's, masked"
    for typed in ("19500505-1239", "195005051239", "testsson stina"):
        said = _main(app_client.get("/intyg", params={"sok": typed}).text)
        assert "2 intyg som matchar sökningen, senaste först." in said, typed
        assert "Skyddad identitet" not in said
    before = _listed(session)
    for hidden in ("19440707-2380", "Hemligsson", "Hedda"):
        said = _main(app_client.get("/intyg", params={"sok": hidden}).text)
        assert "Inga av enhetens intyg gäller en patient som matchar sökningen." in said
        assert "Skyddad identitet" not in said, "a guessed name or number is not confirmed"
    assert _listed(session) == before, "nothing shown, nothing read"
    app_client.get("/intyg", params={"sok": "Stina"})
    assert _listed(session) == before + 2, "each certificate shown is an audited read"
    assert app_client.get("/intyg", params={"sok": "x" * 81}).status_code == 422
    api = "/api/v1/care/certificates"
    assert len(app_client.get(api, params={"q": "Stina"}, headers=auth(nurse)).json()) == 2
    assert app_client.get(api, params={"q": "Hemligsson"}, headers=auth(nurse)).json() == []


def test_an_expired_certificate_says_so_and_cannot_be_revoked(
    app_client: TestClient, session: Session, nurse: str, stina: int, clock: FixedClock
) -> None:
    take_quiz(app_client, nurse, session, wrong=0)
    ended = _issue(app_client, nurse, stina, valid_until="2026-11-30", visit_on="2026-11-25")
    holds = _issue(app_client, nurse, stina, valid_until="2026-12-31", visit_on="2026-12-02")
    clock.advance(timedelta(days=11))  # Tuesday 1 December: the first ended yesterday

    refused = app_client.post(f"/api/v1/care/certificates/{ended}/revocation",
                              json={"reason": "behovet upphörde"}, headers=auth(nurse))  # fmt: skip
    assert refused.status_code == 409
    assert refused.json()["detail_sv"] == (
        "Intyget gick ut 30 november 2026. Ett utgånget intyg gäller inte för nya bokningar "
        "och kan inte återkallas."
    )

    log_in(app_client, session, "syster-utgangen", Role.CARE_ISSUER, principal_codes=["22"],
           care_unit=UNIT)  # fmt: skip
    listing = app_client.get("/intyg").text
    assert "Utgånget 30 november 2026" in _main(listing)
    assert f'action="/intyg/{ended}/aterkalla"' not in listing, "no Återkalla on an expired one"
    assert f'action="/intyg/{holds}/aterkalla"' in listing
    asked = post(app_client, f"/intyg/{ended}/aterkalla", {})
    assert "Utgånget 30 november 2026: intyget gäller inte för nya bokningar" in _main(asked.text)
    assert 'name="bekraftat"' not in asked.text
    sent = post(app_client, f"/intyg/{ended}/aterkalla",
                {f"aterkalla-{ended}": "behovet upphörde", "bekraftat": "ja"})  # fmt: skip
    assert sent.status_code == 409
    assert "Intyget gick ut 30 november 2026." in _main(sent.text)
