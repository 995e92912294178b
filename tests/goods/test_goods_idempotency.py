"""`POST /api/v1/goods` with an Idempotency-Key, on SQLite and PostgreSQL: a retry books
nothing and gets the first answer, the same key with another body is refused with a
problem naming the header, and keys are per user."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from goods_fixtures import parcel, store_demo_prices
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import NOW, auth, register, token_for
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.goods.models import Consignment, GoodsIdempotencyKey


@pytest.fixture
def desk(session: Session) -> str:
    store_demo_prices(session)
    return token_for(session, Role.OPERATOR, now=NOW, username="desk", principals=["23"])


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Consignment)) or 0)


def keyed(token: str, key: str) -> dict[str, str]:
    return {**auth(token), "Idempotency-Key": key}


def test_a_retry_with_the_same_key_books_once_and_gets_the_first_answer(
    app_client: TestClient, desk: str, session: Session
) -> None:
    body = parcel(app_client, desk)
    first = app_client.post("/api/v1/goods", json=body, headers=keyed(desk, "gods-0001"))
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    stored = count(session)
    again = app_client.post("/api/v1/goods", json=body, headers=keyed(desk, "gods-0001"))
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert count(session) == stored == 1
    # Without a key a second post is a second booking: the key is what prevents it.
    plain = app_client.post("/api/v1/goods", json=body, headers=auth(desk))
    assert plain.status_code == 201
    assert plain.json()["id"] != first.json()["id"]
    assert count(session) == 2


def test_the_same_key_with_another_body_is_refused_and_books_nothing(
    app_client: TestClient, desk: str, session: Session
) -> None:
    body = parcel(app_client, desk)
    first = app_client.post("/api/v1/goods", json=body, headers=keyed(desk, "gods-0002"))
    assert first.status_code == 201, first.text
    other = app_client.post(
        "/api/v1/goods", json={**body, "units": 3}, headers=keyed(desk, "gods-0002")
    )
    assert other.status_code == 409
    assert other.headers["content-type"].startswith("application/problem+json")
    problem = other.json()
    assert problem["field"] == "Idempotency-Key"
    assert "different goods booking" in problem["detail"]
    assert count(session) == 1
    # The first booking stands as it was: a retry of its own body still gets it.
    retry = app_client.post("/api/v1/goods", json=body, headers=keyed(desk, "gods-0002"))
    assert retry.json() == first.json()
    assert count(session) == 1


def test_another_users_same_key_is_their_own(
    app_client: TestClient, desk: str, session: Session
) -> None:
    body = parcel(app_client, desk)
    colleague = token_for(session, Role.OPERATOR, now=NOW, username="desk2", principals=["23"])
    mine = app_client.post("/api/v1/goods", json=body, headers=keyed(desk, "gods-0003"))
    theirs = app_client.post("/api/v1/goods", json=body, headers=keyed(colleague, "gods-0003"))
    assert mine.status_code == theirs.status_code == 201, theirs.text
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]
    # A different body under the same key is no conflict across users either.
    changed = app_client.post(
        "/api/v1/goods", json={**body, "units": 4}, headers=keyed(colleague, "gods-0004")
    )
    assert changed.status_code == 201
    assert count(session) == 3
    keys = session.execute(select(GoodsIdempotencyKey.username, GoodsIdempotencyKey.key)).all()
    assert sorted(map(tuple, keys)) == [
        ("desk", "gods-0003"),
        ("desk2", "gods-0003"),
        ("desk2", "gods-0004"),
    ]


def test_a_replayed_aid_is_a_read_of_its_recipient_and_is_audited(
    app_client: TestClient, desk: str, session: Session
) -> None:
    anna = register(app_client, desk)
    body = parcel(
        app_client, desk, kind="aid", units=2, recipient_traveller_id=anna, dropoff={"home": True}
    )
    for _ in range(2):
        response = app_client.post("/api/v1/goods", json=body, headers=keyed(desk, "gods-0005"))
        assert response.status_code == 201, response.text
    actions = session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.record_type == "consignment", AuditEntry.traveller_id == anna
        )
    ).all()
    assert sorted(actions) == ["create", "read"]


def test_a_key_longer_than_128_characters_is_bad_input(
    app_client: TestClient, desk: str, session: Session
) -> None:
    response = app_client.post(
        "/api/v1/goods", json=parcel(app_client, desk), headers=keyed(desk, "k" * 129)
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert count(session) == 0
