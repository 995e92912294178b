"""Partial updates never store a null in a field that may not be empty: an explicit null is
422 problem+json naming the field, and nothing of that request is written."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, auth, register, stored_traveller, token_for
from samfard.access.permissions import Role

TRAVELLER_NOT_NULL = [
    "first_name",
    "last_name",
    "protected_identity",
    "address",
    "language",
    "mobility_aids",
]


@pytest.mark.parametrize("field", TRAVELLER_NOT_NULL)
def test_null_for_a_required_traveller_field_is_422_and_writes_nothing(
    app_client: TestClient, session: Session, field: str
) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW)
    traveller_id = register(app_client, token)
    answer = app_client.patch(
        f"/api/v1/travellers/{traveller_id}",
        json={"version": 1, "phone": "070-1111111", field: None},
        headers=auth(token),
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field
    assert "null" in answer.json()["detail"]
    stored = stored_traveller(session, traveller_id)
    assert stored.phone == "070-1234567" and stored.version == 1  # nothing half-written
    # The register still reads: no stored poison.
    assert app_client.get(f"/api/v1/travellers/{traveller_id}", headers=auth(token)).is_success
    listed = app_client.get("/api/v1/travellers", params={"q": "Testsson"}, headers=auth(token))
    assert listed.is_success and listed.json()["total"] == 1


def test_null_clears_what_may_be_empty(app_client: TestClient, session: Session) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW)
    traveller_id = register(app_client, token)
    answer = app_client.patch(
        f"/api/v1/travellers/{traveller_id}",
        json={"version": 1, "phone": None, "driver_notes": None},
        headers=auth(token),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["phone"] is None


def test_update_schemas_do_not_offer_null_for_required_fields(app_client: TestClient) -> None:
    """The OpenAPI document says the same as the validation: no null for these fields."""
    schemas = app_client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name, fields in (
        ("TravellerUpdate", TRAVELLER_NOT_NULL),
        ("BookingUpdate", ["companions", "needs"]),
    ):
        properties = schemas[name]["properties"]
        for field in fields:
            assert {"type": "null"} not in properties[field].get("anyOf", []), (name, field)
            assert properties[field].get("type") != "null", (name, field)
