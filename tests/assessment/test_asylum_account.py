"""Seed 001 over HTTP on SQLite and PostgreSQL: the register records that a traveller lives
in asylum housing, and their sjukresa is booked to the region's account for them."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, auth, iso, place_id, register, token_for
from samfard.access.permissions import Role

MONDAY = date(2026, 11, 23)


def test_a_resident_of_asylum_housing_travels_on_its_own_account(
    app_client: TestClient, session: Session
) -> None:
    operator = token_for(session, Role.OPERATOR, now=NOW)
    resident = register(app_client, operator, {**ANNA, "asylum_housing": True})
    other = register(app_client, operator, {**ANNA, "personal_number": "19400404-1234"})
    shown = app_client.get(f"/api/v1/travellers/{resident}", headers=auth(operator))
    assert shown.json()["asylum_housing"] is True
    hospital = place_id(app_client, operator, "Östersunds sjukhus")

    def book(traveller: int) -> dict[str, object]:
        response = app_client.post(
            "/api/v1/bookings",
            json={
                "traveller_id": traveller,
                "service": "sjukresa",
                "principal": "23",
                "purpose": "treatment",
                "legs": [
                    {
                        "origin": {"home": True},
                        "destination": {"place_id": hospital},
                        "appointment_at": iso(MONDAY, "09:30"),
                    }
                ],
            },
            headers=auth(operator),
        )
        assert response.status_code == 201, response.text
        stored = app_client.get(f"/api/v1/bookings/{response.json()['id']}", headers=auth(operator))
        return dict(stored.json()["decision"])

    assert book(resident)["cost_object"] == {"cost_centre": "1650", "cost_object": "4110"}
    assert book(other)["cost_object"] is None
