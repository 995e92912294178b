"""Assessment of stored bookings on SQLite and PostgreSQL: automatic approval with fees,
the assessor's queue and decisions, refusals kept with their reasons, certified issuers and
the trial assessment that stores nothing."""

from __future__ import annotations

from assessment_fixtures import (
    book,
    certificate,
    issuer,
    jh_trip,
    lapsed_certificate,
    ledger_rows,
    vn_trip,
)
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import auth
from samfard.booking.models import Booking, BookingEvent
from samfard.costs.fee_ledger import FeeLedgerEntry


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
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
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
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    first = book(app_client, operator, jh_trip(app_client, operator, far_anna))
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

    second = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    denied = app_client.post(
        f"/api/v1/bookings/{second['id']}/assessment",
        json={"action": "deny", "reason": "her son drives her, as every week"},
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
    # The event names the rule by its code; the text with the facts is the decision's.
    assert "purpose.not_reimbursed [rulebooks/23/sjukresa.toml" in (stored.events[-1].reason or "")
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
    lapsed_certificate(session, stina, lapsed["id"])
    booking = book(app_client, operator, vn_trip(app_client, operator, stina))
    assert booking["status"] == "denied"
    why = " ".join(booking["decision"]["refused_because"])
    assert "lapsed on 2022-01-10" in why


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


def test_queue_lists_only_bookings_waiting_for_an_assessor(
    app_client: TestClient, admin: str, operator: str, assessor: str, far_anna: int, stina: int
) -> None:
    certificate(app_client, admin, stina, issuer(app_client, admin))
    approved = book(app_client, operator, vn_trip(app_client, operator, stina))
    denied = book(
        app_client, operator, jh_trip(app_client, operator, far_anna, purpose="vaccination")
    )
    waiting = book(app_client, operator, jh_trip(app_client, operator, far_anna))
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


def test_ids_beyond_32_bits_are_refused_as_input_not_server_errors(
    app_client: TestClient, operator: str, assessor: str
) -> None:
    huge = 2**63
    answers = [
        app_client.get(f"/api/v1/bookings/{huge}/decision-letter", headers=auth(operator)),
        app_client.get(
            f"/api/v1/fee-ledger/{huge}", params={"principal": "23"}, headers=auth(operator)
        ),
        app_client.post(
            f"/api/v1/bookings/{huge}/assessment",
            json={"action": "deny", "reason": "test"},
            headers=auth(assessor),
        ),
        app_client.post(
            "/api/v1/assessments",
            json={
                "traveller_id": huge,
                "service": "sjukresa",
                "principal": "23",
                "legs": [
                    {
                        "origin": {"home": True},
                        "destination": {"address": "Storgatan 1", "lat": 63.2, "lon": 14.7},
                        "pickup_at": "2026-11-25T09:00:00+01:00",
                    }
                ],
            },
            headers=auth(operator),
        ),
    ]
    assert [a.status_code for a in answers] == [422, 422, 422, 422]
    assert answers[3].json()["field"].endswith("traveller_id")


def test_approving_a_booking_approved_already_is_409_and_charges_nothing_twice(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    """A scheduled booking may legally go back to approved (taken out of the plan), so the
    assessment must refuse it explicitly rather than trip over the fee ledger's unique key."""
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    url = f"/api/v1/bookings/{booking['id']}/assessment"
    first = app_client.post(url, json={"action": "approve", "reason": "ok"}, headers=auth(assessor))
    assert first.status_code == 200, first.text
    scheduled = app_client.post(
        f"/api/v1/bookings/{booking['id']}/transitions",
        json={"to": "scheduled"},
        headers=auth(operator),
    )
    assert scheduled.status_code == 200, scheduled.text
    fees = ledger_rows(session, booking["id"])
    for body in ({"action": "approve"}, {"action": "change_mode", "mode": "own_car"}):
        again = app_client.post(url, json=body | {"reason": "again"}, headers=auth(assessor))
        assert again.status_code == 409, again.text
        assert again.headers["content-type"] == "application/problem+json"
        assert "scheduled" in again.json()["detail"]
    assert session.get(Booking, booking["id"]).status == "scheduled"  # type: ignore[union-attr]
    assert ledger_rows(session, booking["id"]) == fees
    assert "approved already" in again.json()["detail"]


def test_approving_a_cancelled_booking_never_approved_says_so(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    """The refusal said "it was approved already" of a trip cancelled while it waited."""
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    cancelled = app_client.post(
        f"/api/v1/bookings/{booking['id']}/cancel",
        json={"reason": "ej längre"},
        headers=auth(operator),
    )
    assert cancelled.status_code == 200, cancelled.text
    url = f"/api/v1/bookings/{booking['id']}/assessment"
    again = app_client.post(url, json={"action": "approve", "reason": "ok"}, headers=auth(assessor))
    assert again.status_code == 409, again.text
    assert "cancelled, it was never approved and is closed" in again.json()["detail"]
    assert ledger_rows(session, booking["id"]) == []
