"""The fee ceiling holds whatever order trips are approved in, on SQLite and PostgreSQL: a
trip approved after later-dated ones lowers their fees (assessment.ceiling)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from assessment_fixtures import book, ledger_rows, round_trip
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import auth

CEILING_ORE = 240000  # Region Jämtland Härjedalen's 2 400 kr


def jh_round_trip(client: TestClient, token: str, traveller: int, day: date) -> dict[str, Any]:
    body = round_trip(
        client, token, traveller, principal="23", hospital="Östersunds sjukhus", day=day
    )
    return book(client, token, body)


def approve(client: TestClient, assessor: str, booking_id: int) -> dict[str, Any]:
    answer = client.post(
        f"/api/v1/bookings/{booking_id}/assessment",
        json={"action": "approve", "reason": "no bus fits the treatment"},
        headers=auth(assessor),
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def paid(session: Session, booking_ids: list[int]) -> int:
    return sum(p for b in booking_ids for _, p in ledger_rows(session, b))


def test_a_series_approved_from_its_end_pays_the_ceiling_and_no_more(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    days = [date(2026, 11, 23) + timedelta(days=i) for i in range(8)]
    ids = [jh_round_trip(app_client, operator, far_anna, day)["id"] for day in days]
    for booking_id in reversed(ids):
        approve(app_client, assessor, booking_id)
    assert paid(session, ids) == CEILING_ORE
    # As if approved in date order: six trips pay 400 kr, the last two are free.
    assert [sum(p for _, p in ledger_rows(session, b)) for b in ids] == [40000] * 6 + [0, 0]
    status = app_client.get(
        f"/api/v1/fee-ledger/{far_anna}",
        params={"principal": "23", "on": days[-1].isoformat()},
        headers=auth(operator),
    ).json()
    assert (status["paid_ore"], status["remaining_ore"]) == (CEILING_ORE, 0)
    last = app_client.get(f"/api/v1/bookings/{ids[-1]}", headers=auth(operator)).json()
    assert last["decision"]["fee_ore"] == 0 and last["decided"]["fee_ore"] == 0
    assert last["decision"]["lowered_by_ceiling"]["fee_before_ore"] == 40000


def test_a_follow_up_booked_first_is_free_once_the_earlier_trips_fill_the_ceiling(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    follow_up = jh_round_trip(app_client, operator, far_anna, date(2026, 12, 28))["id"]
    approve(app_client, assessor, follow_up)
    assert paid(session, [follow_up]) == 40000
    weekly = [
        jh_round_trip(app_client, operator, far_anna, date(2026, 11, 23) + timedelta(days=i))
        for i in range(7)
    ]
    for booking in weekly:
        approve(app_client, assessor, booking["id"])
    assert paid(session, [follow_up] + [b["id"] for b in weekly]) == CEILING_ORE
    assert paid(session, [follow_up]) == 0, "told 400 kr, now free: the ceiling was reached"


def test_a_cancelled_trip_does_not_raise_the_fees_told_for_later_ones(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    days = [date(2026, 11, 23) + timedelta(days=i) for i in range(7)]
    ids = [jh_round_trip(app_client, operator, far_anna, day)["id"] for day in days]
    for booking_id in ids:
        approve(app_client, assessor, booking_id)
    before = [ledger_rows(session, b) for b in ids]
    assert paid(session, ids) == CEILING_ORE
    cancelled = app_client.post(
        f"/api/v1/bookings/{ids[0]}/cancel", json={"reason": "well again"}, headers=auth(operator)
    )
    assert cancelled.status_code == 200, cancelled.text
    another = jh_round_trip(app_client, operator, far_anna, date(2026, 11, 30))["id"]
    approve(app_client, assessor, another)
    assert [ledger_rows(session, b) for b in ids[1:]] == before[1:]
