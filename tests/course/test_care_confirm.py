"""/intyg asks before it writes: a form without faults comes back as the certificate to
confirm, with the name of the patient whose number was typed (a mistyped but valid
personnummer issued the certificate to someone else). Only "Utfärda intyget" there
issues; "Ändra" gives the form back as it was filled in."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_care_pages import HIDDEN_HERE, certificate_form, certified_nurse, post

from helpers import NOW, register, token_for
from samfard.access.permissions import Role
from samfard.travellers.models import Certificate

ASKED = "Kontrollera intyget innan du utfärdar det"


def _unconfirmed(**changes: str) -> dict[str, str]:
    form = certificate_form(**changes)
    del form["bekraftat"]
    return form


def _carried(page: str) -> dict[str, str]:
    """The confirmation's hidden fields: what "Utfärda intyget" and "Ändra" send again."""
    form = page.split("data-confirm", 1)[1].split("</form>", 1)[0]
    pairs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    return {name: html.unescape(value) for name, value in pairs if name != "csrf_token"}


def test_the_form_asks_with_the_patients_name_and_only_the_confirmation_issues(
    app_client: TestClient, session: Session, stina: int
) -> None:
    certified_nurse(app_client, session, "syster-kontroll")
    asked = post(app_client, "/intyg", _unconfirmed())
    assert asked.status_code == 200
    assert f'<h2 id="confirm-title" tabindex="-1" autofocus>{ASKED}</h2>' in asked.text
    assert "Stina Testsson</strong>, 19500505-1239" in asked.text
    assert "Taxi, dit och hem" in asked.text
    assert "fredag 20 november 2026 till och med torsdag 31 december 2026" in asked.text
    assert "Sundsvalls sjukhus, onsdag 25 november 2026" in asked.text
    assert 'name="bekraftat" value="ja">Utfärda intyget' in asked.text
    assert "Enhetens intyg" not in asked.text, "one question on the page"
    assert session.scalars(select(Certificate)).all() == [], "nothing written yet"

    carried = _carried(asked.text)
    assert carried == {k: v for k, v in certificate_form().items() if k != "bekraftat"}
    issued = post(app_client, "/intyg", carried | {"bekraftat": "ja"})
    assert issued.status_code == 303, issued.text
    assert len(session.scalars(select(Certificate)).all()) == 1

    again = post(app_client, "/intyg", _unconfirmed())
    assert ASKED not in again.text, "the same certificate is refused before it is confirmed"
    assert "Patienten har redan ett likadant giltigt intyg" in again.text


def test_andra_gives_the_form_back_as_it_was_filled_in(
    app_client: TestClient, session: Session, stina: int
) -> None:
    certified_nurse(app_client, session, "syster-andra")
    one_way = _unconfirmed(skal="kan inte gå långt")
    del one_way["tur-och-retur"]  # an unticked box is sent as nothing
    asked = post(app_client, "/intyg", one_way)
    assert "Taxi, enkel resa" in asked.text
    back = post(app_client, "/intyg", _carried(asked.text) | {"andra": "1"})
    assert back.status_code == 200 and ASKED not in back.text
    assert 'value="kan inte gå långt"' in back.text
    assert 'value="19500505-1239"' in back.text
    box = re.search(r'<input[^>]*id="tur-och-retur"[^>]*>', back.text)
    assert box and "checked" not in box.group(), "an unticked box stays unticked"
    field = re.search(r'<input id="personnummer"[^>]*>', back.text)
    assert field and "autofocus" in field.group(), "back in the first field"
    assert session.scalars(select(Certificate)).all() == []


def test_a_protected_patient_is_named_only_to_a_nurse_who_may_see_them(
    app_client: TestClient, session: Session
) -> None:
    """An entitled nurse finds the patient and sees the name; for any other nurse the
    patient is not found at all, so no confirmation (masked or not) is shown."""
    register(app_client, token_for(session, Role.OPERATOR, now=NOW, principals=["22"]),
             HIDDEN_HERE)  # fmt: skip
    certified_nurse(app_client, session, "syster-skydd-utan")
    hidden = post(app_client, "/intyg", _unconfirmed(personnummer="19440707-2380"))
    assert ASKED not in hidden.text and "Hemligsson" not in hidden.text
    app_client.cookies.clear()
    certified_nurse(app_client, session, "syster-skydd-med", may_see_protected=True)
    asked = post(app_client, "/intyg", _unconfirmed(personnummer="19440707-2380"))
    assert "Hedda Hemligsson</strong>, 19440707-2380" in asked.text
