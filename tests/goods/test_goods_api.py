"""Goods over HTTP on SQLite and PostgreSQL: booking at the contract price, listing by day,
cancelling, the principals' scope, an aid's protected recipient, and bad input answered
with problem+json naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from goods_fixtures import MONDAY, parcel, store_demo_prices
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, auth, iso, register, token_for
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.goods.models import Consignment
from samfard.travellers.free_text import HIDDEN_FREE_TEXT

PROTECTED = {
    **ANNA,
    "personal_number": "19800101-0001",
    "first_name": "Hemlig",
    "last_name": "Gömdsson",
    "protected_identity": True,
    "address": {**ANNA["address"], "street": "Dolda gränd 7"},  # type: ignore[dict-item]
}


@pytest.fixture
def desk(session: Session) -> str:
    store_demo_prices(session)
    return token_for(session, Role.OPERATOR, now=NOW, username="desk", principals=["23"])


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Consignment)) or 0)


def test_a_parcel_is_booked_at_the_principals_contract_price(
    app_client: TestClient, desk: str
) -> None:
    response = app_client.post("/api/v1/goods", json=parcel(app_client, desk), headers=auth(desk))
    assert response.status_code == 201, response.text
    body = response.json()
    # GODS-23-2026: parcel 65 kr per consignment + 15 kr per unit, two units.
    assert body["price_ore"] == 6500 + 2 * 1500
    assert body["price_list"] == "GODS-23-2026"
    assert body["status"] == "booked"
    assert body["service_date"] == MONDAY.isoformat()
    assert body["reference"].startswith("GD-")
    assert body["pickup"]["address"].startswith("Östersunds sjukhus")
    listed = app_client.get(
        "/api/v1/goods", params={"date": MONDAY.isoformat()}, headers=auth(desk)
    )
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()] == [body["id"]]


def test_an_aid_to_a_recipients_home_is_priced_per_unit_and_audited(
    app_client: TestClient, desk: str, session: Session
) -> None:
    anna = register(app_client, desk)
    body = parcel(
        app_client,
        desk,
        kind="aid",
        units=3,
        description="Rullstol",
        recipient_traveller_id=anna,
        dropoff={"home": True},
    )
    response = app_client.post("/api/v1/goods", json=body, headers=auth(desk))
    assert response.status_code == 201, response.text
    shown = response.json()
    assert shown["price_ore"] == 18000 + 3 * 4000
    assert shown["recipient_name"] == "Anna Testsson"
    assert shown["dropoff"]["address"] == "Storgatan 1, Östersund"
    app_client.get(f"/api/v1/goods/{shown['id']}", headers=auth(desk))
    actions = session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.record_type == "consignment", AuditEntry.traveller_id == anna
        )
    ).all()
    assert sorted(actions) == ["create", "read"]


def test_a_protected_recipients_name_and_home_never_reach_the_desk(
    app_client: TestClient, desk: str
) -> None:
    hidden = register(app_client, desk, PROTECTED)
    body = parcel(
        app_client,
        desk,
        kind="aid",
        units=1,
        recipient_traveller_id=hidden,
        dropoff={"home": True},
    )
    created = app_client.post("/api/v1/goods", json=body, headers=auth(desk))
    assert created.status_code == 201, created.text
    listed = app_client.get(
        "/api/v1/goods", params={"date": MONDAY.isoformat()}, headers=auth(desk)
    )
    for text in (created.text, listed.text):
        assert "Hemlig" not in text and "Dolda" not in text
        assert "63.1767" not in text  # the home's coordinates
    shown = listed.json()[0]
    assert shown["recipient_name"] == "Skyddad identitet"
    assert shown["dropoff"] == {
        "place_id": None,
        "address": "Skyddad adress",
        "lat": None,
        "lon": None,
    }
    assert shown["pickup"]["address"].startswith("Östersunds sjukhus")  # a public place


def test_what_staff_write_about_a_protected_recipient_reaches_only_those_entitled(
    app_client: TestClient, desk: str, session: Session
) -> None:
    """A goods description and a cancellation's reason are free text: a probe wrote the
    recipient's name, street and phone there and read them back in clear on the desk, the
    plan, the manifest and the registerutdrag (the address fields were masked)."""
    hidden = register(app_client, desk, PROTECTED)
    secret = "Till Hemlig Gömdsson, Dolda gränd 7"
    body = parcel(
        app_client, desk, kind="aid", units=1, description=secret,
        recipient_traveller_id=hidden, dropoff={"home": True},
    )  # fmt: skip
    created = app_client.post("/api/v1/goods", json=body, headers=auth(desk))
    assert created.status_code == 201, created.text
    url = f"/api/v1/goods/{created.json()['id']}"
    cancelled = app_client.post(
        f"{url}/cancel", json={"reason": "Hemlig har flyttat från Dolda gränd 7"},
        headers=auth(desk),
    )  # fmt: skip
    assert cancelled.status_code == 200, cancelled.text
    entitled = token_for(
        session, Role.OPERATOR, now=NOW, username="desk-entitled", principals=["23"],
        may_see_protected=True,
    )  # fmt: skip
    day = {"date": MONDAY.isoformat()}
    listed = app_client.get("/api/v1/goods", params=day, headers=auth(desk))
    for answer in (created, cancelled, app_client.get(url, headers=auth(desk)), listed):
        assert "Hemlig" not in answer.text and "Dolda" not in answer.text, answer.text
    shown = app_client.get(url, headers=auth(desk)).json()
    assert shown["description"] == shown["cancel_reason"] == HIDDEN_FREE_TEXT
    seen = app_client.get(url, headers=auth(entitled)).json()
    assert seen["description"] == secret
    assert seen["cancel_reason"] == "Hemlig har flyttat från Dolda gränd 7"


def test_a_guess_of_a_protected_home_is_not_confirmed_by_the_same_place_check(
    app_client: TestClient, desk: str
) -> None:
    """An aid to a protected home, picked up at an address typed 22 m from the home (a
    point of its own), was refused as "the same place", confirming the guess; as for a
    trip, no answer measures a protected home against a place the caller chose. An
    ordinary recipient's is still refused (the home lies at Östersund's town point, so
    only a typed point near it is the same place: two ends placed at the town are not)."""
    guess = {"address": "Gissad gata 1, Östersund", "lat": ANNA["address"]["lat"] + 0.0002,  # type: ignore[index,operator]
             "lon": ANNA["address"]["lon"]}  # type: ignore[index]  # fmt: skip
    answers = {}
    for who, body in (("hidden", PROTECTED), ("open", ANNA)):
        recipient = register(app_client, desk, body)
        aid = parcel(app_client, desk, kind="aid", units=1, recipient_traveller_id=recipient,
                     pickup=guess, dropoff={"home": True})  # fmt: skip
        answers[who] = app_client.post("/api/v1/goods", json=aid, headers=auth(desk))
    assert answers["hidden"].status_code == 201, answers["hidden"].text
    assert answers["open"].status_code == 422
    assert "same place" in answers["open"].json()["detail"]


# Östersund's point in the gazetteer (places.csv): where a home without coordinates lies.
OSTERSUND = {"lat": 63.1767, "lon": 14.6361}


def test_two_streets_placed_at_one_town_point_are_two_places_for_goods(
    app_client: TestClient, desk: str
) -> None:
    """An aid from "Kyrkgatan 20, Östersund" to a recipient whose home, like the street, is
    placed at Östersund's point was refused as "the same place", as a trip once was
    (tests/core/test_booking_town_addresses.py): goods now use the trips' same-place check.
    The same address written twice is still refused."""
    home = ANNA | {"address": ANNA["address"] | {"street": "Storgatan 12"} | OSTERSUND}  # type: ignore[operator]
    recipient = register(app_client, desk, home)
    street = {"address": "Kyrkgatan 20, Östersund"} | OSTERSUND
    aid = parcel(app_client, desk, kind="aid", units=1, recipient_traveller_id=recipient,
                 pickup=street, dropoff={"home": True})  # fmt: skip
    booked = app_client.post("/api/v1/goods", json=aid, headers=auth(desk))
    assert booked.status_code == 201, booked.text
    assert booked.json()["pickup"]["address"] == "Kyrkgatan 20, Östersund"
    twice = parcel(app_client, desk, pickup=street,
                   dropoff={**street, "address": "kyrkgatan 20 östersund"})  # fmt: skip
    refused = app_client.post("/api/v1/goods", json=twice, headers=auth(desk))
    assert refused.status_code == 422
    assert refused.json()["field"] == "dropoff"
    assert "same place" in refused.json()["detail"]


def test_cancelling_keeps_the_row_and_cannot_happen_twice(
    app_client: TestClient, desk: str
) -> None:
    created = app_client.post(
        "/api/v1/goods", json=parcel(app_client, desk), headers=auth(desk)
    ).json()
    url = f"/api/v1/goods/{created['id']}/cancel"
    first = app_client.post(url, json={"reason": "provet togs inte"}, headers=auth(desk))
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "cancelled"
    assert first.json()["cancel_reason"] == "provet togs inte"
    again = app_client.post(url, json={"reason": "igen"}, headers=auth(desk))
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")


def test_another_principals_desk_neither_books_nor_sees_the_goods(
    app_client: TestClient, desk: str, session: Session
) -> None:
    created = app_client.post(
        "/api/v1/goods", json=parcel(app_client, desk), headers=auth(desk)
    ).json()
    other = token_for(session, Role.OPERATOR, now=NOW, username="sundsvall", principals=["2281"])
    refused = app_client.post("/api/v1/goods", json=parcel(app_client, other), headers=auth(other))
    assert refused.status_code == 403
    assert refused.json()["field"] == "principal"
    listed = app_client.get(
        "/api/v1/goods", params={"date": MONDAY.isoformat()}, headers=auth(other)
    )
    assert listed.json() == []
    assert app_client.get(f"/api/v1/goods/{created['id']}", headers=auth(other)).status_code == 404
    cancel = app_client.post(
        f"/api/v1/goods/{created['id']}/cancel", json={"reason": "fel"}, headers=auth(other)
    )
    assert cancel.status_code == 404


def test_travellers_and_drivers_may_not_book_goods(
    app_client: TestClient, desk: str, session: Session
) -> None:
    driver = token_for(session, Role.DRIVER, now=NOW, username="driver")
    response = app_client.post("/api/v1/goods", json=parcel(app_client, desk), headers=auth(driver))
    assert response.status_code == 403
    assert (
        app_client.get(
            "/api/v1/goods", params={"date": MONDAY.isoformat()}, headers=auth(driver)
        ).status_code
        == 403
    )


BAD_INPUT: list[tuple[str, dict[str, Any], str]] = [
    ("no units", {"units": 0}, "units"),
    ("too many units", {"units": 41}, "units"),
    ("unknown kind", {"kind": "piano"}, "kind"),
    ("window backwards", {"pickup_until": iso(MONDAY, "07:00")}, ""),
    ("naive time", {"pickup_from": "2026-11-23T08:00:00"}, "pickup_from"),
    ("drop-off before pickup", {"dropoff_until": iso(MONDAY, "07:30")}, ""),
    (
        "drop-off ends as pickup opens",
        {"dropoff_from": iso(MONDAY, "07:00"), "dropoff_until": iso(MONDAY, "08:00")},
        "dropoff_until",
    ),
    ("home without recipient", {"dropoff": {"home": True}}, ""),
    ("recipient of a parcel", {"recipient_traveller_id": 1}, ""),
    ("unknown principal", {"principal": "99"}, "principal"),
    ("transport authority", {"principal": "RKM-23"}, "principal"),
    ("principal without a list", {"principal": "2309"}, "principal"),
    ("kind not on the list", {"principal": "2380", "kind": "parcel"}, "kind"),
    ("over two days", {"dropoff_until": iso(MONDAY.replace(day=24), "09:00")}, "dropoff_until"),
    (
        "at the end of the calendar",
        {
            "pickup_from": "9999-12-31T08:00:00+00:00",
            "pickup_until": "9999-12-31T09:00:00+00:00",
            "dropoff_from": "9999-12-31T09:00:00+00:00",
            "dropoff_until": "9999-12-31T23:59:00+00:00",
        },
        "pickup_from",
    ),
    # A blank description, and a year ahead and more, were stored (walk-through of the
    # seventh session of 2026-12-06).
    ("blank description", {"description": "  "}, "description"),
    (
        "pickup window past the drop-off's",
        {"pickup_until": "2199-12-31T23:59:59-12:00"},
        "pickup_until",
    ),
    (
        "beyond the year ahead",
        {
            "pickup_from": iso(MONDAY.replace(year=2027, month=12), "08:00"),
            "pickup_until": iso(MONDAY.replace(year=2027, month=12), "09:00"),
            "dropoff_from": iso(MONDAY.replace(year=2027, month=12), "09:00"),
            "dropoff_until": iso(MONDAY.replace(year=2027, month=12), "10:00"),
        },
        "pickup_from",
    ),
    (
        "in the past",
        {
            "pickup_from": iso(MONDAY.replace(day=19), "08:00"),
            "pickup_until": iso(MONDAY.replace(day=19), "09:00"),
            "dropoff_from": iso(MONDAY.replace(day=19), "09:00"),
            "dropoff_until": iso(MONDAY.replace(day=19), "10:00"),
        },
        "pickup_until",
    ),
]


@pytest.mark.parametrize(("what", "changes", "field"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_is_a_problem_naming_what_to_fix(
    app_client: TestClient,
    desk: str,
    session: Session,
    what: str,
    changes: dict[str, Any],
    field: str,
) -> None:
    scoped_all = token_for(session, Role.OPERATOR, now=NOW, username="all")
    response = app_client.post(
        "/api/v1/goods", json=parcel(app_client, desk, **changes), headers=auth(scoped_all)
    )
    assert 400 <= response.status_code < 500, (what, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["detail"], what
    if field:
        assert field in (problem.get("field") or "") + str(problem.get("errors", "")), problem
    assert count(session) == 0
