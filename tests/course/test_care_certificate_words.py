"""/intyg and /enheter say when a certificate holds as a day, and who issued it by name:
a certificate valid from tomorrow was confirmed as "gäller från och med nu", and the
issuer was named by the account's login ("utfärdat … av vard-sundsvalls-sjukhus-2").
The issuer is named as the register stores them, else by role and unit; never the login."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_care_pages import UNIT, certificate_form, certified_nurse, log_in, post

from helpers import NOW, auth, token_for
from samfard.access.permissions import Role
from samfard.care import certificates
from samfard.travellers.models import Certificate, Issuer

# NOW (tests/helpers.py) is Friday 20 November 2026.
TOMORROW = date(2026, 11, 21)


def _main(page: str) -> str:
    """The page's own content as read: the shell's header names the signed-in account."""
    content = page.split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", content).split())


def test_a_certificate_from_tomorrow_is_confirmed_with_its_days(
    app_client: TestClient, session: Session, stina: int
) -> None:
    certified_nurse(app_client, session, "syster-imorgon", display_name="Ingrid Imorgon")
    issued = post(app_client, "/intyg", certificate_form(**{"giltig-fran": TOMORROW.isoformat()}))
    assert issued.status_code == 303, issued.text
    said = _main(app_client.get(issued.headers["location"]).text)
    assert "från och med nu" not in said
    assert (
        "Sjukreseintyget är utfärdat för Stina Testsson och gäller från och med lördag "
        "21 november 2026 till och med torsdag 31 december 2026, för nya bokningar."
    ) in said


def test_a_certificate_from_today_says_today_and_its_day(
    app_client: TestClient, session: Session, stina: int
) -> None:
    certified_nurse(app_client, session, "syster-idag", display_name="Ida Idag")
    issued = post(app_client, "/intyg", certificate_form())
    said = _main(app_client.get(issued.headers["location"]).text)
    assert "gäller från och med i dag, fredag 20 november 2026 till och med" in said


def test_another_units_certificate_named_in_the_address_is_not_described(
    app_client: TestClient, session: Session, stina: int
) -> None:
    """The confirmation reads the certificate from the unit's own list: an id typed into
    the address tells nothing of a certificate the unit cannot see."""
    certified_nurse(app_client, session, "syster-egen", display_name="Eva Egen")
    issued = post(app_client, "/intyg", certificate_form())
    number = int(issued.headers["location"].rsplit("=", 1)[1])
    said = _main(app_client.get(f"/intyg?utfardat={number + 1000}").text)
    assert "Sjukreseintyget är utfärdat." in said and "Stina" not in said.split("Enhetens")[0]


def test_the_issuer_is_named_as_the_register_stores_them(
    app_client: TestClient, session: Session, stina: int
) -> None:
    """In the list, the revocation question and the refusal of the same certificate twice:
    the issuer's name, never the login name. The API keeps the account (`issued_by`) and
    gives the name beside it."""
    certified_nurse(app_client, session, "vard-sundsvall-7", display_name="Karin Lund")
    assert post(app_client, "/intyg", certificate_form()).status_code == 303
    number = session.scalars(select(Certificate.id)).one()
    pages = {
        "list": app_client.get("/intyg").text,
        "question": post(app_client, f"/intyg/{number}/aterkalla", {}).text,
        "twice": post(app_client, "/intyg", certificate_form()).text,
    }
    for where, page in pages.items():
        said = _main(page)
        assert "Karin Lund" in said, where
        assert "vard-sundsvall-7" not in said, where
    assert "Karin Lund, 20 november 2026" in _main(pages["list"])
    assert "utfärdat av Karin Lund 20 november 2026" in _main(pages["question"])
    assert "utfärdat 20 november 2026 av Karin Lund" in _main(pages["twice"])


def test_an_issuer_with_no_name_but_the_login_is_said_by_role_and_unit(
    app_client: TestClient, session: Session, stina: int
) -> None:
    """An account made without a name gives the course's issuer row its login as name."""
    certified_nurse(app_client, session, "vard-sundsvall-8")
    post(app_client, "/intyg", certificate_form())
    issuer = session.scalars(select(Issuer).where(Issuer.username == "vard-sundsvall-8")).one()
    assert issuer.name == "vard-sundsvall-8", "the register holds the login as name"
    said = _main(app_client.get("/intyg").text)
    assert f"intygsutfärdare vid {UNIT}, 20 november 2026" in said
    assert "vard-sundsvall-8" not in said
    certificate = session.scalars(select(Certificate)).one()
    assert certificate.issued_by == "vard-sundsvall-8"  # the account, kept for the audit
    assert certificates.issuer_name(certificate) is None  # the API's issuer_name


def test_the_follow_up_names_no_login_as_a_name_or_an_hsa_id(
    app_client: TestClient, session: Session, stina: int
) -> None:
    """A certification about to lapse, of an issuer the course created for an account
    without a name: /enheter showed its login as the name and "SAMFARD-<login>" as the
    HSA-id."""
    certified_nurse(app_client, session, "vard-sundsvall-9")
    issuer = session.scalars(select(Issuer).where(Issuer.username == "vard-sundsvall-9")).one()
    issuer.certified_until = date(2026, 12, 31)
    session.flush()
    app_client.cookies.clear()
    log_in(app_client, session, "analytiker-hsa", Role.ANALYST, principal_codes=["22"])
    said = _main(app_client.get("/enheter").text)
    assert "intygsutfärdare (namn saknas) inte i HSA-katalogen" in said
    assert "vard-sundsvall-9" not in said


def _registered(client: TestClient, session: Session, stina: int, token: str | None = None) -> int:
    """A period certificate for Stina from "Sjuksköterska vid mottagningen", registered
    through the register API with `token` (else a system administrator's); its id."""
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="admin-intyg")
    issuer = client.post("/api/v1/issuers", headers=auth(admin), json={
        "hsa_id": "SE2321000016-T001", "name": "Sjuksköterska vid mottagningen",
        "unit": UNIT, "principal": "22", "course_passed_on": "2026-01-01",
        "certified_until": "2027-12-31",
    })  # fmt: skip
    assert issuer.status_code == 201, issuer.text
    registered = client.post(f"/api/v1/travellers/{stina}/certificates",
                             headers=auth(token or admin),
                             json={"principal": "22", "kind": "period", "modes": ["taxi"],
                                   "valid_from": "2026-11-20", "valid_until": "2026-12-31",
                                   "issuer_id": issuer.json()["id"]})  # fmt: skip
    assert registered.status_code == 201, registered.text
    return int(registered.json()["id"])


def test_a_certificate_the_centre_registered_says_the_centre_registered_it(
    app_client: TestClient, session: Session, stina: int
) -> None:
    """A paper certificate the booking centre registered names the issuer who wrote it;
    /intyg said "registrerat av Sjuksköterska vid …" as if the nurse had registered it."""
    _registered(app_client, session, stina)
    certified_nurse(app_client, session, "syster-listan", display_name="Lisa Listan")
    said = _main(app_client.get("/intyg").text)
    registered = "registrerat av beställningscentralen, 20 november 2026"
    assert f"Sjuksköterska vid mottagningen, {registered}" in said
    assert "registrerat av Sjuksköterska" not in said


def test_a_certificate_a_care_unit_registered_through_the_api_is_not_the_centres(
    app_client: TestClient, session: Session, stina: int
) -> None:
    """Only what the centre registered says so: a certificate the care unit's own account
    registered through the register API was said to be "registrerat av
    beställningscentralen", as was every certificate with no account stored on it. One
    registered before who registered it was recorded names its issuer alone."""
    unit_token = token_for(session, Role.CARE_ISSUER, now=NOW, username="vard-api",
                           principals=["22"], care_unit=UNIT)  # fmt: skip
    by_unit = _registered(app_client, session, stina, unit_token)
    certified_nurse(app_client, session, "syster-api", display_name="Anna Api")
    said = _main(app_client.get("/intyg").text)
    assert "Sjuksköterska vid mottagningen, 20 november 2026" in said
    assert "beställningscentralen" not in said
    stored = session.get(Certificate, by_unit)
    assert stored is not None and stored.registered_via == "care_unit"

    stored.registered_via = None  # registered before migration 0026: not known by whom
    session.flush()
    said = _main(app_client.get("/intyg").text)
    assert "Sjuksköterska vid mottagningen, 20 november 2026" in said
    assert "beställningscentralen" not in said
