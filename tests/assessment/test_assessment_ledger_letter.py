"""The fee ceiling across stored bookings and series, the decision letter in Swedish and
the certificate report, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from assessment_fixtures import (
    book,
    certificate,
    issuer,
    jh_trip,
    ledger_rows,
    round_trip,
    vn_trip,
)
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import auth, place_id
from samfard.booking.models import Booking
from samfard.travellers.models import Issuer


def test_fee_ceiling_is_crossed_across_stored_bookings(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    """JH ceiling 2 400 kr: own car 2 x 150 kr, then taxi trips of 2 x 200 kr. After five
    taxi trips 2 300 kr are paid; the sixth taxi trip's outward leg pays the remaining 100 kr and
    its return 0; the seventh taxi trip is free."""
    days = [date(2026, 11, 23) + timedelta(days=i) for i in range(8)]
    ids = []
    for day in days:
        body = round_trip(
            app_client, operator, far_anna, principal="23", hospital="Östersunds sjukhus", day=day
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
        f"/api/v1/fee-ledger/{far_anna}",
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


def test_the_letter_and_the_decision_state_what_companions_pay(
    app_client: TestClient, admin: str, operator: str, stina: int
) -> None:
    """A fellow passenger (medresenär) pays 125 kr a leg beside Stina's 200 kr."""
    certificate(app_client, admin, stina, issuer(app_client, admin))
    trip = vn_trip(app_client, operator, stina, companions=[{"kind": "fellow_passenger"}])
    booking = book(app_client, operator, trip)
    assert (booking["decided"]["fee_ore"], booking["decided"]["companion_fee_ore"]) == (
        40000,
        25000,
    )
    assert booking["decision"]["companion_fee_ore"] == 25000
    letter = app_client.get(
        f"/api/v1/bookings/{booking['id']}/decision-letter", headers=auth(operator)
    ).text
    assert "<th>Medresenärer</th>" in letter and "125,00 kr" in letter
    assert "<th colspan=3>Att betala</th><th>650,00 kr</th>" in letter.replace("\u00a0", " ")


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
    """A letter a citizen can read: Swedish reasons, each once, the rules named by their
    principal and version (not a file path), the address it is sent to, and the time of
    the visit said as such."""
    denied = book(app_client, operator, jh_trip(app_client, operator, anna, purpose="vaccination"))
    letter = app_client.get(
        f"/api/v1/bookings/{denied['id']}/decision-letter", headers=auth(operator)
    ).text
    assert "Din ansökan om resa har avslagits." in letter
    assert "<h2>Egenavgift</h2>" not in letter, "nothing to pay for a trip not granted"
    assert letter.count("Besöket är inte en sådan vård som regionen ersätter resor till.") == 1
    assert "Beslutet grundas på reglerna för sjukresa hos Region Jämtland Härjedalen" in letter
    assert "rulebooks/" not in letter and "versions[" not in letter
    assert "Storgatan 1, 831 30 Östersund" in letter
    assert "framme senast" in letter or "hämtas" in letter
    assert "Du kan överklaga beslutet till förvaltningsrätten" in letter
