"""Input the API used to read as something else: `true` taken as id 1, a need or weekday
given twice stored twice, and a permit's extra service area that no rule can ever match (a
name, a typo) stored as given. Each is now 422 naming the field, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_bookings_api import dialysis_series, sjukresa

from helpers import NOW, auth, register, token_for
from samfard.access.permissions import Role
from samfard.booking.models import Booking, Series
from samfard.travellers.models import Permit


def _count(session: Session, model: type[Any]) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"traveller_id": True}, "traveller_id"),
        ({"needs": ["wheelchair", "wheelchair"]}, "needs"),
    ],
)
def test_a_booking_with_a_true_for_an_id_or_a_need_twice_is_refused(
    app_client: TestClient, session: Session, change: dict[str, object], field: str
) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW)
    traveller_id = register(app_client, token)
    body = sjukresa(app_client, token, traveller_id) | change
    answer = app_client.post("/api/v1/bookings", json=body, headers=auth(token))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert _count(session, Booking) == 0


@pytest.mark.parametrize(
    ("change", "field", "said"),
    [
        ({"weekdays": ["mon", "wed", "mon"]}, "weekdays", "mon is given twice"),
        ({"exception_dates": ["2026-11-25", "2026-11-25"]}, "exception_dates", "2026-11-25"),
        ({"needs": ["wheelchair", "wheelchair"]}, "needs", "wheelchair is given twice"),
    ],
)
def test_a_series_with_an_item_given_twice_is_refused(
    app_client: TestClient, session: Session, change: dict[str, object], field: str, said: str
) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW)
    traveller_id = register(app_client, token)
    body = dialysis_series(app_client, token, traveller_id) | change
    answer = app_client.post("/api/v1/series", json=body, headers=auth(token))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert said in answer.json()["detail"]
    assert _count(session, Series) == 0 and _count(session, Booking) == 0


def _permit(app_client: TestClient, token: str, traveller_id: int, areas: list[str]) -> Any:
    permit = {
        "kind": "fardtjanst",
        "principal": "2380",
        "valid_from": "2026-11-01",
        "service_area": areas,
    }
    return app_client.post(
        f"/api/v1/travellers/{traveller_id}/permits", json=permit, headers=auth(token)
    )


@pytest.mark.parametrize(
    "areas",
    [["9999"], ["Krokom"], ["midlanda flygplats"], ["2309", "2309"]],
)
def test_a_permit_area_no_rule_can_match_or_given_twice_is_refused(
    app_client: TestClient, session: Session, areas: list[str]
) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW)
    traveller_id = register(app_client, token)
    answer = _permit(app_client, token, traveller_id, areas)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "service_area"
    assert _count(session, Permit) == 0


def test_a_permit_area_by_municipality_code_or_place_key_is_stored(
    app_client: TestClient, session: Session
) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW)
    traveller_id = register(app_client, token)
    answer = _permit(app_client, token, traveller_id, ["2309", "midlanda-flygplats"])
    assert answer.status_code == 201, answer.text
    assert answer.json()["service_area"] == ["2309", "midlanda-flygplats"]


@pytest.mark.parametrize(
    ("content_type", "body", "said"),
    [
        (
            "text/plain",
            b'{"first_name": "Anna"}',
            "Content-Type: application/json (it came as text/plain)",
        ),
        (None, b'{"first_name": "Anna"}', "(it came without a Content-Type)"),
        ("application/json", b"[1, 2]", "the body must be a JSON object"),
    ],
)
def test_a_body_refused_whole_says_what_to_send(
    app_client: TestClient, session: Session, content_type: str | None, body: bytes, said: str
) -> None:
    """JSON sent as text/plain was refused with pydantic's 'Input should be a valid
    dictionary or object to extract fields from', which does not say what to change."""
    token = token_for(session, Role.OPERATOR, now=NOW)
    headers = auth(token) | ({"Content-Type": content_type} if content_type else {})
    answer = app_client.post("/api/v1/travellers", content=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "body"
    assert said in answer.json()["detail"]
