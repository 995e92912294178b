"""The series decision over the API, `POST /api/v1/bookings/{id}/series-assessment`: the
same `series_decision.decide_series` as /bedomning's "Besluta alla resor i serien
likadant", with the single decision's permission and scope, on SQLite and PostgreSQL.
The page had it and the API did not, so a client decided a series trip by trip."""

from __future__ import annotations

from typing import Any

from assessment_fixtures import book, dialysis_series, jh_trip, ledger_rows
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.booking.models import Booking

PROBLEM = "application/problem+json"


def _trips(client: TestClient, token: str, ids: list[int]) -> list[dict[str, int]]:
    """The trips and their versions as the assessor reads them."""
    read = [client.get(f"/api/v1/bookings/{i}", headers=auth(token)).json() for i in ids]
    return [{"id": b["id"], "version": b["version"]} for b in read]


def _decide(client: TestClient, token: str, booking_id: int, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/bookings/{booking_id}/series-assessment", json=body, headers=auth(token)
    )


def test_every_waiting_trip_of_the_series_is_decided_alike(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    """Each trip approved with its event, fees and audit entry; the answer lists them in
    date order."""
    ids = dialysis_series(app_client, operator, far_anna)
    body = {"action": "approve", "reason": "Dialys, orkar inte buss",
            "trips": _trips(app_client, assessor, ids)}  # fmt: skip
    answer = _decide(app_client, assessor, ids[2], body)
    assert answer.status_code == 200, answer.text
    decided = answer.json()
    assert [b["id"] for b in decided] == ids
    assert {b["status"] for b in decided} == {"approved"}
    assert {b["decided"]["decided_by_user"] for b in decided} == {"assessor-user"}
    session.expire_all()
    for booking_id in ids:
        booking = session.get(Booking, booking_id)
        assert booking is not None and booking.events[-1].reason == f"assessor: {body['reason']}"
        assert ledger_rows(session, booking_id), "fees recorded for each trip"
        audited = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.record_id == str(booking_id), AuditEntry.username == "assessor-user"
            )
        ).all()
        assert set(audited) - {"read", "list"}, booking_id


def test_a_series_changed_since_it_was_read_is_409_and_nothing_is_decided(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    ids = dialysis_series(app_client, operator, far_anna)
    trips = _trips(app_client, assessor, ids)
    one = app_client.post(
        f"/api/v1/bookings/{ids[4]}/assessment",
        json={"action": "deny", "reason": "flyttad", "version": trips[4]["version"]},
        headers=auth(assessor),
    )
    assert one.status_code == 200, one.text
    deny = {"action": "deny", "reason": "Dialys"}
    answer = _decide(app_client, assessor, ids[0], deny | {"trips": trips})
    assert answer.status_code == 409 and answer.headers["content-type"].startswith(PROBLEM)
    assert "read the series again" in answer.json()["detail"]
    stale = [dict(t, version=t["version"] + 1) if t["id"] == ids[0] else t for t in trips]
    waiting = [t for t in stale if t["id"] != ids[4]]
    answer = _decide(app_client, assessor, ids[0], deny | {"trips": waiting})
    assert answer.status_code == 409, "a trip changed since it was read"
    session.expire_all()
    statuses = [session.get(Booking, i).status for i in ids]  # type: ignore[union-attr]
    assert statuses == ["requested"] * 4 + ["denied", "requested"]


def test_the_single_decisions_permission_and_scope(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    """An operator lacks assessments:decide (403); an assessor of Region Västernorrland
    finds no series of Region Jämtland Härjedalen (404, as the single decision answers)."""
    ids = dialysis_series(app_client, operator, far_anna)
    body = {"action": "approve", "reason": "Dialys", "trips": _trips(app_client, assessor, ids)}
    lacks = _decide(app_client, operator, ids[0], body)
    assert lacks.status_code == 403 and "assessments:decide" in lacks.json()["detail"]
    other = token_for(session, Role.ASSESSOR, now=NOW, username="vn-assessor", principals=["22"])
    single = app_client.post(
        f"/api/v1/bookings/{ids[0]}/assessment",
        json={"action": "approve", "reason": "Dialys"},
        headers=auth(other),
    )
    outside = _decide(app_client, other, ids[0], body)
    assert outside.status_code == single.status_code == 404
    assert outside.headers["content-type"].startswith(PROBLEM)
    session.expire_all()
    assert {session.get(Booking, i).status for i in ids} == {"requested"}  # type: ignore[union-attr]


def test_bad_input_is_422_problem_json_naming_the_field(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    alone = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    trip = {"id": alone["id"], "version": alone["version"]}
    body = {"action": "approve", "reason": "Dialys", "trips": [trip]}
    answer = _decide(app_client, assessor, alone["id"], body)
    assert answer.status_code == 422 and answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["field"] == "booking_id" and "not part of a series" in answer.text
    for wrong in (
        {"action": "change_mode", "reason": "Dialys", "trips": [trip]},
        {"action": "approve", "reason": "Dialys", "trips": [trip, trip]},
        {"action": "approve", "reason": "Dialys", "trips": []},
        {"action": "approve", "reason": "x", "trips": [trip]},
    ):
        refused = _decide(app_client, assessor, alone["id"], wrong)
        assert refused.status_code == 422, wrong
        assert refused.headers["content-type"].startswith(PROBLEM)


def test_the_document_describes_it_as_its_neighbours(app_client: TestClient) -> None:
    """Tagged assessment with a described body, and the problem answers of a state change."""
    document = app_client.get("/api/v1/openapi.json").json()
    route = document["paths"]["/api/v1/bookings/{booking_id}/series-assessment"]["post"]
    single = document["paths"]["/api/v1/bookings/{booking_id}/assessment"]["post"]
    assert route["tags"] == single["tags"] == ["assessment"]
    assert route["description"].startswith("Approve or deny every waiting trip of the series")
    assert set(route["responses"]) == set(single["responses"])
    assert "SeriesDecision" in document["components"]["schemas"]
