"""Assessment of stored bookings on SQLite and PostgreSQL: automatic approval with fees,
the assessor's queue and decisions, refusals kept with their reasons, certified issuers,
the fee ceiling across stored trips, the trial assessment and the decision letter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from conftest import NOW
from helpers import ANNA, auth, iso, place_id, register, token_for
from samfard.access.permissions import Role
from samfard.booking.models import Booking, BookingEvent
from samfard.costs.fee_ledger import FeeLedgerEntry
from samfard.travellers.models import Certificate, Issuer

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


@pytest.fixture
def admin(session: Session) -> str:
    return token_for(session, Role.SYSTEM_ADMIN, now=NOW)


@pytest.fixture
def operator(session: Session) -> str:
    return token_for(session, Role.OPERATOR, now=NOW)


@pytest.fixture
def assessor(session: Session) -> str:
    return token_for(session, Role.ASSESSOR, now=NOW)


@pytest.fixture
def stina(app_client: TestClient, operator: str) -> int:
    return register(app_client, operator, STINA)


@pytest.fixture
def anna(app_client: TestClient, operator: str) -> int:
    return register(app_client, operator)


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


def test_vn_taxi_with_a_valid_certificate_is_approved_automatically_with_fees_in_ore(
    app_client: TestClient, session: Session, admin: str, operator: str, stina: int
) -> None:
    certificate(app_client, admin, stina, issuer(app_client, admin))
    booking = book(app_client, operator, vn_trip(app_client, operator, stina))
    assert booking["status"] == "approved"
    decision = booking["decision"]
    assert decision["outcome"] == "automatic" and decision["decided_by"] == "rules"
    assert decision["chosen_mode"] == "taxi"
    assert [leg["fee_ore"] for leg in decision["legs"]] == [20000, 20000]
    assert decision["fee_ore"] == 40000
    assert decision["rulebooks"] == [
        {"file": "rulebooks/22/sjukresa.toml", "valid_from": "2023-01-01"}
    ]
    assert "authorisation.certificate" in {r["code"] for r in decision["reasons"]}
    assert len(decision["input_hash"]) == 64
    assert ledger_rows(session, booking["id"]) == [(20000, 20000), (20000, 20000)]
    event = session.scalars(
        select(BookingEvent).where(
            BookingEvent.booking_id == booking["id"], BookingEvent.to_status == "approved"
        )
    ).one()
    assert "rulebooks/22/sjukresa.toml" in (event.reason or "")


def test_jh_taxi_waits_in_the_queue_until_an_assessor_approves_with_a_reason(
    app_client: TestClient, session: Session, operator: str, assessor: str, anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, anna))
    assert booking["status"] == "requested"
    assert booking["decision"]["outcome"] == "needs_assessor"
    assert ledger_rows(session, booking["id"]) == []

    queue = app_client.get("/api/v1/assessments/queue", headers=auth(assessor)).json()
    assert [item["booking"]["id"] for item in queue] == [booking["id"]]
    assert any("central travel service" in why for why in queue[0]["waiting_because"])
    assert queue[0]["suggested_mode"] == "taxi"

    decided = app_client.post(
        f"/api/v1/bookings/{booking['id']}/assessment",
        json={"action": "approve", "reason": "cannot take the bus after the treatment"},
        headers=auth(assessor),
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    stored = decided.json()["decision"]
    assert stored["decided_by"] == "assessor"
    assert stored["assessor"]["reason"] == "cannot take the bus after the treatment"
    event = session.scalars(
        select(BookingEvent).where(
            BookingEvent.booking_id == booking["id"], BookingEvent.to_status == "approved"
        )
    ).one()
    assert event.reason == "assessor: cannot take the bus after the treatment"
    assert event.actor == "assessor-user"
    assert ledger_rows(session, booking["id"]) == [(20000, 20000), (20000, 20000)]
    assert app_client.get("/api/v1/assessments/queue", headers=auth(assessor)).json() == []


def test_assessor_can_change_the_mode_and_deny_and_a_reason_is_required(
    app_client: TestClient, session: Session, operator: str, assessor: str, anna: int
) -> None:
    first = book(app_client, operator, jh_trip(app_client, operator, anna))
    url = f"/api/v1/bookings/{first['id']}/assessment"
    no_reason = app_client.post(url, json={"action": "deny", "reason": ""}, headers=auth(assessor))
    assert no_reason.status_code == 422
    mode_without_change = app_client.post(
        url, json={"action": "approve", "reason": "ok", "mode": "own_car"}, headers=auth(assessor)
    )
    assert mode_without_change.status_code == 422
    changed = app_client.post(
        url,
        json={"action": "change_mode", "mode": "own_car", "reason": "drives himself"},
        headers=auth(assessor),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["decision"]["chosen_mode"] == "own_car"
    assert ledger_rows(session, first["id"]) == [(15000, 15000), (15000, 15000)]

    second = book(app_client, operator, jh_trip(app_client, operator, anna))
    denied = app_client.post(
        f"/api/v1/bookings/{second['id']}/assessment",
        json={"action": "deny", "reason": "bus connection fits the appointment"},
        headers=auth(assessor),
    )
    assert denied.status_code == 200, denied.text
    assert denied.json()["status"] == "denied"
    assert ledger_rows(session, second["id"]) == []
    operator_try = app_client.post(
        f"/api/v1/bookings/{second['id']}/assessment",
        json={"action": "approve", "reason": "x" * 3},
        headers=auth(operator),
    )
    assert operator_try.status_code == 403


def test_purpose_not_reimbursed_is_stored_as_denied_with_its_reasons(
    app_client: TestClient, session: Session, operator: str, anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, anna, purpose="vaccination"))
    assert booking["status"] == "denied"
    decision = booking["decision"]
    assert decision["outcome"] == "refused"
    assert any("vaccination" in why for why in decision["refused_because"])
    reason = next(r for r in decision["reasons"] if r["code"] == "purpose.not_reimbursed")
    assert reason["citation"]["file"] == "rulebooks/23/sjukresa.toml"
    stored = session.get(Booking, booking["id"])
    assert stored is not None and stored.events[-1].to_status == "denied"
    assert "vaccination" in (stored.events[-1].reason or "")
    assert ledger_rows(session, booking["id"]) == []


def test_uncertified_issuer_cannot_issue_and_its_stored_certificate_is_refused(
    app_client: TestClient, session: Session, admin: str, operator: str, stina: int
) -> None:
    lapsed = app_client.post(
        "/api/v1/issuers",
        json={
            "hsa_id": "SE2321000180-OLD1",
            "name": "Doktor Gammal",
            "unit": "Medicinmottagningen Sundsvall",
            "principal": "22",
            "course_passed_on": "2020-01-10",
            "certified_until": "2022-01-10",
        },
        headers=auth(admin),
    ).json()
    refused = app_client.post(
        f"/api/v1/travellers/{stina}/certificates",
        json={
            "principal": "22",
            "kind": "period",
            "modes": ["taxi"],
            "valid_from": "2026-11-20",
            "valid_until": "2027-02-28",
            "issuer_id": lapsed["id"],
        },
        headers=auth(admin),
    )
    assert refused.status_code == 403
    # A certificate that reached the register anyway (e.g. migrated from paper) is refused
    # by the assessment, naming the lapsed certification.
    session.add(
        Certificate(
            traveller_id=stina,
            principal_code="22",
            kind="period",
            modes=["taxi"],
            valid_from=date(2026, 11, 1),
            valid_until=date(2027, 2, 28),
            issuer_id=lapsed["id"],
            unit="Medicinmottagningen Sundsvall",
            issued_at=NOW - timedelta(days=10),
        )
    )
    session.flush()
    booking = book(app_client, operator, vn_trip(app_client, operator, stina))
    assert booking["status"] == "denied"
    why = " ".join(booking["decision"]["refused_because"])
    assert "lapsed on 2022-01-10" in why


def test_fee_ceiling_is_crossed_across_stored_bookings(
    app_client: TestClient, session: Session, operator: str, assessor: str, anna: int
) -> None:
    """JH ceiling 2 400 kr: own car 2 x 150 kr, then taxi trips of 2 x 200 kr. After five
    taxi trips 2 300 kr are paid; the sixth taxi trip's outward leg pays the remaining 100 kr and
    its return 0; the seventh taxi trip is free."""
    days = [date(2026, 11, 23) + timedelta(days=i) for i in range(8)]
    ids = []
    for day in days:
        body = round_trip(
            app_client, operator, anna, principal="23", hospital="Östersunds sjukhus", day=day
        )
        ids.append(book(app_client, operator, body)["id"])
    first = app_client.post(
        f"/api/v1/bookings/{ids[0]}/assessment",
        json={"action": "change_mode", "mode": "own_car", "reason": "drives herself"},
        headers=auth(assessor),
    )
    assert first.status_code == 200, first.text
    for booking_id in ids[1:]:
        approved = app_client.post(
            f"/api/v1/bookings/{booking_id}/assessment",
            json={"action": "approve", "reason": "no bus fits"},
            headers=auth(assessor),
        )
        assert approved.status_code == 200, approved.text
    paid = [ledger_rows(session, booking_id) for booking_id in ids]
    assert paid[0] == [(15000, 15000), (15000, 15000)]
    assert paid[1:6] == [[(20000, 20000), (20000, 20000)]] * 5
    assert paid[6] == [(20000, 10000), (20000, 0)]
    assert paid[7] == [(20000, 0), (20000, 0)]
    assert sum(p for rows in paid for _, p in rows) == 240000

    status = app_client.get(
        f"/api/v1/fee-ledger/{anna}",
        params={"principal": "23", "on": days[-1].isoformat()},
        headers=auth(operator),
    )
    assert status.status_code == 200, status.text
    body = status.json()
    assert (body["paid_ore"], body["remaining_ore"]) == (240000, 0)
    assert body["free_from"] == days[6].isoformat()
    assert body["period_start"] == days[0].isoformat()
    assert body["free_until"] == "2027-11-22"
    assert len(body["entries"]) == 16


def test_trial_assessment_answers_and_stores_nothing(
    app_client: TestClient, session: Session, admin: str, operator: str, stina: int
) -> None:
    certificate(app_client, admin, stina, issuer(app_client, admin))

    def counts() -> tuple[int, int]:
        bookings = session.scalar(select(func.count(Booking.id))) or 0
        ledger = session.scalar(select(func.count(FeeLedgerEntry.id))) or 0
        return bookings, ledger

    before = counts()
    response = app_client.post(
        "/api/v1/assessments", json=vn_trip(app_client, operator, stina), headers=auth(operator)
    )
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "automatic"
    assert response.json()["fee_ore"] == 40000
    bus = app_client.post(
        "/api/v1/assessments",
        json={**vn_trip(app_client, operator, stina), "mode": "public_transport"},
        headers=auth(operator),
    )
    assert bus.status_code == 200, bus.text
    assert bus.json()["chosen_mode"] == "public_transport"
    assert counts() == before


def test_decision_letter_states_the_decision_the_fee_and_how_to_appeal(
    app_client: TestClient, admin: str, operator: str, stina: int
) -> None:
    certificate(app_client, admin, stina, issuer(app_client, admin))
    booking = book(app_client, operator, vn_trip(app_client, operator, stina))
    letter = app_client.get(
        f"/api/v1/bookings/{booking['id']}/decision-letter", headers=auth(operator)
    )
    assert letter.status_code == 200, letter.text
    assert letter.headers["content-type"].startswith("text/html")
    text = letter.text
    assert "Din resa är beviljad." in text
    assert "400,00 kr" in text and "200,00 kr" in text
    assert "Du kan överklaga beslutet till förvaltningsrätten" in text
    assert "inom tre veckor från den dag du fick del av beslutet" in text
    assert "Region Västernorrland" in text
    assert "Stina Testsson" in text


def test_queue_lists_only_bookings_waiting_for_an_assessor(
    app_client: TestClient, admin: str, operator: str, assessor: str, anna: int, stina: int
) -> None:
    certificate(app_client, admin, stina, issuer(app_client, admin))
    approved = book(app_client, operator, vn_trip(app_client, operator, stina))
    denied = book(app_client, operator, jh_trip(app_client, operator, anna, purpose="vaccination"))
    waiting = book(app_client, operator, jh_trip(app_client, operator, anna))
    assert (approved["status"], denied["status"], waiting["status"]) == (
        "approved",
        "denied",
        "requested",
    )
    queue = app_client.get("/api/v1/assessments/queue", headers=auth(assessor)).json()
    assert [item["booking"]["id"] for item in queue] == [waiting["id"]]
    only_vn = app_client.get(
        "/api/v1/assessments/queue", params={"principal": "22"}, headers=auth(assessor)
    ).json()
    assert only_vn == []


def test_certificate_report_counts_per_issuer_and_unit(
    app_client: TestClient, session: Session, admin: str, stina: int, anna: int
) -> None:
    issuer_id = issuer(app_client, admin)
    certificate(app_client, admin, stina, issuer_id)
    certificate(app_client, admin, anna, issuer_id)
    report = app_client.get("/api/v1/reports/certificates", headers=auth(admin))
    assert report.status_code == 200, report.text
    rows = [r for r in report.json() if r["issuer_hsa_id"] == "SE2321000180-ABC1"]
    assert rows == [
        {
            "principal": "22",
            "unit": "Medicinmottagningen Sundsvall",
            "issuer_hsa_id": "SE2321000180-ABC1",
            "issuer_name": "Doktor Test",
            "certified_today": True,
            "certificates": 2,
        }
    ]
    assert session.scalar(select(func.count(Issuer.id))) == 1


def test_each_booking_of_a_series_is_assessed_and_a_cancelled_trip_stops_counting(
    app_client: TestClient, session: Session, admin: str, operator: str, stina: int
) -> None:
    """VN ceiling 2 400 kr per calendar year, taxi 200 kr a leg: six series days pay, the
    seventh is free. Cancelling the second day moves the day the ceiling is reached."""
    certificate(app_client, admin, stina, issuer(app_client, admin))
    unit = place_id(app_client, operator, "Sundsvalls sjukhus dialys")
    body = {
        "traveller_id": stina,
        "service": "sjukresa",
        "principal": "22",
        "purpose": "dialysis",
        "weekdays": ["mon", "wed", "fri"],
        "start_date": "2026-11-25",
        "end_date": "2026-12-09",
        "legs": [
            {
                "origin": {"home": True},
                "destination": {"place_id": unit},
                "appointment_time": "08:00",
            },
            {
                "origin": {"place_id": unit},
                "destination": {"home": True},
                "pickup_time": "12:00",
                "return_of": 0,
            },
        ],
    }
    created = app_client.post("/api/v1/series", json=body, headers=auth(operator))
    assert created.status_code == 201, created.text
    ids = created.json()["booking_ids"]
    assert len(ids) == 7
    assert {session.get(Booking, i).status for i in ids} == {"approved"}  # type: ignore[union-attr]
    paid = [sum(p for _, p in ledger_rows(session, i)) for i in ids]
    assert paid == [40000] * 6 + [0]

    def free_from() -> str:
        status = app_client.get(
            f"/api/v1/fee-ledger/{stina}",
            params={"principal": "22", "on": "2026-12-09"},
            headers=auth(operator),
        ).json()
        assert status["paid_ore"] == 240000
        return str(status["free_from"])

    assert free_from() == "2026-12-07"
    cancelled = app_client.post(
        f"/api/v1/bookings/{ids[1]}/transitions",
        json={"to": "cancelled", "reason": "treatment moved"},
        headers=auth(operator),
    )
    assert cancelled.status_code == 200, cancelled.text
    assert free_from() == "2026-12-09"


def test_letter_of_a_refusal_gives_the_reason_in_swedish_with_the_rule(
    app_client: TestClient, operator: str, anna: int
) -> None:
    denied = book(app_client, operator, jh_trip(app_client, operator, anna, purpose="vaccination"))
    letter = app_client.get(
        f"/api/v1/bookings/{denied['id']}/decision-letter", headers=auth(operator)
    ).text
    assert "Din ansökan om resa har avslagits." in letter
    assert "Besöket är inte en sådan vård som regionen ersätter resor till." in letter
    assert "rulebooks/23/sjukresa.toml" in letter
    assert "Du kan överklaga beslutet till förvaltningsrätten" in letter
