"""A decided case on /bedomning shows what stands (the decision, by the rules or which
assessor, when, the letter) and no decision form; a denied one offers reconsideration
(omprövning) as its own form; a decision form posted for a case decided meanwhile is
answered with who decided it, never "ladda om". SQLite and PostgreSQL.

A walk-through as the assessor found `/bedomning?arende=…` of a decided case offering the
form, its save answering "Ärendet har ändrats … Ladda om sidan", and the reload showing
the same form."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from assessment_fixtures import book, certificate, issuer, jh_trip, vn_trip
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import auth, login_form
from samfard.access.deps import CSRF_COOKIE


def _login(client: TestClient) -> str:
    """The assessor logs in on the page; returns the CSRF token its forms send."""
    client.cookies.clear()
    done = client.post("/login", data=login_form("assessor-user", client), follow_redirects=False)
    assert done.status_code == 303, done.text
    return str(client.cookies[CSRF_COOKIE])


def _text(html: str) -> str:
    found = re.search(r'<section class="case".*?</section>', html, re.S)
    assert found is not None, "a case is open"
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(0))))


def _approve(client: TestClient, assessor: str, booking: dict[str, Any]) -> dict[str, Any]:
    done = client.post(
        f"/api/v1/bookings/{booking['id']}/assessment",
        json={"action": "approve", "reason": "kan inte åka buss", "version": booking["version"]},
        headers=auth(assessor),
    )
    assert done.status_code == 200, done.text
    return dict(done.json())


def test_a_case_an_assessor_approved_shows_the_decision_and_no_form(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    approved = _approve(
        app_client, assessor, book(app_client, operator, jh_trip(app_client, operator, far_anna))
    )
    _login(app_client)
    html = app_client.get(f"/bedomning?arende={approved['id']}").text
    case = _text(html)
    assert "Resan är beviljad av handläggaren assessor-user" in case
    assert re.search(r"av handläggaren assessor-user \d+ \w+ 2026 kl\. \d\d:\d\d\.", case), case
    assert "Handläggarens motivering: kan inte åka buss" in case
    assert f'href="/bedomning/{approved["id"]}/brev"' in html
    assert 'name="action"' not in html and "Spara beslut" not in html, "no decision form"
    assert "Omprövning" not in case, "an approval is not reconsidered here"


def test_a_case_the_rules_approved_says_the_rules_decided(
    app_client: TestClient, session: Session, admin: str, operator: str, assessor: str, stina: int
) -> None:
    certificate(app_client, admin, stina, issuer(app_client, admin))
    booking = book(app_client, operator, vn_trip(app_client, operator, stina))
    assert booking["status"] == "approved"
    _login(app_client)
    html = app_client.get(f"/bedomning?arende={booking['id']}").text
    assert "Resan är beviljad av reglerna" in _text(html)
    assert "Spara beslut" not in html


def test_a_stale_form_for_a_case_decided_meanwhile_says_who_decided_it(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    csrf = _login(app_client)
    shown = app_client.get(f"/bedomning?arende={booking['id']}").text
    version = re.search(r'name="version" value="(\d+)"', shown)
    assert version is not None and "Spara beslut" in shown, "a waiting case has the form"
    _approve(app_client, assessor, booking)  # a colleague decides first

    stale = app_client.post(
        f"/bedomning/{booking['id']}/beslut",
        data={"csrf_token": csrf, "action": "deny", "reason": "Avslag", "version": version[1]},
    )
    assert stale.status_code == 200
    said = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", stale.text)))
    assert "Ärendet är redan avgjort och kan inte beslutas igen här." in said
    assert "Resan är beviljad av handläggaren assessor-user" in said
    assert 'href="#beslut-status"' in stale.text and 'id="beslut-status"' in stale.text
    assert "Ladda om" not in said and "Spara beslut" not in stale.text
    stored = app_client.get(f"/api/v1/bookings/{booking['id']}", headers=auth(assessor)).json()
    assert stored["status"] == "approved", "the stale form changed nothing"


def test_a_denied_case_is_reconsidered_by_its_own_form(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    denied = app_client.post(
        f"/api/v1/bookings/{booking['id']}/assessment",
        json={"action": "deny", "reason": "bussen går", "version": booking["version"]},
        headers=auth(assessor),
    ).json()
    assert denied["status"] == "denied"
    csrf = _login(app_client)
    html = app_client.get(f"/bedomning?arende={booking['id']}").text
    assert "Resan är avslagen av handläggaren assessor-user" in _text(html)
    assert "Spara beslut" not in html and "Bevilja vid omprövning" in html
    assert '<label for="omprovning-motivering">' in html

    empty = app_client.post(
        f"/bedomning/{booking['id']}/beslut",
        data={"csrf_token": csrf, "action": "approve", "reason": "", "omprovning": "1",
              "version": str(denied["version"])},
    )  # fmt: skip
    assert empty.status_code == 200 and 'href="#omprovning-motivering"' in empty.text
    done = app_client.post(
        f"/bedomning/{booking['id']}/beslut",
        data={"csrf_token": csrf, "action": "approve", "reason": "nytt intyg", "omprovning": "1",
              "version": str(denied["version"])},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303, done.text
    stored = app_client.get(f"/api/v1/bookings/{booking['id']}", headers=auth(assessor)).json()
    assert stored["status"] == "approved"
