"""Reconsideration (omprövning) of a trip the rules denied: the rules run again on today's
register, so it is approved once what they refused on has changed, and until then the
page and the API say that the denial stands, why, and what to do. SQLite and PostgreSQL.

A walk-through found "Bevilja vid omprövning" of a trip the rules denied answered with
"Beslutet kunde inte sparas; kontrollera färdsätt och motivering", and the API with
"deny it" of a trip denied already."""

from __future__ import annotations

from assessment_fixtures import (
    approve_on_page,
    book,
    certificate,
    issuer,
    jh_trip,
    lapsed_certificate,
    said,
    vn_trip,
)
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import auth, login_form

STILL_REFUSED = "Resan kan inte beviljas vid omprövning, eftersom reglerna fortfarande avslår den:"
NOT_REIMBURSED = "Besöket är inte en sådan vård som regionen ersätter resor till."


def _reconsider(client: TestClient, booking: dict[str, object]) -> tuple[int, str]:
    """The assessor sends "Bevilja vid omprövning" for `booking`."""
    return approve_on_page(client, booking, step="beslut", reason="nytt underlag", omprovning="1")


def test_a_rules_denial_the_rules_still_refuse_says_why_on_the_page(
    app_client: TestClient, session: Session, operator: str, assessor: str, anna: int
) -> None:
    """The page names the rules' reason and what to do, and the trip stays denied."""
    denied = book(app_client, operator, jh_trip(app_client, operator, anna, purpose="vaccination"))
    assert denied["status"] == "denied" and denied["decided"]["decided_by"] == "rules"
    app_client.cookies.clear()
    app_client.post("/login", data=login_form("assessor-user", app_client))
    shown = said(app_client.get(f"/bedomning?arende={denied['id']}").text)
    assert "Avslaget kommer från reglerna." in shown, "said before the assessor tries"

    status, html = _reconsider(app_client, denied)
    assert status == 200
    text = said(html)
    assert f"{STILL_REFUSED} {NOT_REIMBURSED} Avslaget står kvar." in text
    assert "ompröva sedan" in text and "kunde inte sparas" not in text
    assert 'href="#omprovning-spara"' in html, "the error summary leads to the button"
    stored = app_client.get(f"/api/v1/bookings/{denied['id']}", headers=auth(assessor)).json()
    assert stored["status"] == "denied" and stored["version"] == denied["version"]


def test_the_api_says_the_denial_stands_until_the_register_has_what_was_missing(
    app_client: TestClient, session: Session, admin: str, operator: str, assessor: str, stina: int
) -> None:
    """The decision route answers 422 problem+json, not "deny it", while the only
    certificate's issuer had lapsed; once a valid certificate is registered the same
    reconsideration is approved with the rules' fee."""
    lapsed = app_client.post(
        "/api/v1/issuers",
        json={"hsa_id": "SE2321000180-OLD1", "name": "Doktor Gammal",
              "unit": "Medicinmottagningen Sundsvall", "principal": "22",
              "course_passed_on": "2020-01-10", "certified_until": "2022-01-10"},
        headers=auth(admin),
    ).json()  # fmt: skip
    lapsed_certificate(session, stina, lapsed["id"])
    denied = book(app_client, operator, vn_trip(app_client, operator, stina))
    assert denied["status"] == "denied" and denied["decided"]["decided_by"] == "rules"
    body = {"action": "approve", "reason": "nytt intyg", "version": denied["version"]}
    path = f"/api/v1/bookings/{denied['id']}/assessment"

    refused = app_client.post(path, json=body, headers=auth(assessor))
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert "stays denied: the rules still refuse taxi" in problem["detail"]
    assert "deny it" not in problem["detail"]
    assert problem["detail_sv"].startswith(STILL_REFUSED)
    assert problem["detail_sv"].endswith("registrera det först och ompröva sedan.")

    certificate(app_client, admin, stina, issuer(app_client, admin))
    approved = app_client.post(path, json=body, headers=auth(assessor))
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided"]["fee_ore"] == 40000
