"""The register holds what the rules ask for: a specified disability and a student status
(with its last day) on the traveller, a fellow passenger on the färdtjänst permit; by the
API and on the register's pages, audited, and changeable for a protected identity by a
reader it is hidden from, as the aids are (neither says who the person is or where)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.travellers.models import Permit, Traveller


@pytest.fixture
def operator(session: Session) -> str:
    return token_for(session, Role.OPERATOR, now=NOW, username="facts-op")


def test_student_status_and_specified_disability_are_registered_changed_and_audited(
    app_client: TestClient, session: Session, operator: str
) -> None:
    body = {**ANNA, "specified_disability": True, "student_until": "2027-06-15"}
    traveller = register(app_client, operator, body)
    shown = app_client.get(f"/api/v1/travellers/{traveller}", headers=auth(operator)).json()
    assert (shown["specified_disability"], shown["student_until"]) == (True, "2027-06-15")
    cleared = app_client.patch(
        f"/api/v1/travellers/{traveller}",
        json={"version": shown["version"], "student_until": None},
        headers=auth(operator),
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["student_until"] is None
    assert cleared.json()["specified_disability"] is True, "left out: kept"
    refused = app_client.patch(
        f"/api/v1/travellers/{traveller}",
        json={"version": cleared.json()["version"], "specified_disability": None},
        headers=auth(operator),
    )
    assert refused.status_code == 422, refused.text
    purposes = set(
        session.scalars(
            select(AuditEntry.purpose).where(
                AuditEntry.traveller_id == traveller, AuditEntry.action == "update"
            )
        )
    )
    assert "update student_until" in purposes


def test_a_protected_identitys_rule_facts_are_changed_by_a_reader_it_is_hidden_from(
    app_client: TestClient, session: Session
) -> None:
    hidden = {**ANNA, "personal_number": "19800101-0001", "protected_identity": True}
    traveller = register(app_client, token_for(session, Role.SYSTEM_ADMIN, now=NOW), hidden)
    masked = token_for(session, Role.OPERATOR, now=NOW, username="masked-op")
    shown = app_client.get(f"/api/v1/travellers/{traveller}", headers=auth(masked)).json()
    assert shown["first_name"] == "Skyddad identitet" and shown["address"] is None
    changed = app_client.patch(
        f"/api/v1/travellers/{traveller}",
        json={
            "version": shown["version"],
            "specified_disability": True,
            "student_until": "2027-01-31",
        },  # fmt: skip
        headers=auth(masked),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["first_name"] == "Skyddad identitet"
    session.expire_all()
    stored = session.get(Traveller, traveller)
    assert stored is not None and stored.specified_disability
    assert str(stored.student_until) == "2027-01-31"


def test_a_permit_grants_a_fellow_passenger_by_the_api(
    app_client: TestClient, operator: str
) -> None:
    traveller = register(app_client, operator)
    permit = {"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01",
              "fellow_passenger": True}  # fmt: skip
    answer = app_client.post(
        f"/api/v1/travellers/{traveller}/permits", json=permit, headers=auth(operator)
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["fellow_passenger"] is True
    listed = app_client.get(f"/api/v1/travellers/{traveller}/permits", headers=auth(operator))
    assert [p["fellow_passenger"] for p in listed.json()] == [True]


@pytest.fixture
def desk(app_client: TestClient, session: Session) -> TestClient:
    create_user(session=session, username="facts-desk", password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["*"])  # fmt: skip
    answer = app_client.post("/login", data=login_form("facts-desk", app_client),
                             follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    return app_client


def _post(client: TestClient, url: str, fields: dict[str, str]) -> str:
    answer = client.post(url, data=fields | {"csrf_token": client.cookies[CSRF_COOKIE]},
                         follow_redirects=False)  # fmt: skip
    return answer.text if answer.status_code != 303 else ""


FORM = {"fornamn": "Anna", "efternamn": "Testsson", "gata": "Storgatan 1",
        "postnummer": "831 30", "ort": "Östersund", "kommun": "2380",
        "telefon": "070-1234567", "sprak": "sv", "hjalpmedel_rollator": "1"}  # fmt: skip


def test_the_register_page_shows_and_saves_the_rule_facts_in_swedish(
    desk: TestClient, session: Session, operator: str
) -> None:
    traveller = register(desk, operator)
    card = desk.get(f"/resenarer/{traveller}").text
    for field, label in (
        ("funktionsnedsattning", "Angiven funktionsnedsättning"),
        ("studerande_till", "Studerande till och med"),
        ("fellow_passenger", "Medresenär"),
    ):
        assert f'<label for="{field}">{label}</label>' in card, label
    assert 'name="funktionsnedsattning"' in card and 'name="studerande_till"' in card
    assert 'name="fellow_passenger"' in card
    wrong = _post(desk, f"/resenarer/{traveller}",
                  FORM | {"version": "1", "studerande_till": "juni"})  # fmt: skip
    summary = wrong.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#studerande_till"' in summary and "sista dagen som studerande" in summary
    saved = _post(desk, f"/resenarer/{traveller}", FORM | {"version": "1",
                  "funktionsnedsattning": "1", "studerande_till": "2027-06-15"})  # fmt: skip
    assert saved == ""
    session.expire_all()
    stored = session.get(Traveller, traveller)
    assert stored is not None and stored.specified_disability
    assert str(stored.student_until) == "2027-06-15"
    card = desk.get(f"/resenarer/{traveller}").text
    assert "<dt>Studerande</dt><dd>Till och med 15 juni 2027</dd>" in card
    assert 'name="studerande_till" type="text" value="2027-06-15"' in card
    permit = {"typ": "fardtjanst", "huvudman": "2380", "fran_datum": "2026-11-20",
              "fellow_passenger": "1", "allergy_free": "1"}  # fmt: skip
    assert _post(desk, f"/resenarer/{traveller}/tillstand", permit) == ""
    stored_permit = session.scalars(select(Permit).where(Permit.traveller_id == traveller)).one()
    assert stored_permit.fellow_passenger and stored_permit.allergy_free
    assert not stored_permit.escort
