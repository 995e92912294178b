"""The deviations API over HTTP on both databases: 201 with the answer's shape, problem+json
4xx naming the field for bad input, out-of-order steps and stale versions, nothing
half-written."""

from __future__ import annotations

from datetime import time

import pytest
from fastapi.testclient import TestClient
from quality_world import QualityWorld
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.permissions import Role
from samfard.clock import FixedClock
from samfard.quality.models import Deviation
from samfard.timeutil import local

pytestmark = pytest.mark.world_per_module


@pytest.fixture
def desk(session: Session, world: QualityWorld) -> str:
    return token_for(session, Role.OPERATOR, now=NOW, username="api-desk",
                     principals=[world.booking.principal_code])  # fmt: skip


def _count(session: Session) -> int:
    return session.scalar(select(func.count(Deviation.id))) or 0


def test_a_report_and_its_steps_over_http(
    app_client: TestClient, session: Session, world: QualityWorld, desk: str
) -> None:
    body = {"booking_id": world.booking.id, "kind": "late", "description": "35 min sent"}
    made = app_client.post("/api/v1/deviations", json=body, headers=auth(desk))
    assert made.status_code == 201, made.text
    answer = made.json()
    assert answer["status"] == "received" and answer["carrier"] == world.carrier_name
    assert answer["booking_reference"] == world.booking.reference
    assert answer["events"][0]["actor"] == "api-desk"
    url = f"/api/v1/deviations/{answer['id']}"
    listed = app_client.get("/api/v1/deviations", params={"status": "received"},
                            headers=auth(desk)).json()  # fmt: skip
    assert [d["id"] for d in listed["items"]] == [answer["id"]]
    wrong_order = app_client.post(f"{url}/steps", json={"action": "close"}, headers=auth(desk))
    assert wrong_order.status_code == 409
    assert wrong_order.headers["content-type"].startswith("application/problem+json")
    stale = app_client.post(
        f"{url}/steps", json={"action": "investigate", "version": 99}, headers=auth(desk)
    )
    assert stale.status_code == 409 and "version" in stale.text
    decided = app_client.post(
        f"{url}/steps",
        json={"action": "decide", "outcome": "upheld", "note": "Sent", "version": 1},
        headers=auth(desk),
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["penalty_ore"] == 50000
    assert app_client.get(url, headers=auth(desk)).json()["status"] == "decided"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "late", "description": "x sent"}, "booking_id"),
        ({"booking_id": 1, "trip_key": "h1", "kind": "late", "description": "sent"},
         "booking_id"),
        ({"booking_id": 1, "kind": "flat_tyre", "description": "sent"}, "kind"),
        ({"booking_id": 1, "kind": "late", "description": ""}, "description"),
        ({"booking_id": 1, "kind": "late", "description": "sent", "severity": "huge"},
         "severity"),
    ],
)  # fmt: skip
def test_bad_reports_are_422_naming_the_field_and_store_nothing(
    app_client: TestClient, session: Session, desk: str, body: dict[str, object], field: str
) -> None:
    answer = app_client.post("/api/v1/deviations", json=body, headers=auth(desk))
    assert answer.status_code == 422
    assert field in answer.text
    assert _count(session) == 0


def test_a_decision_without_outcome_is_422_and_changes_nothing(
    app_client: TestClient, session: Session, world: QualityWorld, desk: str
) -> None:
    body = {"booking_id": world.booking.id, "kind": "conduct", "description": "Otrevlig"}
    made = app_client.post("/api/v1/deviations", json=body, headers=auth(desk)).json()
    refused = app_client.post(
        f"/api/v1/deviations/{made['id']}/steps", json={"action": "decide"}, headers=auth(desk)
    )
    assert refused.status_code == 422 and "outcome" in refused.text
    again = app_client.get(f"/api/v1/deviations/{made['id']}", headers=auth(desk)).json()
    assert again["status"] == "received" and len(again["events"]) == 1


def test_a_future_occurrence_is_refused(
    app_client: TestClient, world: QualityWorld, desk: str
) -> None:
    body = {"booking_id": world.booking.id, "kind": "late", "description": "sent",
            "occurred_at": "2030-01-01T10:00:00+01:00"}  # fmt: skip
    answer = app_client.post("/api/v1/deviations", json=body, headers=auth(desk))
    assert answer.status_code == 422 and "occurred_at" in answer.text


def test_a_blank_description_and_a_trip_still_to_come_are_refused_at_their_fields(
    app_client: TestClient, session: Session, world: QualityWorld, desk: str, clock: FixedClock
) -> None:
    """Three spaces are no description; a report with no time of its own about a trip not
    yet made points at the trip, not at an occurred_at the reporter never sent."""
    before = _count(session)
    body = {"booking_id": world.booking.id, "kind": "late", "description": "   "}
    blank = app_client.post("/api/v1/deviations", json=body, headers=auth(desk))
    assert blank.status_code == 422 and blank.json()["field"] == "description", blank.text
    clock.current = local(world.booking.service_date, time(0, 5))
    body["description"] = "Bilen kom inte"
    early = app_client.post("/api/v1/deviations", json=body, headers=auth(desk))
    assert early.status_code == 422, early.text
    assert early.json()["field"] == "booking_id"
    assert "still to come" in early.json()["detail"]
    assert early.json()["detail_sv"].startswith("Resan hämtas ")
    assert _count(session) == before
