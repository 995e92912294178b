"""A booking carries its mode and shows the decision that stands: outcome, mode, fee, who
decided and when. Only bookings that go by vehicle reach the planner."""

from __future__ import annotations

import pytest
from assessment_fixtures import WEDNESDAY, book, certificate, issuer, jh_trip, ledger_rows, vn_trip
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, auth, iso, place_id
from samfard.access.actor import SYSTEM
from samfard.booking.models import Booking
from samfard.dispatch import live, store
from samfard.rules import engine


def _decide(client: TestClient, token: str, booking_id: int, **body: str) -> dict[str, object]:
    response = client.post(
        f"/api/v1/bookings/{booking_id}/assessment", json=body, headers=auth(token)
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_assessor_approval_is_the_decision_that_stands_with_mode_fee_author_and_time(
    app_client: TestClient, operator: str, assessor: str, far_anna: int
) -> None:
    waiting = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    assert waiting["mode"] == "taxi"
    assert waiting["decided"] == {
        "outcome": "needs_assessor",
        "mode": "taxi",
        "fee_ore": None,
        "companion_fee_ore": None,
        "decided_by": "rules",
        "decided_by_user": None,
        "decided_at": NOW.isoformat(),
    }
    approved = _decide(app_client, assessor, waiting["id"], action="approve", reason="ok now")
    shown = app_client.get(f"/api/v1/bookings/{waiting['id']}", headers=auth(operator)).json()
    for booking in (approved, shown):
        assert booking["decision"]["outcome"] == "approved"
        assert booking["decision"]["rules_outcome"] == "needs_assessor"
        assert booking["decided"] == {
            "outcome": "approved",
            "mode": "taxi",
            "fee_ore": 40000,
            "companion_fee_ore": 0,
            "decided_by": "assessor",
            "decided_by_user": "assessor-user",
            "decided_at": NOW.isoformat(),
        }


def test_assessor_denial_and_automatic_decisions_stand_too(
    app_client: TestClient, admin: str, operator: str, assessor: str, far_anna: int, stina: int
) -> None:
    waiting = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    denied = _decide(app_client, assessor, waiting["id"], action="deny", reason="family drives her")
    assert denied["decision"]["outcome"] == "denied"
    assert denied["decided"]["outcome"] == "denied"
    assert denied["decided"]["fee_ore"] == 0
    assert denied["decided"]["decided_by_user"] == "assessor-user"

    certificate(app_client, admin, stina, issuer(app_client, admin))
    automatic = book(app_client, operator, vn_trip(app_client, operator, stina))
    assert automatic["decided"]["outcome"] == "approved"
    assert automatic["decided"]["decided_by"] == "rules"
    assert (automatic["mode"], automatic["decided"]["fee_ore"]) == ("taxi", 40000)

    refused = book(
        app_client, operator, jh_trip(app_client, operator, far_anna, purpose="vaccination")
    )
    assert refused["decided"]["outcome"] == "denied"
    assert refused["decided"]["decided_by"] == "rules"


@pytest.mark.parametrize(("mode", "fee"), [("public_transport", 0), ("own_car", 15000)])
def test_a_booking_asked_by_a_mode_goes_by_it_and_its_fee_follows(
    app_client: TestClient, session: Session, operator: str, anna: int, mode: str, fee: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, anna, mode=mode))
    assert booking["status"] == "approved"
    assert booking["mode"] == mode == booking["decision"]["chosen_mode"]
    assert booking["decided"]["fee_ore"] == 2 * fee
    assert ledger_rows(session, booking["id"]) == [(fee, fee), (fee, fee)]


def test_the_assessors_change_of_mode_is_the_bookings_mode_and_fee(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    waiting = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    changed = _decide(
        app_client,
        assessor,
        waiting["id"],
        action="change_mode",
        mode="public_transport",
        reason="a neighbour drives her to the bus in Brunflo",
    )
    assert changed["mode"] == "public_transport"
    assert changed["decided"]["mode"] == "public_transport"
    assert changed["decided"]["fee_ore"] == 0
    assert ledger_rows(session, waiting["id"]) == [(0, 0), (0, 0)]


def test_only_vehicle_bookings_reach_the_planner(
    app_client: TestClient, session: Session, operator: str, anna: int, stina: int, admin: str
) -> None:
    certificate(app_client, admin, stina, issuer(app_client, admin))
    taxi = book(app_client, operator, vn_trip(app_client, operator, stina))
    bus = book(app_client, operator, jh_trip(app_client, operator, anna, mode="public_transport"))
    train = book(app_client, operator, jh_trip(app_client, operator, anna, mode="train"))
    assert (taxi["status"], bus["status"], train["status"]) == ("approved",) * 3
    planned = {b.id for b in store.read_bookings(session, WEDNESDAY)}
    assert taxi["id"] in planned
    assert bus["id"] not in planned and train["id"] not in planned
    stored = session.get(Booking, bus["id"])
    assert stored is not None
    assert live.insert_booking(session, stored, actor=SYSTEM, now=NOW) is False


def test_trial_assessment_prices_the_mode_asked_for(
    app_client: TestClient, operator: str, anna: int
) -> None:
    trial = app_client.post(
        "/api/v1/assessments",
        json={**jh_trip(app_client, operator, anna), "traveller_id": anna, "mode": "train"},
        headers=auth(operator),
    )
    assert trial.status_code == 200, trial.text
    assert trial.json()["chosen_mode"] == "train"
    assert trial.json()["fee_ore"] == 0


def test_assessor_approves_a_trip_the_rules_cannot_assess_without_a_rule_fee(
    app_client: TestClient,
    session: Session,
    operator: str,
    assessor: str,
    anna: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Östersund's färdtjänst fee is a multiple of the bus fare; in a county without a fare
    table the rules cannot price it: the booking waits with the engine's message, and the
    assessor's approval stands."""
    monkeypatch.setattr(engine, "county_fare", lambda *_: None)
    permit = app_client.post(
        f"/api/v1/travellers/{anna}/permits",
        json={"kind": "fardtjanst", "principal": "2380", "valid_from": "2025-01-01"},
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
                "pickup_at": iso(WEDNESDAY, "10:00"),
            }
        ],
    }
    waiting = book(app_client, operator, body)
    assert waiting["status"] == "requested"
    assert waiting["decided"]["outcome"] == "needs_assessor"
    assert "bus_fare" in " ".join(waiting["decision"]["needs_assessor_because"])
    approved = _decide(app_client, assessor, waiting["id"], action="approve", reason="bus 38 kr")
    assert approved["status"] in ("approved", "scheduled")
    assert approved["decided"]["outcome"] == "approved"
    assert approved["decided"]["fee_ore"] == 0
    assert "bus_fare" in approved["decision"]["rules_error"]
    assert ledger_rows(session, waiting["id"]) == []
