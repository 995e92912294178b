"""A small world for access tests: travellers in Östersund and Sundsvall (one with a
protected identity), a booking each, and one token per role. Anna lives kilometres from
any bus stop, so her taxi waits in the assessor's queue (the queue's reads are audited
too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import ANNA_FAR_FROM_A_LINE, NOW, auth, iso, place_id, register, token_for
from samfard.access.permissions import Role

MONDAY = date(2026, 11, 23)
CARE_UNIT = "Östersunds sjukhus, dialys"

PROTECTED = {
    "personal_number": "19800101-0001",  # hypothetical, passes the Luhn check
    "first_name": "Hemlig",
    "last_name": "Gömdsson",
    "protected_identity": True,
    "address": {
        "street": "Dolda gränd 7",
        "postal_code": "851 70",
        "city": "Sundsvall",
        "municipality_code": "2281",
        "lat": 62.3908,
        "lon": 17.3069,
    },
    "phone": "070-9998877",
}
PROTECTED_SECRETS = ("Hemlig", "Gömdsson", "198001010001", "800101-0001", "Dolda gränd", "9998877")


def sjukresa(client: TestClient, token: str, traveller_id: int, region: str) -> dict[str, Any]:
    hospital = place_id(
        client, token, "Östersunds sjukhus" if region == "23" else "Sundsvalls sjukhus"
    )
    return {
        "traveller_id": traveller_id,
        "service": "sjukresa",
        "principal": region,
        "purpose": "treatment",
        "legs": [
            {
                "origin": {"home": True},
                "destination": {"place_id": hospital},
                "appointment_at": iso(MONDAY, "09:30"),
            }
        ],
        "message_to_driver": "Ring på porttelefonen",
    }


def book(client: TestClient, token: str, traveller_id: int, region: str) -> int:
    response = client.post(
        "/api/v1/bookings", json=sjukresa(client, token, traveller_id, region), headers=auth(token)
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@dataclass(frozen=True)
class World:
    admin: str
    operator: str
    anna: int
    hidden: int
    anna_booking: int
    hidden_booking: int


def build_world(client: TestClient, session: Session) -> World:
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="world-admin")
    operator = token_for(session, Role.OPERATOR, now=NOW, username="world-operator")
    anna = register(client, operator, ANNA_FAR_FROM_A_LINE)
    hidden = register(client, operator, PROTECTED)
    return World(
        admin=admin,
        operator=operator,
        anna=anna,
        hidden=hidden,
        anna_booking=book(client, operator, anna, "23"),
        hidden_booking=book(client, operator, hidden, "22"),
    )


def role_token(session: Session, role: Role, *, traveller_id: int, **extra: Any) -> str:
    """A token for `role` with a scope wide enough that only the permission can refuse."""
    scope: dict[str, Any] = {
        "carrier_id": 1,
        "care_unit": CARE_UNIT,
        "traveller_id": traveller_id if role is Role.TRAVELLER else None,
    }
    scope.update(extra)
    return token_for(session, role, now=NOW, username=f"matrix-{role.value}", **scope)
