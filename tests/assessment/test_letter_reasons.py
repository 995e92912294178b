"""The decision letter's reasons, on SQLite and PostgreSQL: a denial names no mode (nothing
was granted) and its reasons are never empty (the rules' reasons, and the assessor's
motivering when a person denied); an approval does not give "the mode needs a case
officer's decision" as a reason once one has decided, but says who decided. The HTML
letter and its PDF say the same.

A walk-through read "Din ansökan om resa har avslagits. Färdsätt: taxi" above an empty
"Skäl för beslutet", and an approval listing "Färdsättet kräver ett beslut av en
handläggare." as its reason."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from assessment_fixtures import book, jh_trip
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import auth

PERSON_ONLY = "Färdsättet kräver ett beslut av en handläggare."
BY_PERSON = "Beslutet är fattat av en handläggare vid beställningscentralen."


def _decide(client: TestClient, assessor: str, booking: dict[str, Any], action: str) -> None:
    done = client.post(
        f"/api/v1/bookings/{booking['id']}/assessment",
        json={"action": action, "reason": "Bussen går hela vägen", "version": booking["version"]},
        headers=auth(assessor),
    )
    assert done.status_code == 200, done.text


def _letter(client: TestClient, token: str, booking_id: int) -> str:
    html = client.get(f"/api/v1/bookings/{booking_id}/decision-letter", headers=auth(token)).text
    return re.sub(r"\s+", " ", unescape(html))


def _reasons(letter: str) -> str:
    """What stands under "Skäl för beslutet", up to the rules it rests on."""
    return letter.split("<h2>Skäl för beslutet</h2>", 1)[1].split("Beslutet grundas", 1)[0]


def test_a_denial_by_an_assessor_names_no_mode_and_gives_the_motivering_as_reason(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    _decide(app_client, assessor, booking, "deny")
    letter = _letter(app_client, operator, booking["id"])
    assert "Din ansökan om resa har avslagits." in letter
    assert "Färdsätt:" not in letter, "a denial grants no mode"
    reasons = _reasons(letter)
    assert "<li>Handläggarens motivering: Bussen går hela vägen</li>" in reasons
    assert BY_PERSON in reasons and PERSON_ONLY not in letter
    pdf = app_client.get(f"/bedomning/{booking['id']}/brev.pdf", headers=auth(assessor))
    assert pdf.status_code == 200 and b"Bussen g" in pdf.content and b"taxi" not in pdf.content


def test_an_approval_by_an_assessor_says_who_decided_not_that_one_must(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    waiting = _letter(app_client, operator, booking["id"])
    assert PERSON_ONLY in waiting, "while it waits, that is why"
    _decide(app_client, assessor, booking, "approve")
    letter = _letter(app_client, operator, booking["id"])
    assert "Din resa är beviljad." in letter and "Färdsätt: taxi" in letter
    reasons = _reasons(letter)
    assert PERSON_ONLY not in letter and BY_PERSON in reasons
    assert "Du reser till närmaste vårdenhet av sitt slag." in reasons, "the rules' reasons stay"
    assert "<li>Handläggarens motivering: Bussen går hela vägen</li>" in reasons


def test_a_denial_by_the_rules_gives_their_reasons_and_no_mode(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    denied = book(app_client, operator, jh_trip(app_client, operator, anna, purpose="vaccination"))
    assert denied["status"] == "denied" and denied["decision"]["chosen_mode"]
    letter = _letter(app_client, operator, denied["id"])
    reasons = _reasons(letter)
    assert "<li>Besöket är inte en sådan vård som regionen ersätter resor till.</li>" in reasons
    assert "Beslutet är fattat enligt reglerna, utan handläggare." in reasons
    assert "Färdsätt:" not in letter and "Handläggarens motivering" not in letter
