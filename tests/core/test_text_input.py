"""A NUL character in any text of a request is 422 naming the field, on both databases;
PostgreSQL cannot store it and used to fail the statement with a 500."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, auth, register, stored_traveller, token_for
from samfard.access.permissions import Role


def test_nul_in_a_name_is_422_and_nothing_is_written(
    app_client: TestClient, session: Session
) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW)
    traveller_id = register(app_client, token)
    answer = app_client.patch(
        f"/api/v1/travellers/{traveller_id}",
        json={"version": 1, "first_name": "An\u0000na"},
        headers=auth(token),
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == "first_name"
    assert "NUL" in answer.json()["detail"]
    assert stored_traveller(session, traveller_id).first_name == "Anna"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"last_name": "Test\u0000sson"}, "last_name"),
        ({"address": {**ANNA["address"], "street": "Storgatan\u0000 1"}}, "address.street"),  # type: ignore[dict-item]
        ({"mobility_aids": ["rollator\u0000"]}, "mobility_aids[0]"),
    ],
)
def test_nul_anywhere_in_a_json_body_names_its_field(
    app_client: TestClient, session: Session, change: dict[str, object], field: str
) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW)
    answer = app_client.post("/api/v1/travellers", json=ANNA | change, headers=auth(token))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


@pytest.mark.parametrize(
    "media", ["application/vnd.api+json", "application/json; charset=utf-8", "APPLICATION/JSON"]
)
def test_nul_in_json_sent_under_another_json_media_type_is_422(
    app_client: TestClient, session: Session, media: str
) -> None:
    """FastAPI reads every application/…+json body as JSON, so the check reads them too
    (a vnd.api+json body used to reach PostgreSQL with its NUL: 500)."""
    token = token_for(session, Role.OPERATOR, now=NOW)
    body = json.dumps(ANNA | {"last_name": "Test\u0000sson"})
    answer = app_client.post(
        "/api/v1/travellers", content=body, headers=auth(token) | {"content-type": media}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "last_name"


def test_nul_in_a_query_or_a_form_is_422(app_client: TestClient, session: Session) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW)
    search = app_client.get("/api/v1/travellers", params={"q": "An\x00"}, headers=auth(token))
    assert search.status_code == 422, search.text
    assert search.json()["field"] == "q"
    form = app_client.post(
        "/api/v1/auth/token", data={"username": "operator-user\x00", "password": "x"}
    )
    assert form.status_code == 422, form.text
    assert form.json()["field"] == "username"


def test_an_escaped_backslash_u0000_is_ordinary_text(
    app_client: TestClient, session: Session
) -> None:
    """The six characters backslash-u-0-0-0-0 are not a NUL and are stored as written."""
    token = token_for(session, Role.OPERATOR, now=NOW)
    traveller_id = register(app_client, token)
    answer = app_client.patch(
        f"/api/v1/travellers/{traveller_id}",
        json={"version": 1, "driver_notes": "kod \\u0000 på porten"},
        headers=auth(token),
    )
    assert answer.status_code == 200, answer.text
    assert stored_traveller(session, traveller_id).driver_notes == "kod \\u0000 på porten"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"first_name": "   "}, "first_name"),
        ({"last_name": "\u200b"}, "last_name"),
        ({"address": {**ANNA["address"], "street": " "}}, "address.street"),  # type: ignore[dict-item]
        ({"address": {**ANNA["address"], "city": "\t\n"}}, "address.city"),  # type: ignore[dict-item]
        ({"phone": "abc"}, "phone"),
        ({"phone": "   "}, "phone"),
    ],
)
def test_a_name_address_or_phone_with_nothing_readable_in_it_is_refused(
    app_client: TestClient, session: Session, change: dict[str, object], field: str
) -> None:
    """Spaces, a zero-width space or letters for a phone number were registered; a driver
    or an SMS can do nothing with them."""
    token = token_for(session, Role.OPERATOR, now=NOW)
    answer = app_client.post("/api/v1/travellers", json=ANNA | change, headers=auth(token))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


def test_names_and_phones_are_stored_trimmed(app_client: TestClient, session: Session) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW)
    body = ANNA | {"first_name": "  Anna ", "phone": " +46 70-123 45 67 "}
    traveller_id = register(app_client, token, body)
    stored = stored_traveller(session, traveller_id)
    assert (stored.first_name, stored.phone) == ("Anna", "+46 70-123 45 67")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"valid_from": "0001-01-01"}, "valid_from"),
        ({"valid_until": "9999-12-31"}, "valid_until"),
        ({"notes": "x" * 2001}, "notes"),
        ({"service_area": ["x" * 61]}, "service_area[0]"),
        ({"service_area": ["2281"] * 41}, "service_area"),
    ],
)
def test_a_permit_of_impossible_years_or_unbounded_text_is_refused(
    app_client: TestClient, session: Session, change: dict[str, object], field: str
) -> None:
    """A permit valid from year 1 to 9999, notes of 100 KB and a thousand service areas
    of a thousand characters were all taken."""
    token = token_for(session, Role.OPERATOR, now=NOW)
    traveller_id = register(app_client, token)
    permit = {"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01"} | change
    answer = app_client.post(
        f"/api/v1/travellers/{traveller_id}/permits", json=permit, headers=auth(token)
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


def test_a_home_in_a_municipality_no_principal_has_is_refused(
    app_client: TestClient, session: Session
) -> None:
    """Kommun 9999 was registered through the API (the page refused it), leaving a
    traveller no municipality pays for; registering and moving alike are refused."""
    token = token_for(session, Role.OPERATOR, now=NOW)
    elsewhere = {**ANNA["address"], "municipality_code": "9999"}  # type: ignore[dict-item]
    answer = app_client.post(
        "/api/v1/travellers", json=ANNA | {"address": elsewhere}, headers=auth(token)
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "address.municipality_code"
    traveller_id = register(app_client, token)
    moved = app_client.patch(
        f"/api/v1/travellers/{traveller_id}",
        json={"version": 1, "address": elsewhere},
        headers=auth(token),
    )
    assert moved.status_code == 422, moved.text
    assert stored_traveller(session, traveller_id).municipality_code == "2380"
