"""Scope and privacy: principal-scoped users see nothing of another principal's bookings,
a traveller only their own; a protected identity's name, number and address never reach a
role without the right, in any response or in the logs."""

from __future__ import annotations

import logging

import pytest
from access_world import PROTECTED, PROTECTED_SECRETS, build_world
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.permissions import Role


def test_operator_of_ostersund_sees_nothing_of_sundsvall(
    app_client: TestClient, session: Session
) -> None:
    world = build_world(app_client, session)
    # Anna's sjukresa is paid by region 23, the hidden traveller's by region 22.
    jamtland = token_for(session, Role.OPERATOR, now=NOW, username="ost-op", principals=["23"])
    listed = app_client.get("/api/v1/bookings", headers=auth(jamtland)).json()
    assert [b["id"] for b in listed["items"]] == [world.anna_booking]
    assert app_client.get(
        f"/api/v1/bookings/{world.hidden_booking}", headers=auth(jamtland)
    ).status_code in (403, 404)
    by_filter = app_client.get(
        "/api/v1/bookings", params={"principal": "22"}, headers=auth(jamtland)
    ).json()
    assert by_filter["total"] == 0


def test_analyst_sees_no_bookings_or_travellers_at_all(
    app_client: TestClient, session: Session
) -> None:
    build_world(app_client, session)
    analyst = token_for(session, Role.ANALYST, now=NOW, username="ana", principals=["2380"])
    assert app_client.get("/api/v1/bookings", headers=auth(analyst)).status_code == 403
    assert app_client.get("/api/v1/travellers", headers=auth(analyst)).status_code == 403


def test_traveller_sees_only_their_own_bookings(app_client: TestClient, session: Session) -> None:
    world = build_world(app_client, session)
    anna = token_for(session, Role.TRAVELLER, now=NOW, username="anna", traveller_id=world.anna)
    listed = app_client.get("/api/v1/bookings", headers=auth(anna)).json()
    assert [b["id"] for b in listed["items"]] == [world.anna_booking]
    other = app_client.get(f"/api/v1/bookings/{world.hidden_booking}", headers=auth(anna))
    assert other.status_code in (403, 404)


def _leaks(text: str) -> list[str]:
    return [secret for secret in PROTECTED_SECRETS if secret in text]


def _server_log(caplog: pytest.LogCaptureFixture) -> str:
    """What Samfard logged; the test client's own request lines (httpx) are the caller's."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))


def test_protected_identity_never_reaches_roles_without_the_right(
    app_client: TestClient, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    world = build_world(app_client, session)
    for token in (world.operator, world.admin):  # neither has may_see_protected
        for url in (
            "/api/v1/travellers",
            "/api/v1/travellers?q=Hemlig",
            f"/api/v1/travellers/{world.hidden}",
            f"/api/v1/travellers/{world.hidden}/permits",
            f"/api/v1/audit?traveller_id={world.hidden}",
            f"/api/v1/travellers/{world.hidden}/extract",
        ):
            response = app_client.get(url, headers=auth(token))
            assert _leaks(response.text) == [], url
    # A search never matches a protected identity on its hidden name or number for a
    # caller without the right (tests/access/test_access_findings.py has the oracle).
    found = app_client.get(
        "/api/v1/travellers", params={"q": "19800101"}, headers=auth(world.operator)
    ).json()
    assert found["items"] == [] and found["total"] == 0
    # Error messages: registering the same number again names no one.
    again = app_client.post("/api/v1/travellers", json=PROTECTED, headers=auth(world.operator))
    assert again.status_code == 409
    assert _leaks(again.text) == []
    assert _leaks(_server_log(caplog)) == []


def test_protected_identity_is_masked_in_booking_lists_and_cards(
    app_client: TestClient, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    world = build_world(app_client, session)
    for url in ("/api/v1/bookings", f"/api/v1/bookings/{world.hidden_booking}"):
        response = app_client.get(url, headers=auth(world.operator))
        assert response.status_code == 200
        assert _leaks(response.text) == [], url
    assert _leaks(_server_log(caplog)) == []


def test_a_user_with_the_right_sees_the_protected_identity(
    app_client: TestClient, session: Session
) -> None:
    """The masking is a decision per role, not a loss of data."""
    world = build_world(app_client, session)
    trusted = token_for(session, Role.OPERATOR, now=NOW, username="trusted", may_see_protected=True)
    card = app_client.get(f"/api/v1/travellers/{world.hidden}", headers=auth(trusted)).json()
    assert card["first_name"] == "Hemlig"
    extract_admin = token_for(
        session, Role.SYSTEM_ADMIN, now=NOW, username="dpo", may_see_protected=True
    )
    extract = app_client.get(
        f"/api/v1/travellers/{world.hidden}/extract", headers=auth(extract_admin)
    )
    assert "Dolda gränd" in extract.text
