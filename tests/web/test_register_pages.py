"""The register's pages (/resenarer) over HTTP, on SQLite and PostgreSQL: registering,
changing, permits and certificates go through the API's use cases; errors link to their
fields; a protected identity stays masked and cannot be changed by whom it is hidden from."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.errors import Forbidden
from samfard.travellers import pages
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


@pytest.mark.parametrize(
    ("typed", "code"),
    [("svenska", "sv"), ("Finska", "fi"), ("  meankieli ", "fit"),
     ("svenskt teckenspråk", "swl"), ("AR", "ar"), ("", "sv")],
)  # fmt: skip
def test_a_language_is_typed_by_its_swedish_name_or_its_code(
    desk: TestClient, session: Session, typed: str, code: str
) -> None:
    """The desk typed "svenska" and was refused ("a code of two or three small letters"):
    a language's Swedish name, in any case and with or without its accents, is stored as
    its code; a code in capitals as the code; nothing typed as Swedish. The postcode typed
    "831 31" reads the same on the card, not as the stored "83131"."""
    answer = post(desk, "/resenarer", NEW | {"sprak": typed})
    assert answer.status_code == 303, summary(answer)  # type: ignore[attr-defined]
    stored = session.scalars(select(Traveller).where(Traveller.last_name == "Formulärsson")).one()
    assert stored.language == code
    card = desk.get(answer.headers["location"]).text  # type: ignore[attr-defined]
    assert "Kyrkogatan 4, 831 31 Östersund" in card and "83131" not in card


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
    stale = post(desk, url, fields | {"telefon": "070-111 11 11"})
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
    post(desk, f"/resenarer/{traveller}", {"version": "1", "fornamn": "X",
                                            "telefon": "070-111 11 11",
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
    # "Antal resor" is typed as text, so "1,5" reaches the page as typed and is refused at
    # the field with the form kept (a browser's number field had sent "15" or nothing).
    half = post(assessor, f"/resenarer/{traveller}/intyg",
                fields | {"typ": "single_trip", "antal_resor": "1,5"})  # fmt: skip
    assert half.status_code == 200, "the form again, not a redirect to a saved card"  # type: ignore[attr-defined]
    assert 'href="#antal_resor"' in half.text and 'value="1,5"' in half.text  # type: ignore[attr-defined]
    assert 'type="number"' not in card.text
    issued = select(Certificate).where(Certificate.traveller_id == traveller)
    assert session.scalars(issued).all() == [stored], "the refused form stored nothing"


def test_an_operator_cannot_issue_certificates(desk: TestClient, session: Session) -> None:
    traveller = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="o-op"))
    assert "Utfärda intyg" not in desk.get(f"/resenarer/{traveller}").text
    refused = post(desk, f"/resenarer/{traveller}/intyg", {"typ": "period"})
    assert refused.status_code == 403  # type: ignore[attr-defined]


def summary(answer: object) -> dict[str, str]:
    """The error summary's messages by the field they link to (empty: none shown)."""
    text: str = answer.text  # type: ignore[attr-defined]
    if 'class="error-summary"' not in text:
        return {}
    block = text.split('class="error-summary"')[1].split("</div>")[0]
    found = re.findall(r'<li><a href="#([\w-]+)">(.*?)</a></li>', block, re.S)
    return {field: html.unescape(message) for field, message in found}


# A form wrong in one way, and the one message each wrong field must get: what is wrong
# there, in Swedish (no field of the home's place blamed for a wrong municipality).
WRONG: list[tuple[dict[str, str], dict[str, str]]] = [
    ({"lat": "abc", "lon": "xyz"}, {"lat": "Skriv latituden i grader med siffror, t.ex. 63,18",
                                    "lon": "Skriv longituden i grader med siffror, t.ex. 14,64"}),
    ({"lat": "63,18"}, {"lon": "Skriv longituden också, eller lämna båda tomma för ortens läge"}),
    ({"lat": "nan", "lon": "14,64"}, {"lat": "Skriv latituden i grader med siffror, t.ex. 63,18"}),
    ({"lat": "14,64", "lon": "63,18"},
     {"lat": "Latituden ska vara mellan 54 och 72 grader: har du bytt plats på latitud och "
             "longitud?",
      "lon": "Longituden ska vara mellan 4 och 32 grader: har du bytt plats på latitud och "
             "longitud?"}),
    ({"kommun": "9999"}, {"kommun": "Kommunkoden 9999 finns inte: välj en kommun i listan"}),
    ({"kommun": ""}, {"kommun": "Välj kommun"}),
    ({"fornamn": "G" * 81}, {"fornamn": "Förnamnet får vara högst 80 tecken"}),
    ({"fornamn": " "}, {"fornamn": "Skriv förnamnet"}),
    ({"efternamn": "F" * 81}, {"efternamn": "Efternamnet får vara högst 80 tecken"}),
    ({"gata": "K" * 161}, {"gata": "Gatuadressen får vara högst 160 tecken"}),
    ({"ort": "Ö" * 81}, {"ort": "Orten får vara högst 80 tecken"}),
    ({"postnummer": "8"}, {"postnummer": "Skriv postnumret med fem siffror, t.ex. 831 30"}),
    ({"telefon": "0" * 33}, {"telefon": "Telefonnumret får vara högst 32 tecken"}),
    ({"sprak": "klingonska"},
     {"sprak": "Skriv språkets namn, t.ex. finska, eller en kod med två eller tre bokstäver, "
               "t.ex. fi"}),
    ({"forare": "R" * 501}, {"forare": "Informationen åt föraren får vara högst 500 tecken"}),
]  # fmt: skip


@pytest.mark.parametrize(("wrong", "messages"), WRONG)
def test_a_new_traveller_with_a_wrong_field_is_told_what_is_wrong_and_not_stored(
    desk: TestClient, session: Session, wrong: dict[str, str], messages: dict[str, str]
) -> None:
    answer = post(desk, "/resenarer", NEW | wrong)
    assert answer.status_code == 200, "the form again, not a redirect to a saved card"  # type: ignore[attr-defined]
    assert summary(answer) == messages
    assert session.scalar(select(Traveller).where(Traveller.last_name == "Formulärsson")) is None


@pytest.mark.parametrize(("wrong", "messages"), WRONG)
def test_a_change_with_a_wrong_field_is_told_what_is_wrong_and_not_stored(
    desk: TestClient, session: Session, wrong: dict[str, str], messages: dict[str, str]
) -> None:
    traveller = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="w-op"))
    fields = NEW | {"version": "1", "fornamn": "Annika", "telefon": "070-999 88 77"}
    answer = post(desk, f"/resenarer/{traveller}", fields | wrong)
    assert answer.status_code == 200  # type: ignore[attr-defined]
    assert summary(answer) == messages
    session.expire_all()
    stored = session.get(Traveller, traveller)
    assert stored is not None and stored.version == 1 and stored.first_name == "Anna"
    assert (stored.lat, stored.lon) == (63.1767, 14.6361) and stored.phone == "070-1234567"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "Skriv personnumret, t.ex. 19121212-1212"),
        ("abc", "Skriv personnumret med 10 eller 12 siffror, t.ex. 19121212-1212 eller "
                "121212-1212"),
        ("19450312-1230\u200b", "Personnumret innehåller ett osynligt tecken, kanske från "
                                "inklistrad text: radera det och skriv numret med siffror"),
        ("19450312+1230", "Ett personnummer med 12 siffror skrivs med bindestreck, inte "
                          "plustecken: t.ex. 19121212-1212"),
        ("19451332-1230", "Personnumret har inget giltigt födelsedatum: kontrollera år, "
                          "månad och dag"),
        ("20991212-1212", "Personnumret har ett födelsedatum i framtiden: kontrollera det"),
        ("19450312-1239", "Personnumret har fel kontrollsiffra: kontrollera det"),
    ],
)  # fmt: skip
def test_a_wrong_personal_number_is_explained_in_swedish(
    desk: TestClient, session: Session, number: str, message: str
) -> None:
    answer = post(desk, "/resenarer", NEW | {"personnummer": number, "fornamn": ""})
    assert summary(answer) == {"personnummer": message, "fornamn": "Skriv förnamnet"}
    assert "personal number" not in answer.text  # type: ignore[attr-defined]
    assert session.scalar(select(Traveller).where(Traveller.last_name == "Formulärsson")) is None


def test_a_known_personal_number_and_a_refused_change_are_explained_in_swedish(
    desk: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    traveller = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="k-op"))
    twice = post(desk, "/resenarer", NEW | {"personnummer": "19121212-1212"})
    assert summary(twice) == {
        "personnummer": "Personnumret finns redan i registret: sök fram resenären och ändra där"
    }

    def refuse(**_: object) -> None:
        raise Forbidden("first_name of a protected identity is changed only by ...",
                        field="first_name")  # fmt: skip

    monkeypatch.setattr(pages.service, "update_traveller", refuse)
    refused = post(desk, f"/resenarer/{traveller}", NEW | {"version": "1"})
    assert summary(refused) == {
        "fornamn": "Du får inte ändra namn, adress eller telefon för en resenär med skyddade "
        "personuppgifter: ändra bara hjälpmedel, språk och information åt föraren"
    }
    assert "protected identity" not in refused.text  # type: ignore[attr-defined]
