"""Found by the security probe of 2026-12-06: an assessor's decision on another principal's
booking answered 403 naming who pays (a missing one 404), and a traveller could record
their own booking as made by care staff or the desk."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_bookings_api import MONDAY, sjukresa

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, iso, place_id, register, token_for
from samfard.access.permissions import Role
from samfard.access.service import create_user, issue_token
from samfard.booking.models import Booking


@pytest.mark.parametrize("version", [None, 99])
def test_a_decision_on_another_principals_booking_is_answered_as_a_missing_one(
    app_client: TestClient, session: Session, version: int | None
) -> None:
    operator = token_for(session, Role.OPERATOR, now=NOW)
    traveller = register(app_client, operator)
    booked = app_client.post(
        "/api/v1/bookings", json=sjukresa(app_client, operator, traveller), headers=auth(operator)
    )
    assert booked.status_code == 201, booked.text
    booking_id = booked.json()["id"]
    assessor = token_for(session, Role.ASSESSOR, now=NOW, principals=["22"])
    decision = {"action": "approve", "reason": "ok"} | ({"version": version} if version else {})
    for asked in (booking_id, 999_999):
        answer = app_client.post(
            f"/api/v1/bookings/{asked}/assessment", json=decision, headers=auth(assessor)
        )
        assert answer.status_code == 404, answer.text
        assert answer.json()["detail"] == f"no booking with id {asked}"


def test_a_travellers_own_booking_is_recorded_as_self_service_whatever_it_says(
    app_client: TestClient, session: Session
) -> None:
    operator = token_for(session, Role.OPERATOR, now=NOW)
    traveller = register(app_client, operator, ANNA)
    permit = {"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01"}
    granted = app_client.post(
        f"/api/v1/travellers/{traveller}/permits", json=permit, headers=auth(operator)
    )
    assert granted.status_code == 201, granted.text
    user = create_user(session=session, username="anna-resenar", password=STRONG_PASSWORD,
                       role=Role.TRAVELLER, now=NOW, traveller_id=traveller)  # fmt: skip
    token = issue_token(session=session, user=user, kind="bearer", now=NOW)
    body = {
        "traveller_id": traveller,
        "service": "fardtjanst",
        "principal": "2380",
        "channel": "care",
        "legs": [
            {
                "origin": {"home": True},
                "destination": {"place_id": place_id(app_client, operator, "Östersunds sjukhus")},
                "pickup_at": iso(MONDAY, "10:00"),
            }
        ],
    }
    answer = app_client.post("/api/v1/bookings", json=body, headers=auth(token))
    assert answer.status_code == 201, answer.text
    session.expire_all()
    stored = session.scalar(select(Booking.channel).where(Booking.id == answer.json()["id"]))
    assert stored == "self_service"
    # Staff may not book as the traveller: the channel counts in the follow-up.
    as_traveller = app_client.post(
        "/api/v1/bookings", json=body | {"channel": "self_service"}, headers=auth(operator)
    )
    assert as_traveller.status_code == 422, as_traveller.text
    assert as_traveller.json()["field"] == "channel"
    # Nor as a care unit: a care booking names the unit that made it, which staff have not.
    as_care = app_client.post(
        "/api/v1/bookings", json=body | {"channel": "care"}, headers=auth(operator)
    )
    assert as_care.status_code == 422, as_care.text
    assert as_care.json()["field"] == "channel" and "phone" in as_care.json()["detail"]
