"""Builders shared by the assessment tests: travellers, issuers, certificates, trips."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, auth, iso, login_form, place_id
from samfard.access.deps import CSRF_COOKIE
from samfard.costs.fee_ledger import FeeLedgerEntry
from samfard.travellers.models import Certificate

WEDNESDAY = date(2026, 11, 25)  # NOW is Friday 20 Nov: three weekdays ahead
STINA = {
    **ANNA,
    "personal_number": "19500505-1239",
    "first_name": "Stina",
    "address": {
        "street": "Storgatan 10",
        "postal_code": "852 30",
        "city": "Sundsvall",
        "municipality_code": "2281",
        "lat": 62.3908,
        "lon": 17.3069,
    },
}


def issuer(client: TestClient, admin: str, *, hsa_id: str = "SE2321000180-ABC1") -> int:
    response = client.post(
        "/api/v1/issuers",
        json={
            "hsa_id": hsa_id,
            "name": "Doktor Test",
            "unit": "Medicinmottagningen Sundsvall",
            "principal": "22",
            "course_passed_on": "2025-01-10",
            "certified_until": "2027-01-10",
        },
        headers=auth(admin),
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def certificate(client: TestClient, admin: str, traveller: int, issuer_id: int) -> None:
    response = client.post(
        f"/api/v1/travellers/{traveller}/certificates",
        json={
            "principal": "22",
            "kind": "period",
            "modes": ["taxi"],
            "valid_from": "2026-11-20",
            "valid_until": "2027-02-28",
            "issuer_id": issuer_id,
        },
        headers=auth(admin),
    )
    assert response.status_code == 201, response.text


def round_trip(
    client: TestClient,
    token: str,
    traveller: int,
    *,
    principal: str,
    hospital: str,
    day: date = WEDNESDAY,
    purpose: str = "treatment",
) -> dict[str, Any]:
    unit = place_id(client, token, hospital)
    return {
        "traveller_id": traveller,
        "service": "sjukresa",
        "principal": principal,
        "purpose": purpose,
        "legs": [
            {
                "origin": {"home": True},
                "destination": {"place_id": unit},
                "appointment_at": iso(day, "10:00"),
            },
            {
                "origin": {"place_id": unit},
                "destination": {"home": True},
                "pickup_at": iso(day, "13:00"),
                "return_of": 0,
            },
        ],
    }


def book(client: TestClient, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/bookings", json=body, headers=auth(token))
    assert response.status_code == 201, response.text
    return dict(response.json())


def vn_trip(client: TestClient, token: str, traveller: int, **changes: Any) -> dict[str, Any]:
    body = round_trip(client, token, traveller, principal="22", hospital="Sundsvalls sjukhus")
    return {**body, **changes}


def jh_trip(client: TestClient, token: str, traveller: int, **changes: Any) -> dict[str, Any]:
    body = round_trip(client, token, traveller, principal="23", hospital="Östersunds sjukhus")
    return {**body, **changes}


def ledger_rows(session: Session, booking_id: int) -> list[tuple[int, int]]:
    rows = session.scalars(
        select(FeeLedgerEntry)
        .where(FeeLedgerEntry.booking_id == booking_id)
        .order_by(FeeLedgerEntry.leg_index)
    )
    return [(row.list_fee_ore, row.paid_ore) for row in rows]


def dialysis_series(client: TestClient, operator: str, traveller: int) -> list[int]:
    """Dialysis at Östersunds sjukhus Monday, Wednesday and Friday 7-18 December 2026: six
    JH taxi trips, each waiting for an assessor."""
    unit = place_id(client, operator, "Östersunds sjukhus")
    body: dict[str, Any] = {
        "traveller_id": traveller, "service": "sjukresa", "principal": "23",
        "purpose": "dialysis", "weekdays": ["mon", "wed", "fri"],
        "start_date": "2026-12-07", "end_date": "2026-12-18",
        "legs": [
            {"origin": {"home": True}, "destination": {"place_id": unit},
             "appointment_time": "08:00"},
            {"origin": {"place_id": unit}, "destination": {"home": True},
             "pickup_time": "12:00", "return_of": 0},
        ],
    }  # fmt: skip
    created = client.post("/api/v1/series", json=body, headers=auth(operator))
    assert created.status_code == 201, created.text
    return list(created.json()["booking_ids"])


def said(html: str) -> str:
    """A page's text as read: tags out, entities read, runs of white space as one."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def approve_on_page(
    client: TestClient, booking: dict[str, Any], *, step: str, reason: str, **fields: str
) -> tuple[int, str]:
    """The assessor logs in and sends Bevilja for `booking` to /bedomning/{id}/`step`
    ("beslut" saves, "forhandsvisa" previews the letter), with the form's other `fields`
    ("omprovning"); the page's status and text."""
    client.cookies.clear()
    done = client.post("/login", data=login_form("assessor-user", client), follow_redirects=False)
    assert done.status_code == 303, done.text
    answer = client.post(
        f"/bedomning/{booking['id']}/{step}",
        data={"csrf_token": str(client.cookies[CSRF_COOKIE]), "action": "approve",
              "reason": reason, "version": str(booking["version"]), **fields},
        follow_redirects=False,
    )  # fmt: skip
    return answer.status_code, answer.text


def lapsed_certificate(session: Session, traveller: int, issuer_id: int) -> None:
    """A taxi certificate of region 22 from `issuer_id` stored straight in the register, as
    one migrated from paper would reach it past the API's check of the issuer."""
    session.add(
        Certificate(
            traveller_id=traveller,
            principal_code="22",
            kind="period",
            modes=["taxi"],
            valid_from=date(2026, 11, 1),
            valid_until=date(2027, 2, 28),
            issuer_id=issuer_id,
            unit="Medicinmottagningen Sundsvall",
            issued_at=NOW - timedelta(days=10),
        )
    )
    session.flush()
