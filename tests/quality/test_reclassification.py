"""Kind and severity are the centre's to change, up to and at the decision: the penalty an
upheld decision charges follows the classification it was taken on, so a step after the
decision that would reclassify is refused (409) and the deviation, its penalty and the
carrier's invoice basis keep saying the same thing; a carrier's answer cannot reclassify."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from quality_world import QualityWorld
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, auth, login_form, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.costs.models import CarrierPenalty

pytestmark = pytest.mark.world_per_module


@pytest.fixture
def desk(session: Session, world: QualityWorld) -> dict[str, str]:
    return auth(token_for(session, Role.OPERATOR, now=NOW, username="re-desk",
                          principals=[world.booking.principal_code]))  # fmt: skip


def _report(client: TestClient, world: QualityWorld, desk: dict[str, str], kind: str) -> str:
    body = {"booking_id": world.booking.id, "kind": kind, "description": "Bilen kom sent."}
    made = client.post("/api/v1/deviations", json=body, headers=desk)
    assert made.status_code == 201, made.text
    return f"/api/v1/deviations/{made.json()['id']}"


def _step(client: TestClient, url: str, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"{url}/steps", json=body, headers=headers)


def _penalties(session: Session) -> list[tuple[str, str, int]]:
    rows = session.scalars(select(CarrierPenalty).order_by(CarrierPenalty.id))
    return [(p.kind, p.severity, p.amount_ore) for p in rows]


@pytest.mark.parametrize("action", ["comment", "close"])
def test_a_step_after_the_decision_cannot_reclassify(
    app_client: TestClient, session: Session, world: QualityWorld, desk: dict[str, str],
    action: str,
) -> None:  # fmt: skip
    url = _report(app_client, world, desk, "late")
    decided = _step(app_client, url, desk, action="decide", outcome="upheld", note="Sent")
    assert decided.status_code == 200 and decided.json()["penalty_ore"] == 50000
    for change in ({"kind": "information"}, {"severity": "minor", "kind": "information"},
                   {"severity": "moderate"}):  # fmt: skip
        refused = _step(app_client, url, desk, action=action, note="Omklassad", **change)
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["field"] in change
        assert "cannot change after" in refused.json()["detail"]
    after = app_client.get(url, headers=desk).json()
    assert (after["kind"], after["severity"], after["status"]) == ("late", "minor", "decided")
    assert after["penalty_ore"] == 50000 and len(after["events"]) == 2
    assert _penalties(session) == [("late", "minor", 50000)]
    same = _step(app_client, url, desk, action=action, note="Samma", kind="late")
    assert same.status_code == 200, same.text  # naming the classification it has is no change


def test_the_centre_reclassifies_before_or_at_the_decision_and_the_penalty_follows(
    app_client: TestClient, session: Session, world: QualityWorld, desk: dict[str, str]
) -> None:
    url = _report(app_client, world, desk, "late")
    moved = _step(app_client, url, desk, action="investigate", kind="early", note="Tidig")
    assert moved.status_code == 200 and moved.json()["kind"] == "early"
    decided = _step(app_client, url, desk, action="decide", outcome="upheld", note="För tidig",
                    kind="vehicle_no_show")  # fmt: skip
    assert decided.status_code == 200, decided.text
    assert decided.json()["kind"] == "vehicle_no_show" and decided.json()["penalty_ore"] == 150000
    assert _penalties(session) == [("vehicle_no_show", "minor", 150000)]


def test_the_carrier_answers_but_does_not_reclassify(
    app_client: TestClient, session: Session, world: QualityWorld, desk: dict[str, str]
) -> None:
    url = _report(app_client, world, desk, "injury")
    assert _step(app_client, url, desk, action="investigate", note="Fråga").status_code == 200
    carrier = auth(token_for(session, Role.CARRIER_DISPATCHER, now=NOW, username="re-carrier",
                             principals=[], carrier_id=world.carrier_id))  # fmt: skip
    refused = _step(app_client, url, carrier, action="answer", note="Ingen skada",
                    severity="minor", kind="information")  # fmt: skip
    assert refused.status_code == 403 and refused.json()["field"] == "kind", refused.text
    answered = _step(app_client, url, carrier, action="answer", note="Ingen skada")
    assert answered.status_code == 200 and answered.json()["kind"] == "injury"


def test_the_card_says_in_swedish_why_a_decided_deviation_keeps_its_class(
    app_client: TestClient, session: Session, world: QualityWorld, desk: dict[str, str]
) -> None:
    url = _report(app_client, world, desk, "late")
    assert _step(app_client, url, desk, action="decide", outcome="upheld", note="Sent").is_success
    deviation = url.rsplit("/", 1)[1]
    app_client.cookies.clear()
    app_client.post("/login", data=login_form("q-operator", app_client))
    card = app_client.get(f"/kvalitet/{deviation}").text
    version = re.search(r'name="version" value="(\d+)"', card)
    assert version
    answer = app_client.post(
        f"/kvalitet/{deviation}/steg",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "version": version.group(1),
              "steg": "close", "typ": "information"},
    )  # fmt: skip
    assert answer.status_code == 200
    assert "vitet följer beslutets klassning" in answer.text
    assert _penalties(session) == [("late", "minor", 50000)]
