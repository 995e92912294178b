"""The register (/resenarer), the desk's search and card (/bokning) and /intyg as a
keyboard walk-through of 2026-12-06 found them, on SQLite and PostgreSQL:

1. a desk search that finds no one said so with no way on; now it links to the register's
   new-traveller form carrying what was typed;
2. /resenarer/ny and /intyg started with focus on <body> (11 Tabs to Personnummer);
3. the register's text fields had no maxlength, though the schema has limits;
4. an impossible ISO date ("2026-02-31") in the permit and certificate forms was told to be
   written as ÅÅÅÅ-MM-DD, and the messages gave an example date that read as an order;
5. the desk card listed a one-way and a round-trip certificate alike, by the code "taxi";
6. arriving from the register (/bokning?resenar=ID) said nothing of who was chosen.
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_desk_pages import form as desk_form

from helpers import ANNA, NOW, STRONG_PASSWORD, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.booking.models import Booking
from samfard.travellers.models import Certificate, Issuer, Traveller

UNIT = "Medicinmottagningen Sundsvall"
PATIENT = {**ANNA, "personal_number": "19500505-1239", "first_name": "Stina",
           "address": {"street": "Storgatan 10", "postal_code": "852 30", "city": "Sundsvall",
                       "municipality_code": "2281", "lat": 62.3908, "lon": 17.3069}}  # fmt: skip


def _log_in(client: TestClient, session: Session, role: Role, username: str) -> TestClient:
    create_user(session=session, username=username, password=STRONG_PASSWORD, role=role,
                now=NOW, principal_codes=["*"])  # fmt: skip
    answer = client.post("/login", data=login_form(username, client), follow_redirects=False)
    assert answer.status_code == 303
    return client


@pytest.fixture
def operator(app_client: TestClient, session: Session) -> TestClient:
    return _log_in(app_client, session, Role.OPERATOR, "walk-operator")


@pytest.fixture
def anna(app_client: TestClient, session: Session) -> int:
    return register(app_client, token_for(session, Role.OPERATOR, now=NOW, username="walk-api"))


def _nurse(client: TestClient, session: Session, username: str) -> None:
    """A nurse certified at the unit, logged in (as tests/care/test_care_issue_page.py)."""
    create_user(session=session, username=username, password=STRONG_PASSWORD,
                role=Role.CARE_ISSUER, now=NOW, principal_codes=["22"], care_unit=UNIT)  # fmt: skip
    session.add(Issuer(hsa_id=f"SAMFARD-{username}", name=username, unit=UNIT,
                       principal_code="22", course_passed_on=date(2026, 1, 10),
                       certified_until=date(2028, 1, 9), username=username))  # fmt: skip
    session.flush()
    answer = client.post("/login", data=login_form(username, client), follow_redirects=False)
    assert answer.status_code == 303


def _issue(client: TestClient, fields: dict[str, str]) -> Any:
    """The form as confirmed ("Utfärda intyget" on the confirmation sends bekraftat=ja)."""
    return _post(client, "/intyg", fields | {"bekraftat": "ja"})


def _post(client: TestClient, url: str, fields: dict[str, str]) -> Any:
    return client.post(url, data=fields | {"csrf_token": client.cookies[CSRF_COOKIE]},
                       follow_redirects=False)  # fmt: skip


def _input(page: str, field_id: str) -> str:
    tag = re.search(rf'<input id="{re.escape(field_id)}"[^>]*>', page, re.S)
    assert tag is not None, f"the page has the field {field_id}"
    return tag.group()


def _value(page: str, field_id: str) -> str:
    found = re.search(r'value="([^"]*)"', _input(page, field_id))
    return html.unescape(found.group(1)) if found else ""


def _autofocused(page: str) -> list[str]:
    """What carries autofocus, by id (or class), in page order."""
    tags = re.findall(r"<[a-z]+\b[^>]*\bautofocus\b[^>]*>", page)
    return [(re.search(r'\bid="([^"]+)"', t) or re.search(r'class="([^"]+)"', t))[1]  # type: ignore[index]
            for t in tags]  # fmt: skip


def _summary(page: str) -> dict[str, str]:
    block = page.split('class="error-summary"')[1].split("</div>")[0]
    return {k: html.unescape(v) for k, v in re.findall(r'href="#([^"]+)">([^<]*)<', block)}


# 1. A search that finds no one -------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "carried", "focus"),
    [
        ("Zlatan Okänd", {"fornamn": "Zlatan", "efternamn": "Okänd"}, "personnummer"),
        ("Anna Maria  Okänd", {"fornamn": "Anna Maria", "efternamn": "Okänd"}, "personnummer"),
        ("19450312-1230", {"personnummer": "19450312-1230"}, "fornamn"),
        ("070-987 65 43", {"telefon": "070-987 65 43"}, "personnummer"),
    ],
)
def test_a_desk_search_that_finds_no_one_opens_the_new_form_with_what_was_typed(
    operator: TestClient, typed: str, carried: dict[str, str], focus: str
) -> None:
    page = operator.get("/bokning", params={"q": typed}).text
    said = re.search(r"<p>Ingen resenär matchar.*?</p>", page, re.S)
    assert said is not None
    link = re.search(r'<a href="([^"]+)">Registrera ny resenär</a>', said.group())
    assert link is not None, "the message offers the way on"
    form = operator.get(html.unescape(link.group(1))).text
    for field, value in carried.items():
        assert _value(form, field) == value, field
    assert _autofocused(form) == [focus], "the first field left empty takes the focus"


def test_one_who_may_not_register_is_not_offered_the_form(
    app_client: TestClient, session: Session
) -> None:
    """An assessor books but does not register travellers: no link that ends in 403."""
    client = _log_in(app_client, session, Role.ASSESSOR, "walk-assessor")
    page = client.get("/bokning", params={"q": "Zlatan Okänd"}).text
    assert "Ingen resenär matchar" in page and "/resenarer/ny" not in page


# 2. Where the focus starts -----------------------------------------------------------


def test_the_new_traveller_form_and_intyg_start_in_their_first_field(
    operator: TestClient, session: Session
) -> None:
    assert _autofocused(operator.get("/resenarer/ny").text) == ["personnummer"]
    refused = _post(operator, "/resenarer", {"fornamn": "Greta"}).text
    assert _autofocused(refused) == ["error-summary"], "after an error, the summary"


def test_intyg_starts_in_its_first_field(app_client: TestClient, session: Session) -> None:
    _nurse(app_client, session, "walk-nurse")
    assert _autofocused(app_client.get("/intyg").text) == ["personnummer"]
    refused = _issue(app_client, {"giltig-fran": "", "tur-och-retur": "1"}).text
    assert _autofocused(refused) == ["error-summary"]


# 3. Every text field has the schema's limit ------------------------------------------

# The schema's max_length of each field (TravellerCreate, Address, PermitCreate,
# CertificateCreate, CareCertificateCreate, Revocation), and where the schema has none the
# most the page reads: a personnummer or a coordinate 20, a date 20, a postcode "831 30",
# the longest language name ("svenskt teckenspråk"), an id of trips up to 10 000.
REGISTER_LIMITS = {
    "personnummer": 20, "fornamn": 80, "efternamn": 80, "gata": 160, "postnummer": 6,
    "ort": 80, "lat": 20, "lon": 20, "telefon": 32, "sprak": 19, "forare": 500,
    "studerande_till": 20,
}  # fmt: skip
CARD_LIMITS = REGISTER_LIMITS | {
    "fran_datum": 20, "till_datum": 20, "anteckning": 2000,
    "intyg_fran": 20, "intyg_till": 20, "antal_resor": 5, "skal": 500,
}  # fmt: skip
del CARD_LIMITS["personnummer"]  # the card shows it; it is not changed there
INTYG_LIMITS = {"personnummer": 20, "giltig-fran": 20, "giltig-till": 20, "besoksdag": 20,
                "skal": 500, "sok": 80}  # fmt: skip
TEXT_FIELD = re.compile(
    r'<input\b(?=[^>]*\btype="(?:text|tel|search)")[^>]*>|<textarea\b[^>]*>', re.S
)


def _limits(page: str) -> dict[str, str | None]:
    """Each text input's and textarea's maxlength by id (None: it has none)."""
    found: dict[str, str | None] = {}
    for tag in TEXT_FIELD.findall(page.split("<main")[1]):
        field = re.search(r'\bid="([^"]+)"', tag)
        limit = re.search(r'\bmaxlength="(\d+)"', tag)
        found[field[1] if field else tag] = limit[1] if limit else None
    return found


def _expected(limits: dict[str, int]) -> dict[str, str | None]:
    return {field: str(limit) for field, limit in limits.items()}


def test_every_text_field_of_the_register_has_the_schemas_maxlength(
    app_client: TestClient, session: Session, anna: int
) -> None:
    admin = _log_in(app_client, session, Role.SYSTEM_ADMIN, "walk-admin")
    assert _limits(admin.get("/resenarer/ny").text) == _expected(REGISTER_LIMITS)
    assert _limits(admin.get(f"/resenarer/{anna}").text) == _expected(CARD_LIMITS)
    assert _limits(admin.get("/resenarer", params={"q": "Anna"}).text) == {"q": "100"}


def test_every_text_field_of_intyg_has_the_schemas_maxlength(
    app_client: TestClient, session: Session
) -> None:
    register(app_client, token_for(session, Role.OPERATOR, now=NOW, principals=["22"]), PATIENT)
    _nurse(app_client, session, "walk-nurse-2")
    assert _limits(app_client.get("/intyg").text) == _expected(INTYG_LIMITS)
    certificate = session.scalars(select(Certificate)).first()
    assert certificate is None, "no certificate yet: issue one to see the revoke question"
    patient = session.scalars(select(Traveller).where(Traveller.first_name == "Stina")).one()
    fields = {"personnummer": patient.personal_number, "fardsatt": "taxi",
              "tur-och-retur": "1", "giltig-fran": "2026-11-21", "giltig-till": "2026-12-01",
              "skal": "Kan inte åka buss"}  # fmt: skip
    issued = _issue(app_client, fields)
    assert issued.status_code == 303, _summary(issued.text)
    certificate = session.scalars(select(Certificate)).one()
    question = _post(app_client, f"/intyg/{certificate.id}/aterkalla", {}).text
    assert _limits(question)[f"aterkalla-{certificate.id}"] == "500"


# 4. Dates that do not exist ----------------------------------------------------------

NO_SUCH_DAY = "Datumet finns inte; kontrollera dag och månad"


@pytest.mark.parametrize(
    ("section", "fields", "field_id"),
    [
        ("tillstand", {"typ": "fardtjanst", "huvudman": "2380", "fran_datum": "2026-02-31"},
         "fran_datum"),
        ("tillstand", {"typ": "fardtjanst", "huvudman": "2380", "fran_datum": "2026-12-01",
                       "till_datum": "2027-02-29"}, "till_datum"),
        ("intyg", {"typ": "period", "fardsatt_taxi": "1", "fran_datum": "2026-02-31",
                   "till_datum": "2026-12-20"}, "intyg_fran"),
    ],
)  # fmt: skip
def test_a_date_that_does_not_exist_is_said_so_on_the_card(
    app_client: TestClient,
    session: Session,
    anna: int,
    section: str,
    fields: dict[str, str],
    field_id: str,
) -> None:
    admin = _log_in(app_client, session, Role.SYSTEM_ADMIN, "walk-admin-dates")
    page = _post(admin, f"/resenarer/{anna}/{section}", fields).text
    assert _summary(page)[field_id] == NO_SUCH_DAY
    assert _value(page, field_id) == fields.get("fran_datum" if "fran" in field_id else
                                                "till_datum"), "kept as typed"  # fmt: skip


def test_the_registers_dates_say_the_format_not_an_example_and_read_as_the_desk(
    app_client: TestClient, session: Session, anna: int
) -> None:
    admin = _log_in(app_client, session, Role.SYSTEM_ADMIN, "walk-admin-format")
    permit = {"typ": "fardtjanst", "huvudman": "2380", "fran_datum": "i morgon"}
    page = _post(admin, f"/resenarer/{anna}/tillstand", permit).text
    said = _summary(page)["fran_datum"]
    assert said == "Skriv startdatumet som ÅÅÅÅ-MM-DD, eller dag och månad som 3/12"
    assert "2026-12-02" not in page
    new = _post(admin, "/resenarer", {"studerande_till": "2027-06-31"}).text
    assert _summary(new)["studerande_till"] == NO_SUCH_DAY
    # The desk's day and month: the start the nearest such day, the end the next one after.
    saved = _post(admin, f"/resenarer/{anna}/tillstand",
                  permit | {"fran_datum": "15/11", "till_datum": "30/6"})  # fmt: skip
    assert saved.status_code == 303, _summary(saved.text)
    stored = session.get(Traveller, anna)
    assert stored is not None
    session.refresh(stored)
    (held,) = stored.permits
    assert (held.valid_from, held.valid_until) == (date(2026, 11, 15), date(2027, 6, 30))


def test_intyg_says_a_date_that_does_not_exist(app_client: TestClient, session: Session) -> None:
    _nurse(app_client, session, "walk-nurse-3")
    page = _issue(app_client, {"giltig-fran": "2026-02-31", "tur-och-retur": "1"}).text
    assert _summary(page)["giltig-fran"] == f"{NO_SUCH_DAY}."


# 5. The desk card's certificates -----------------------------------------------------


def test_the_desk_card_says_each_certificate_in_words_with_the_trips_left(
    operator: TestClient, session: Session, anna: int
) -> None:
    for covers_return, trips in ((False, None), (True, 10)):
        session.add(
            Certificate(traveller_id=anna, principal_code="23", kind="period", modes=["taxi"],
                        valid_from=date(2026, 11, 20), valid_until=date(2026, 12, 20),
                        trips_allowed=trips, unit="Östersunds sjukhus", issued_at=NOW,
                        covers_return=covers_return)
        )  # fmt: skip
    session.flush()
    booked = operator.post("/bokning", data=desk_form(anna, operator))
    assert booked.status_code == 200
    booking = session.scalars(select(Booking).where(Booking.traveller_id == anna)).one()
    booking.mode = "taxi"  # as the rules chose it on the certificate
    session.flush()
    card = operator.get("/bokning", params={"resenar": anna}).text
    listed = re.search(r"<h3>Intyg</h3>\s*<ul>(.*?)</ul>", card, re.S)
    assert listed is not None
    lines = [" ".join(html.unescape(li).split()) for li in re.findall(r"<li>(.*?)</li>",
                                                                     listed[1], re.S)]  # fmt: skip
    assert len(lines) == 2 and lines[0] != lines[1]
    assert lines[0].startswith("Taxi, enkel resa, ") and "kvar" not in lines[0]
    assert lines[1].startswith("Taxi, dit och hem, ")
    assert lines[1].endswith("Östersunds sjukhus, 8 av 10 resor kvar"), "there and back: two"


# 6. Arriving from the register -------------------------------------------------------


def test_arriving_from_the_register_fills_resenar_as_a_choice_does(
    operator: TestClient, session: Session, anna: int
) -> None:
    page = operator.get("/bokning", params={"resenar": anna}).text
    assert _value(page, "resenar") == "Anna Testsson"
    assert re.search(r"data-combobox-status>Vald: Anna Testsson</span>", page)
    hidden = register(operator, token_for(session, Role.OPERATOR, now=NOW, username="walk-p"),
                      {**ANNA, "personal_number": "19450312-1230", "first_name": "Dold",
                       "protected_identity": True})  # fmt: skip
    masked = operator.get("/bokning", params={"resenar": hidden}).text
    assert _value(masked, "resenar") == "Skyddad identitet"
    assert "Vald: Skyddad identitet" in masked and "Dold" not in masked
