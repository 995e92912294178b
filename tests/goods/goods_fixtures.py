"""Shared builders of the goods tests: the demo price lists stored, and request bodies."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import iso, place_id
from samfard.db import transaction
from samfard.goods.price_store import demo_price_lists, store_price_list

MONDAY = date(2026, 11, 23)


def store_demo_prices(session: Session) -> None:
    with transaction(session):
        for price_list in demo_price_lists():
            store_price_list(session, price_list)


def parcel(client: TestClient, token: str, **changes: Any) -> dict[str, Any]:
    """Samples from Östersund's hospital to Strömsund, morning to noon on Monday."""
    body: dict[str, Any] = {
        "principal": "23",
        "kind": "parcel",
        "units": 2,
        "description": "Provrör",
        "pickup": {"place_id": place_id(client, token, "Östersunds sjukhus")},
        "dropoff": {"place_id": place_id(client, token, "Strömsund")},
        "pickup_from": iso(MONDAY, "08:00"),
        "pickup_until": iso(MONDAY, "10:00"),
        "dropoff_from": iso(MONDAY, "09:00"),
        "dropoff_until": iso(MONDAY, "12:00"),
    }
    body.update(changes)
    return body
