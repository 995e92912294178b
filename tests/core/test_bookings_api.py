"""Bookings over HTTP on SQLite and PostgreSQL: creation, filters, lifecycle, idempotency,
optimistic locking, and bad input answered with problem+json naming the field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import ANNA, ANNA_FAR_FROM_A_LINE, NOW, auth, iso, place_id, register, token_for
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.booking.models import Booking, BookingEvent
from samfard.clock import FixedClock

MONDAY = date(2026, 11, 23)


@pytest.fixture
def operator(session: Session) -> str:
    return token_for(session, Role.OPERATOR, now=NOW)


@pytest.fixture
def anna(app_client: TestClient, operator: str) -> int:
    return register(app_client, operator)


def sjukresa(client: TestClient, token: str, traveller_id: int, **changes: Any) -> dict[str, Any]:
    hospital = place_id(client, token, "Östersunds sjukhus")
    body: dict[str, Any] = {
        "traveller_id": traveller_id,
        "service": "sjukresa",
        "principal": "23",
        "purpose": "treatment",
        "legs": [
            {
                "origin": {"home": True},
                "destination": {"place_id": hospital},
                "appointment_at": iso(MONDAY, "09:30"),
            },
            {
                "origin": {"place_id": hospital},
                "destination": {"home": True},
                "pickup_at": iso(MONDAY, "12:00"),
                "return_of": 0,
            },
        ],
        "companions": [{"kind": "escort"}],
        "needs": ["wheelchair"],
        "message_to_driver": "Ring på porttelefonen",
    }
    body.update(changes)
    return body


def count(session: Session) -> int:
    return session.scalar(select(func.count(Booking.id))) or 0


def test_booking_is_stored_with_legs_and_listed_by_day(
    app_client: TestClient, operator: str, anna: int
) -> None:
    created = app_client.post(
        "/api/v1/bookings", json=sjukresa(app_client, operator, anna), headers=auth(operator)
    )
    assert created.status_code == 201, created.text
    booking = created.json()
    assert booking["status"] == "requested"
    assert booking["service_date"] == "2026-11-23"
    assert [leg["direction"] for leg in booking["legs"]] == ["outward", "return"]
    assert booking["legs"][1]["return_of_seq"] == 0
    assert booking["reference"].startswith("SF-")

    listed = app_client.get(
        "/api/v1/bookings", params={"date": "2026-11-23"}, headers=auth(operator)
    ).json()
    assert [b["id"] for b in listed["items"]] == [booking["id"]]
    other_day = app_client.get(
        "/api/v1/bookings", params={"date": "2026-11-24"}, headers=auth(operator)
    ).json()
    assert other_day["total"] == 0
    by_filters = app_client.get(
        "/api/v1/bookings",
        params={
            "status": "requested",
            "principal": "23",
            "service": "sjukresa",
            "traveller_id": anna,
            "date_from": "2026-11-01",
            "date_to": "2026-11-30",
        },
        headers=auth(operator),
    ).json()
    assert by_filters["total"] == 1


def test_a_booking_names_the_travellers_trips_at_the_same_time(
    app_client: TestClient, operator: str, anna: int, session: Session
) -> None:
    """The API's answer names a likely double booking, as the desk's receipt does: the
    same visit booked twice overlaps, a trip that evening does not; the showing is audited."""
    body = sjukresa(app_client, operator, anna)
    first = app_client.post("/api/v1/bookings", json=body, headers=auth(operator)).json()
    assert first["overlapping"] == []
    again = app_client.post("/api/v1/bookings", json=body, headers=auth(operator))
    assert again.status_code == 201, again.text
    [overlap] = again.json()["overlapping"]
    assert overlap["booking_id"] == first["id"] and overlap["reference"] == first["reference"]
    starts, ends = (datetime.fromisoformat(overlap[k]) for k in ("starts", "ends"))
    assert starts < datetime.fromisoformat(iso(MONDAY, "09:30")), "it leaves before the visit"
    assert ends > datetime.fromisoformat(iso(MONDAY, "12:00")), "and is home after the return"
    assert starts.microsecond == ends.microsecond == 0
    evening = sjukresa(app_client, operator, anna)
    evening["legs"] = [{**evening["legs"][0], "appointment_at": iso(MONDAY, "19:00")}]
    later = app_client.post("/api/v1/bookings", json=evening, headers=auth(operator)).json()
    assert later["overlapping"] == []
    audited = session.scalars(
        select(AuditEntry).where(
            AuditEntry.purpose == "double booking check", AuditEntry.record_id == str(first["id"])
        )
    ).all()
    assert len(audited) == 1


def test_pagination_reports_total_and_slices(
    app_client: TestClient, operator: str, anna: int
) -> None:
    for hour in ("08:00", "09:00", "10:00"):
        body = sjukresa(app_client, operator, anna)
        body["legs"] = [{**body["legs"][0], "appointment_at": iso(MONDAY, hour)}]
        assert (
            app_client.post("/api/v1/bookings", json=body, headers=auth(operator)).status_code
            == 201
        )
    page = app_client.get(
        "/api/v1/bookings", params={"limit": 2, "offset": 2}, headers=auth(operator)
    ).json()
    assert page["total"] == 3
    assert len(page["items"]) == 1


def test_lifecycle_transitions_are_stored_as_events(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    """The traffic controller (an operator over every principal) moves a booking through
    planning and driving by hand; approving it is the assessor's decision, taken through
    the assessment route, not a plain transition."""
    assessor = token_for(session, Role.ASSESSOR, now=NOW)
    booking = app_client.post(
        "/api/v1/bookings", json=sjukresa(app_client, operator, anna), headers=auth(operator)
    ).json()
    assert booking["status"] == "requested", "a Jämtland taxi sjukresa waits for an assessor"
    url = f"/api/v1/bookings/{booking['id']}"
    by_transition = app_client.post(
        f"{url}/transitions", json={"to": "approved", "reason": "x"}, headers=auth(assessor)
    )
    assert by_transition.status_code == 409
    assert by_transition.json()["field"] == "to"
    approved = app_client.post(
        f"{url}/assessment", json={"action": "approve", "reason": "test"}, headers=auth(assessor)
    )
    assert approved.status_code == 200, approved.text
    for target, token in (
        ("scheduled", operator),
        ("assigned", operator),
        ("in_progress", operator),
        ("completed", operator),
    ):
        moved = app_client.post(
            f"{url}/transitions", json={"to": target, "reason": "test"}, headers=auth(token)
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["status"] == target
    refused = app_client.post(
        f"{url}/transitions", json={"to": "cancelled", "reason": "x"}, headers=auth(operator)
    )
    assert refused.status_code == 409
    assert "from completed to cancelled" in refused.json()["detail"]
    history = app_client.get(f"{url}/events", headers=auth(operator)).json()
    assert [(e["from_status"], e["to_status"]) for e in history] == [
        (None, "requested"),
        ("requested", "approved"),
        ("approved", "scheduled"),
        ("scheduled", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "completed"),
    ]
    assert [e["actor"] for e in history] == ["operator-user", "assessor-user"] + 4 * [
        "operator-user"
    ]


def test_only_the_traffic_controller_moves_a_trip_through_planning_and_driving_by_hand(
    app_client: TestClient, session: Session, operator: str, anna: int, clock: FixedClock
) -> None:
    """A traveller may cancel their trip but not mark it completed; a desk scoped to one
    region may not record a no-show (and its fee); the controller may, once the pickup
    time has come, not hours before it."""
    assessor = token_for(session, Role.ASSESSOR, now=NOW)
    booking = app_client.post(
        "/api/v1/bookings", json=sjukresa(app_client, operator, anna), headers=auth(operator)
    ).json()
    url = f"/api/v1/bookings/{booking['id']}"
    app_client.post(
        f"{url}/assessment", json={"action": "approve", "reason": "test"}, headers=auth(assessor)
    )
    for target in ("scheduled", "assigned"):
        moved = app_client.post(f"{url}/transitions", json={"to": target}, headers=auth(operator))
        assert moved.status_code == 200, moved.text
    own = token_for(session, Role.TRAVELLER, now=NOW, username="anna-self", traveller_id=anna)
    desk_23 = token_for(session, Role.OPERATOR, now=NOW, username="desk-23", principals=["23"])
    for token, target in ((own, "in_progress"), (own, "completed"), (desk_23, "no_show")):
        refused = app_client.post(
            f"{url}/transitions", json={"to": target, "reason": "x"}, headers=auth(token)
        )
        assert refused.status_code == 403, (target, refused.text)
        assert refused.json()["field"] == "to"
        assert f"{url}/cancel" in refused.json()["detail"]
    early = app_client.post(
        f"{url}/transitions", json={"to": "no_show", "reason": "x"}, headers=auth(operator)
    )
    assert early.status_code == 409 and "cannot fail to show" in early.json()["detail"]
    assert app_client.get(url, headers=auth(operator)).json()["status"] == "assigned"
    clock.current = clock.current.replace(day=23, hour=9, minute=45)  # after the 09:30 visit
    late = app_client.post(
        f"{url}/transitions", json={"to": "no_show", "reason": "x"}, headers=auth(operator)
    )
    assert late.status_code == 200, late.text


def test_cancellation_needs_a_reason_and_late_ones_are_flagged(
    app_client: TestClient, operator: str, anna: int, clock: FixedClock
) -> None:
    booking = app_client.post(
        "/api/v1/bookings", json=sjukresa(app_client, operator, anna), headers=auth(operator)
    ).json()
    url = f"/api/v1/bookings/{booking['id']}"
    no_reason = app_client.post(
        f"{url}/transitions", json={"to": "cancelled"}, headers=auth(operator)
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["field"] == "reason"
    clock.current = clock.current.replace(day=23, hour=8, minute=30)  # an hour before 09:30
    cancelled = app_client.post(
        f"{url}/cancel", json={"reason": "feeling better"}, headers=auth(operator)
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["late_cancellation"] is True


def test_idempotent_post_returns_the_first_booking_and_creates_nothing(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    body = sjukresa(app_client, operator, anna)
    headers = {**auth(operator), "Idempotency-Key": "desk-7-0001"}
    first = app_client.post("/api/v1/bookings", json=body, headers=headers)
    stored = count(session)
    again = app_client.post("/api/v1/bookings", json=body, headers=headers)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert count(session) == stored
    different = app_client.post(
        "/api/v1/bookings", json={**body, "purpose": "xray"}, headers=headers
    )
    assert different.status_code == 409
    assert different.json()["field"] == "Idempotency-Key"
    assert count(session) == stored


def test_second_writer_with_a_stale_version_gets_409(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    booking = app_client.post(
        "/api/v1/bookings", json=sjukresa(app_client, operator, anna), headers=auth(operator)
    ).json()
    url = f"/api/v1/bookings/{booking['id']}"
    version = booking["version"]
    first = app_client.patch(
        url, json={"version": version, "message_to_driver": "A"}, headers=auth(operator)
    )
    assert first.status_code == 200
    second = app_client.patch(
        url, json={"version": version, "message_to_driver": "B"}, headers=auth(operator)
    )
    assert second.status_code == 409
    assert second.json()["field"] == "version"
    assert session.get(Booking, booking["id"]).message_to_driver == "A"  # type: ignore[union-attr]


def _leg(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body["legs"] = [{**body["legs"][0], **changes}]
    return body


BAD_INPUTS = {
    "unknown place": (
        lambda b: _leg(b, destination={"place_id": 999999}),
        "legs[0].destination.place_id",
        404,
    ),
    "appointment before pickup": (
        lambda b: _leg(b, pickup_at=iso(MONDAY, "10:00"), appointment_at=iso(MONDAY, "09:00")),
        "legs[0].appointment_at",
        422,
    ),
    "origin is destination": (
        lambda b: _leg(b, destination={"home": True}),
        "legs[0].destination",
        422,
    ),
    "booking in the past": (
        lambda b: _leg(b, appointment_at=iso(date(2026, 11, 19), "09:00")),
        "legs[0].appointment_at",
        422,
    ),
    "unknown principal": (lambda b: {**b, "principal": "9999"}, "principal", 422),
    "principal does not pay the service": (lambda b: {**b, "principal": "2380"}, "service", 422),
    "no time on a leg": (lambda b: _leg(b, appointment_at=None), "legs[0].pickup_at", 422),
    "naive time": (
        lambda b: _leg(b, appointment_at="2026-11-23T09:30:00"),
        "legs[0].appointment_at",
        422,
    ),
    "time at the end of the calendar": (
        lambda b: _leg(b, appointment_at="9999-12-31T23:59:59-14:00"),
        "legs[0].appointment_at",
        422,
    ),
    "time at the start of the calendar": (
        lambda b: _leg(b, appointment_at=None, pickup_at="0001-01-01T00:00:00+14:00"),
        "legs[0].pickup_at",
        422,
    ),
    "unknown traveller": (lambda b: {**b, "traveller_id": 999999}, "traveller_id", 404),
    "return before outward": (
        lambda b: {
            **b,
            "legs": [b["legs"][0], {**b["legs"][1], "pickup_at": iso(MONDAY, "07:00")}],
        },
        "legs[1].pickup_at",
        422,
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_booking_input_names_the_field_and_stores_nothing(
    case: str, app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    change, field, status = BAD_INPUTS[case]
    before = count(session)
    response = app_client.post(
        "/api/v1/bookings",
        json=change(sjukresa(app_client, operator, anna)),
        headers=auth(operator),
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == field
    assert count(session) == before


def _outward_to_sveg_and_back(client: TestClient, token: str, traveller: int, back: str) -> Any:
    sveg = place_id(client, token, "Sveg")
    return client.post(
        "/api/v1/bookings",
        json=sjukresa(
            client,
            token,
            traveller,
            legs=[
                {
                    "origin": {"home": True},
                    "destination": {"place_id": sveg},
                    "pickup_at": iso(MONDAY, "08:00"),
                },
                {
                    "origin": {"place_id": sveg},
                    "destination": {"home": True},
                    "pickup_at": iso(MONDAY, back),
                    "return_of": 0,
                },
            ],
        ),
        headers=auth(token),
    )


def test_a_return_asked_before_the_outward_can_arrive_is_refused_with_the_earliest_time(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    """Östersund to Sveg is some 130 km as the crow flies: a return an hour after the
    08:00 pickup would need the traveller in two places; the answer says when it can be."""
    before = count(session)
    refused = _outward_to_sveg_and_back(app_client, operator, anna, "09:00")
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["field"] == "legs[1].pickup_at"
    assert "before its outward leg 0 can arrive" in problem["detail"]
    earliest = problem["detail"].rsplit("book the return at ", 1)[1].split(" ")[0]
    hours, minutes = (int(part) for part in earliest.split(":"))
    assert (9, 0) < (hours, minutes) < (11, 0)  # the model drives it in about 2 h 10 min
    assert count(session) == before

    one_minute_early = f"{hours:02d}:{minutes - 1:02d}" if minutes else f"{hours - 1:02d}:59"
    early = _outward_to_sveg_and_back(app_client, operator, anna, one_minute_early)
    assert early.status_code == 422, early.text
    accepted = _outward_to_sveg_and_back(app_client, operator, anna, earliest)
    assert accepted.status_code == 201, accepted.text


def test_fardtjanst_under_an_expired_permit_is_refused(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    permit = app_client.post(
        f"/api/v1/travellers/{anna}/permits",
        json={
            "kind": "fardtjanst",
            "principal": "2380",
            "valid_from": "2025-01-01",
            "valid_until": "2026-11-22",
        },
        headers=auth(operator),
    )
    assert permit.status_code == 201, permit.text
    town = place_id(app_client, operator, "Brunflo")
    body = {
        "traveller_id": anna,
        "service": "fardtjanst",
        "principal": "2380",
        "legs": [
            {
                "origin": {"home": True},
                "destination": {"place_id": town},
                "pickup_at": iso(MONDAY, "10:00"),
            }
        ],
    }
    refused = app_client.post("/api/v1/bookings", json=body, headers=auth(operator))
    assert refused.status_code == 422
    assert refused.json()["field"] == "service"
    assert "expired on 2026-11-22" in refused.json()["detail"]
    body["legs"][0]["pickup_at"] = iso(date(2026, 11, 22), "10:00")
    accepted = app_client.post("/api/v1/bookings", json=body, headers=auth(operator))
    assert accepted.status_code == 201, accepted.text


def dialysis_series(
    client: TestClient, token: str, traveller_id: int, **changes: Any
) -> dict[str, Any]:
    unit = place_id(client, token, "Östersunds sjukhus dialys")
    body: dict[str, Any] = {
        "traveller_id": traveller_id,
        "service": "sjukresa",
        "principal": "23",
        "purpose": "dialysis",
        "weekdays": ["mon", "wed", "fri"],
        "start_date": "2026-11-23",
        "end_date": "2026-12-06",
        "exception_dates": ["2026-11-25"],
        "legs": [
            {
                "origin": {"home": True},
                "destination": {"place_id": unit},
                "appointment_time": "07:30",
            },
            {
                "origin": {"place_id": unit},
                "destination": {"home": True},
                "pickup_time": "12:15",
                "return_of": 0,
            },
        ],
    }
    body.update(changes)
    return body


def test_series_expands_into_bookings_and_cancels_from_a_date(
    app_client: TestClient, session: Session, operator: str
) -> None:
    # Kilometres from any stop, Anna's dialysis taxis wait for the central service.
    anna = register(app_client, operator, ANNA_FAR_FROM_A_LINE)
    created = app_client.post(
        "/api/v1/series", json=dialysis_series(app_client, operator, anna), headers=auth(operator)
    )
    assert created.status_code == 201, created.text
    series = created.json()
    assert len(series["booking_ids"]) == 5  # 23, 27, 30 Nov, 2, 4 Dec (25 Nov excepted)
    days = [session.get(Booking, i).service_date.isoformat() for i in series["booking_ids"]]  # type: ignore[union-attr]
    assert days == ["2026-11-23", "2026-11-27", "2026-11-30", "2026-12-02", "2026-12-04"]

    cancelled = app_client.post(
        f"/api/v1/series/{series['id']}/cancel",
        json={"from_date": "2026-11-30", "reason": "transplant"},
        headers=auth(operator),
    )
    assert cancelled.status_code == 200, cancelled.text
    statuses = {
        session.get(Booking, i).service_date.isoformat(): session.get(Booking, i).status  # type: ignore[union-attr]
        for i in series["booking_ids"]
    }
    assert statuses == {
        "2026-11-23": "requested",
        "2026-11-27": "requested",
        "2026-11-30": "cancelled",
        "2026-12-02": "cancelled",
        "2026-12-04": "cancelled",
    }
    assert cancelled.json()["cancelled_from"] == "2026-11-30"


def test_series_keeps_local_times_across_the_daylight_saving_change(
    app_client: TestClient, session: Session, operator: str, anna: int, clock: FixedClock
) -> None:
    body = dialysis_series(
        app_client,
        operator,
        anna,
        start_date="2027-03-26",
        end_date="2027-03-29",
        exception_dates=[],
    )
    created = app_client.post("/api/v1/series", json=body, headers=auth(operator)).json()
    appointments = [
        session.get(Booking, i).legs[0].appointment_at  # type: ignore[union-attr]
        for i in created["booking_ids"]
    ]
    utc_hours = [a.astimezone(UTC).hour for a in appointments]
    assert utc_hours == [6, 5]  # 07:30 CET on Fri 26 Mar, 07:30 CEST on Mon 29 Mar


def test_series_with_no_weekdays_is_refused(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    before = count(session)
    response = app_client.post(
        "/api/v1/series",
        json=dialysis_series(app_client, operator, anna, weekdays=[]),
        headers=auth(operator),
    )
    assert response.status_code == 422
    assert response.json()["field"] == "weekdays"
    assert count(session) == before


def test_failure_halfway_through_a_series_leaves_no_partial_series(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    """A färdtjänst permit ending mid-series makes a later occurrence fail: nothing stays."""
    app_client.post(
        f"/api/v1/travellers/{anna}/permits",
        json={
            "kind": "fardtjanst",
            "principal": "2380",
            "valid_from": "2026-01-01",
            "valid_until": "2026-11-30",
        },
        headers=auth(operator),
    )
    town = place_id(app_client, operator, "Brunflo")
    body = {
        "traveller_id": anna,
        "service": "fardtjanst",
        "principal": "2380",
        "weekdays": ["mon", "wed", "fri"],
        "start_date": "2026-11-23",
        "end_date": "2026-12-11",
        "legs": [
            {"origin": {"home": True}, "destination": {"place_id": town}, "pickup_time": "10:00"}
        ],
    }
    before_bookings = count(session)
    before_events = session.scalar(select(func.count(BookingEvent.id)))
    response = app_client.post("/api/v1/series", json=body, headers=auth(operator))
    assert response.status_code == 422
    assert "expired on 2026-11-30" in response.json()["detail"]
    assert count(session) == before_bookings
    assert session.scalar(select(func.count(BookingEvent.id))) == before_events
    from samfard.booking.models import Series

    assert session.scalar(select(func.count(Series.id))) == 0


@pytest.mark.parametrize("field", ["companions", "needs"])
def test_null_for_a_booking_list_is_422_and_changes_nothing(
    app_client: TestClient, session: Session, operator: str, anna: int, field: str
) -> None:
    created = app_client.post(
        "/api/v1/bookings", json=sjukresa(app_client, operator, anna), headers=auth(operator)
    ).json()
    answer = app_client.patch(
        f"/api/v1/bookings/{created['id']}",
        json={"version": created["version"], "purpose": "other", field: None},
        headers=auth(operator),
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    again = app_client.get(f"/api/v1/bookings/{created['id']}", headers=auth(operator)).json()
    assert again["purpose"] == "treatment" and again[field] == created[field]


def _on(body: dict[str, Any], day: date) -> dict[str, Any]:
    """The trip moved to `day`; written with Sweden's winter offset, not by `iso` (whose
    `local` refuses a year no trip falls in: the service must say so itself)."""
    body["legs"][0]["appointment_at"] = f"{day.isoformat()}T09:30:00+01:00"
    body["legs"][1]["pickup_at"] = f"{day.isoformat()}T12:00:00+01:00"
    return body


def test_a_booking_beyond_the_rulebooks_horizon_is_422_saying_the_limit(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    """Region 23's rulebook names no horizon, so Samfard's default year applies (NOW is
    2026-11-20): the last bookable day is accepted, the day after is not, and 9999-12-31
    is not a year trips fall in at all."""
    before = count(session)
    beyond = app_client.post(
        "/api/v1/bookings",
        json=_on(sjukresa(app_client, operator, anna), date(2027, 11, 21)),
        headers=auth(operator),
    )
    assert beyond.status_code == 422, beyond.text
    assert beyond.json()["field"] == "legs[0]"
    assert "at most 365 days ahead, up to 2027-11-20" in beyond.json()["detail"]
    end = app_client.post(
        "/api/v1/bookings",
        json=_on(sjukresa(app_client, operator, anna), date(9999, 12, 31)),
        headers=auth(operator),
    )
    assert end.status_code == 422, end.text
    assert end.json()["field"].startswith("legs[0].")
    assert "the year must be 1900-2199" in end.json()["detail"]
    assert count(session) == before
    last = app_client.post(
        "/api/v1/bookings",
        json=_on(sjukresa(app_client, operator, anna), date(2027, 11, 19)),
        headers=auth(operator),
    )
    assert last.status_code == 201, last.text


def test_a_series_ending_beyond_the_horizon_is_422(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    body = dialysis_series(app_client, operator, anna)
    body |= {"start_date": "2027-06-01", "end_date": "2027-12-31", "exception_dates": []}
    answer = app_client.post("/api/v1/series", json=body, headers=auth(operator))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "end_date"
    assert "days ahead" in answer.json()["detail"]
    body |= {"start_date": "9999-06-01", "end_date": "9999-12-31"}
    years = app_client.post("/api/v1/series", json=body, headers=auth(operator))
    assert years.status_code == 422 and "the year must be 1900-2199" in years.json()["detail"]


def test_a_home_address_as_long_as_the_register_allows_is_booked_whole(
    app_client: TestClient, session: Session, operator: str
) -> None:
    """The register takes a street of 160 characters and a city of 80; a trip from that
    home stores "street, city" whole (PostgreSQL used to refuse it with a 500)."""
    street, city = "Långa vägen " + "x" * 148, "Ö" * 80
    body = {**ANNA, "address": {**ANNA["address"], "street": street, "city": city}}  # type: ignore[dict-item]
    traveller = register(app_client, operator, body)
    answer = app_client.post(
        "/api/v1/bookings", json=sjukresa(app_client, operator, traveller), headers=auth(operator)
    )
    assert answer.status_code == 201, answer.text
    legs = answer.json()["legs"]
    assert legs[0]["origin_address"] == f"{street}, {city}"
    assert legs[1]["destination_address"] == f"{street}, {city}"


def _retime(client: TestClient, token: str, booking: dict[str, Any], *legs: dict[str, Any]) -> Any:
    return client.patch(
        f"/api/v1/bookings/{booking['id']}",
        json={"version": booking["version"], "legs": list(legs)},
        headers=auth(token),
    )


def _times(booking: dict[str, Any]) -> list[tuple[datetime | None, ...]]:
    """Each leg's times as instants (the answer writes them in UTC or Swedish time)."""
    names = ("requested_pickup_at", "appointment_at", "promised_pickup_from")
    return [
        tuple(None if leg[n] is None else datetime.fromisoformat(leg[n]) for n in names)
        for leg in booking["legs"]
    ]


def _kept(client: TestClient, token: str, booking: dict[str, Any]) -> None:
    """Nothing of a refused change is stored: the legs, the version, the history."""
    again = client.get(f"/api/v1/bookings/{booking['id']}", headers=auth(token)).json()
    assert (_times(again), again["version"]) == (_times(booking), booking["version"])
    events = client.get(f"/api/v1/bookings/{booking['id']}/events", headers=auth(token)).json()
    assert not any("time changed" in (e["reason"] or "") for e in events)


def test_a_new_time_on_another_day_is_refused_saying_to_book_the_new_day(
    app_client: TestClient, operator: str, anna: int
) -> None:
    booking = app_client.post(
        "/api/v1/bookings", json=sjukresa(app_client, operator, anna), headers=auth(operator)
    ).json()
    tuesday = iso(date(2026, 11, 24), "09:30")
    answer = _retime(app_client, operator, booking, {"seq": 0, "appointment_at": tuesday})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["field"] == "legs[0].appointment_at"
    assert "cancel this booking and book the new day" in problem["detail"]
    assert problem["detail_sv"].endswith("avbeställ resan och boka den nya dagen.")
    _kept(app_client, operator, booking)


def test_a_new_time_is_checked_as_on_creation_and_names_its_field(
    app_client: TestClient, operator: str, anna: int
) -> None:
    """A return before its outward, a time in the past, neither or both times, a leg the
    booking does not have: 422 at the request's field, nothing stored."""
    booking = app_client.post(
        "/api/v1/bookings", json=sjukresa(app_client, operator, anna), headers=auth(operator)
    ).json()
    cases = [
        # The outward's visit moved past the return's pickup at 12:00.
        ([{"seq": 0, "appointment_at": iso(MONDAY, "12:30")}], "legs[0].appointment_at",
         "returns before its outward leg 0"),
        ([{"seq": 1, "pickup_at": iso(MONDAY, "09:00")}], "legs[0].pickup_at",
         "returns before its outward leg 0"),
        ([{"seq": 0, "appointment_at": iso(MONDAY, "09:30")},
          {"seq": 1, "pickup_at": iso(MONDAY, "09:20")}], "legs[1].pickup_at",
         "returns before its outward leg 0"),
        ([{"seq": 0, "appointment_at": "2026-11-20T08:00:00+01:00"}], "legs[0].appointment_at",
         "on another day"),
        ([{"seq": 1}], "legs[0].pickup_at", "one of them"),
        ([{"seq": 1, "pickup_at": iso(MONDAY, "13:00"), "appointment_at": iso(MONDAY, "14:00")}],
         "legs[0].appointment_at", "one of them"),
        ([{"seq": 4, "pickup_at": iso(MONDAY, "13:00")}], "legs[0].seq", "has no leg 4"),
        ([{"seq": 1, "pickup_at": iso(MONDAY, "13:00")},
          {"seq": 1, "pickup_at": iso(MONDAY, "14:00")}], "legs[1]", "given twice"),
        ([{"seq": 1, "pickup_at": "2026-11-23T13:00:00"}], "legs[0].pickup_at", "timezone"),
    ]  # fmt: skip
    for legs, field, said in cases:
        answer = _retime(app_client, operator, booking, *legs)
        assert answer.status_code == 422, (legs, answer.text)
        assert (answer.json()["field"], said in answer.json()["detail"]) == (field, True), legs
    _kept(app_client, operator, booking)


def test_a_return_moved_to_before_the_outward_can_arrive_is_told_the_time_to_offer(
    app_client: TestClient, operator: str, anna: int
) -> None:
    """The same check as booking (booking.legs.check_leg): after a pickup at 08:00 to the
    hospital in Östersund the return cannot be fetched at 08:01."""
    body = sjukresa(app_client, operator, anna)
    body["legs"][0] = body["legs"][0] | {"appointment_at": None, "pickup_at": iso(MONDAY, "08:00")}
    body["legs"][0].pop("appointment_at")
    booking = app_client.post("/api/v1/bookings", json=body, headers=auth(operator)).json()
    answer = _retime(app_client, operator, booking, {"seq": 1, "pickup_at": iso(MONDAY, "08:01")})
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "legs[0].pickup_at"
    assert "before its outward leg 0 can arrive" in answer.json()["detail"]
    _kept(app_client, operator, booking)


def test_a_new_time_keeps_the_booking_and_says_what_changed_in_its_history(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    """An appointment moved to 14:00 (the return with it): the same booking and reference,
    decided again, its history and audit saying from what time to what time. A pickup sent
    to a leg timed by its appointment times it by the pickup."""
    booking = app_client.post(
        "/api/v1/bookings", json=sjukresa(app_client, operator, anna), headers=auth(operator)
    ).json()
    answer = _retime(
        app_client,
        operator,
        booking,
        {"seq": 0, "appointment_at": iso(MONDAY, "14:00")},
        {"seq": 1, "pickup_at": iso(MONDAY, "16:30")},
    )
    assert answer.status_code == 200, answer.text
    changed = answer.json()
    assert (changed["id"], changed["reference"]) == (booking["id"], booking["reference"])
    assert _times(changed) == [
        (None, datetime.fromisoformat(iso(MONDAY, "14:00")), None),
        (datetime.fromisoformat(iso(MONDAY, "16:30")), None, None),
    ]
    assert changed["decision"]["changed"] == ["legs[0].appointment_at", "legs[1].pickup_at"]
    said = (
        "leg 0 appointment 2026-11-23 09:30 -> appointment 2026-11-23 14:00; "
        "leg 1 pickup 2026-11-23 12:00 -> pickup 2026-11-23 16:30"
    )
    events = app_client.get(f"/api/v1/bookings/{booking['id']}/events", headers=auth(operator))
    assert f"time changed: {said}" in [e["reason"] for e in events.json()]
    purposes = session.scalars(
        select(AuditEntry.purpose).where(AuditEntry.record_id == str(booking["id"]))
    ).all()
    assert f"change booking: time {said}" in purposes

    switched = _retime(app_client, operator, changed, {"seq": 0, "pickup_at": iso(MONDAY, "13:00")})
    assert switched.status_code == 200, switched.text
    assert _times(switched.json())[0] == (datetime.fromisoformat(iso(MONDAY, "13:00")), None, None)
    same = _retime(
        app_client, operator, switched.json(), {"seq": 0, "pickup_at": iso(MONDAY, "13:00")}
    )
    assert same.status_code == 200 and same.json()["version"] == switched.json()["version"]
