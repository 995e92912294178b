"""The register's pages (/resenarer) over HTTP, on SQLite and PostgreSQL: registering,
changing, permits and certificates go through the API's use cases; errors link to their
fields; a protected identity stays masked and cannot be changed by whom it is hidden from."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.travellers.models import Certificate, Permit, Traveller

NEW = {
    "personnummer": "19450312-1230",
    "fornamn": "Greta",
    "efternamn": "Formulärsson",
    "gata": "Kyrkogatan 4",
    "postnummer": "831 31",
    "ort": "Östersund",
    "kommun": "2380",
    "telefon": "063-12 34 56",
    "sprak": "sv",
    "hjalpmedel_rollator": "1",
}


def log_in(client: TestClient, session: Session, role: Role, username: str) -> TestClient:
    create_user(session=session, username=username, password=STRONG_PASSWORD, role=role,
                now=NOW, principal_codes=["*"])  # fmt: skip
    answer = client.post("/login", data=login_form(username, client),
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    return client


@pytest.fixture
def desk(app_client: TestClient, session: Session) -> TestClient:
    return log_in(app_client, session, Role.OPERATOR, "register-operator")


def post(client: TestClient, url: str, fields: dict[str, str]) -> object:
    return client.post(url, data=fields | {"csrf_token": client.cookies[CSRF_COOKIE]},
                       follow_redirects=False)  # fmt: skip


def test_registering_from_the_form_places_the_home_at_its_locality(
    desk: TestClient, session: Session
) -> None:
    answer = post(desk, "/resenarer", NEW)
    assert answer.status_code == 303  # type: ignore[attr-defined]
    card = desk.get(answer.headers["location"])  # type: ignore[attr-defined]
    assert "Greta Formulärsson" in card.text and "Resenären är registrerad" in card.text
    stored = session.scalars(select(Traveller).where(Traveller.last_name == "Formulärsson")).one()
    assert stored.personal_number == "194503121230" and stored.mobility_aids == ["rollator"]
    assert (round(stored.lat, 1), round(stored.lon, 1)) == (63.2, 14.6), "Östersund"


def test_bad_input_is_summarised_with_links_and_nothing_is_stored(
    desk: TestClient, session: Session
) -> None:
    answer = post(desk, "/resenarer", NEW | {"personnummer": "19450312-1239", "postnummer": "8"})
    text = answer.text  # type: ignore[attr-defined]
    summary = text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#postnummer"' in summary
    assert session.scalar(select(Traveller).where(Traveller.last_name == "Formulärsson")) is None
    wrong_digit = post(desk, "/resenarer", NEW | {"personnummer": "19450312-1239"})
    assert "fel kontrollsiffra" in wrong_digit.text  # type: ignore[attr-defined]
    assert 'href="#personnummer"' in wrong_digit.text  # type: ignore[attr-defined]


def test_changes_and_permits_are_saved_and_a_stale_form_is_refused(
    desk: TestClient, session: Session
) -> None:
    traveller = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="api-op"))
    url = f"/resenarer/{traveller}"
    fields = NEW | {"version": "1", "fornamn": "Anna", "efternamn": "Testsson",
                    "telefon": "070-999 88 77"}  # fmt: skip
    assert post(desk, url, fields).status_code == 303  # type: ignore[attr-defined]
    session.expire_all()
    assert session.get(Traveller, traveller).phone == "070-999 88 77"  # type: ignore[union-attr]
    stale = post(desk, url, fields | {"telefon": "1"})
    assert "Någon annan har ändrat" in stale.text  # type: ignore[attr-defined]
    permit = {"typ": "fardtjanst", "huvudman": "2380", "fran_datum": "2026-11-20",
              "till_datum": "2027-11-19", "ride_alone": "1"}  # fmt: skip
    assert post(desk, f"{url}/tillstand", permit).status_code == 303  # type: ignore[attr-defined]
    stored = session.scalars(select(Permit).where(Permit.traveller_id == traveller)).one()
    assert stored.kind == "fardtjanst" and stored.ride_alone and not stored.escort
    backwards = post(desk, f"{url}/tillstand", permit | {"till_datum": "2026-01-01"})
    assert "Slutdatum är före startdatum" in backwards.text  # type: ignore[attr-defined]


def test_a_protected_identity_is_neither_shown_nor_changed_by_whom_it_is_hidden_from(
    desk: TestClient, session: Session
) -> None:
    hidden = dict(ANNA, personal_number="19800101-0001", first_name="Hemlig",
                  last_name="Gömdsson", protected_identity=True,
                  driver_notes="Portkod 4711")  # fmt: skip
    traveller = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="p-op"), hidden)
    card = desk.get(f"/resenarer/{traveller}")
    for secret in ("Hemlig", "Gömdsson", "19800101", "Storgatan", "070-1234567", "Portkod"):
        assert secret not in card.text, secret
    assert "Den sparade informationen visas inte för dig" in card.text
    assert 'name="fornamn"' not in card.text and 'name="gata"' not in card.text
    found = desk.get("/resenarer", params={"q": "Hemlig"})
    assert "Gömdsson" not in found.text and "Skyddad identitet" not in found.text  # unmatched
    post(desk, f"/resenarer/{traveller}", {"version": "1", "fornamn": "X", "telefon": "1",
                                            "hjalpmedel_wheelchair": "1"})  # fmt: skip
    session.expire_all()
    stored = session.get(Traveller, traveller)
    assert stored is not None and stored.first_name == "Hemlig" and stored.phone == "070-1234567"
    assert stored.mobility_aids == ["wheelchair"]
    assert stored.driver_notes == "Portkod 4711", "a blank field keeps notes it did not show"
    post(desk, f"/resenarer/{traveller}", {"version": "2", "forare": "Ring två gånger"})
    session.expire_all()
    assert session.get(Traveller, traveller).driver_notes == "Ring två gånger"  # type: ignore[union-attr]


def test_certificates_are_issued_by_roles_that_may(
    app_client: TestClient, session: Session
) -> None:
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="cert-admin")
    traveller = register(app_client, admin)
    issuer = app_client.post("/api/v1/issuers", headers=auth(admin), json={
        "hsa_id": "SE2321000180-WEB1", "name": "Doktor Webb", "unit": "Medicin Östersund",
        "principal": "23", "course_passed_on": "2025-01-10", "certified_until": "2027-01-10",
    }).json()["id"]  # fmt: skip
    assessor = log_in(app_client, session, Role.ASSESSOR, "cert-assessor")
    card = assessor.get(f"/resenarer/{traveller}")
    assert "Doktor Webb" in card.text and "Utfärda intyg" in card.text
    fields = {"utfardare": str(issuer), "typ": "period", "fardsatt_taxi": "1",
              "fran_datum": "2026-11-20", "till_datum": "2027-02-28"}  # fmt: skip
    assert post(assessor, f"/resenarer/{traveller}/intyg", fields).status_code == 303  # type: ignore[attr-defined]
    stored = session.scalars(select(Certificate).where(Certificate.traveller_id == traveller)).one()
    assert stored.modes == ["taxi"] and stored.unit == "Medicin Östersund"
    none = post(assessor, f"/resenarer/{traveller}/intyg", fields | {"fardsatt_taxi": ""})
    assert 'href="#fardsatt_taxi"' in none.text  # type: ignore[attr-defined]


def test_an_operator_cannot_issue_certificates(desk: TestClient, session: Session) -> None:
    traveller = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="o-op"))
    assert "Utfärda intyg" not in desk.get(f"/resenarer/{traveller}").text
    refused = post(desk, f"/resenarer/{traveller}/intyg", {"typ": "period"})
    assert refused.status_code == 403  # type: ignore[attr-defined]
