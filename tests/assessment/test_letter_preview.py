"""The case's "Förhandsvisa beslutsbrevet" shows the letter of the decision on the form
(approve or deny, with the motivering written), under the form that keeps them, and saves
nothing; SQLite and PostgreSQL. It showed the letter of the case as it stood ("Din resa
väntar på bedömning"), whatever the assessor had chosen."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from assessment_fixtures import book, jh_trip, ledger_rows
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import auth, login_form
from samfard.access.deps import CSRF_COOKIE
from samfard.money import format_kr


def _login(client: TestClient) -> str:
    client.cookies.clear()
    done = client.post("/login", data=login_form("assessor-user", client), follow_redirects=False)
    assert done.status_code == 303, done.text
    return str(client.cookies[CSRF_COOKIE])


def _preview(client: TestClient, csrf: str, booking: dict[str, Any], **form: str) -> str:
    answer = client.post(
        f"/bedomning/{booking['id']}/forhandsvisa",
        data={"csrf_token": csrf, "version": str(booking["version"]), **form},
    )
    assert answer.status_code == 200, answer.text
    return answer.text


def _said(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_preview_of_a_denial_is_the_denial_letter_and_saves_nothing(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    csrf = _login(app_client)
    case = app_client.get(f"/bedomning?arende={booking['id']}").text
    assert f'formaction="/bedomning/{booking["id"]}/forhandsvisa"' in case
    assert f'<a href="/bedomning/{booking["id"]}/brev">Förhandsvisa' not in case

    html = _preview(app_client, csrf, booking, action="deny", reason="Bussen går hela vägen")
    said = _said(html)
    assert "Förhandsvisning av beslutsbrevet vid avslag" in said
    assert "Din ansökan om resa har avslagits." in said and "väntar på bedömning" not in said
    assert "Handläggarens motivering: Bussen går hela vägen" in said
    assert 'value="deny" checked' in html and ">Bussen går hela vägen</textarea>" in html
    assert re.search(r'id="preview-title" tabindex="-1" autofocus', html)
    assert "<h4>Beslut om sjukresa</h4>" in html, "the letter's headings under the case's"
    stored = app_client.get(f"/api/v1/bookings/{booking['id']}", headers=auth(assessor)).json()
    assert stored["status"] == "requested" and stored["version"] == booking["version"]


def test_the_preview_of_an_approval_gives_the_fee_the_approval_would_record(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    csrf = _login(app_client)
    said = _said(_preview(app_client, csrf, booking, action="approve", reason="Intyg finns"))
    assert "Förhandsvisning av beslutsbrevet vid beviljande" in said
    assert "Din resa är beviljad." in said and "Att betala" in said
    assert "Handläggarens motivering: Intyg finns" in said
    assert ledger_rows(session, booking["id"]) == [], "nothing charged by a preview"
    approved = app_client.post(
        f"/api/v1/bookings/{booking['id']}/assessment",
        json={"action": "approve", "reason": "Intyg finns", "version": booking["version"]},
        headers=auth(assessor),
    ).json()["decision"]
    total = format_kr(approved["fee_ore"] + approved["companion_fee_ore"])
    assert f"Att betala {total}" in said, "the fee the approval records"


def test_a_preview_without_a_decision_or_of_a_changed_case_says_what_to_do(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    csrf = _login(app_client)
    html = _preview(app_client, csrf, booking, action="", reason="Intyg finns")
    assert 'href="#beslut-bevilja">Välj Bevilja eller Avslå.' in html
    assert "preview-title" not in html

    app_client.post(
        f"/api/v1/bookings/{booking['id']}/assessment",
        json={"action": "deny", "reason": "bussen", "version": booking["version"]},
        headers=auth(assessor),
    )
    said = _said(_preview(app_client, csrf, booking, action="approve", reason="Intyg finns"))
    assert "Ärendet är redan avgjort och kan inte beslutas igen här." in said
    assert "Förhandsvisning" not in said
