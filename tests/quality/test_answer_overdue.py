"""A carrier that misses its answer deadline is flagged, on both databases: in the API's
answer and filter, and on /kvalitet for the centre's handlers; an answer in time, or a
deadline not yet passed, is not flagged."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from fastapi.testclient import TestClient
from quality_world import QualityWorld, build_quality_world
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.permissions import Role
from samfard.clock import FixedClock
from samfard.quality.service import CARRIER_ANSWER_DAYS
from samfard.timeutil import local


@pytest.fixture
def world(session: Session, clock: FixedClock) -> QualityWorld:
    built = build_quality_world(session)
    clock.current = local(built.booking.service_date, time(18, 0))
    return built


def _investigated(client: TestClient, token: str, world: QualityWorld, what: str) -> str:
    body = {"booking_id": world.booking.id, "kind": "late", "description": what}
    made = client.post("/api/v1/deviations", json=body, headers=auth(token))
    assert made.status_code == 201, made.text
    url = f"/api/v1/deviations/{made.json()['id']}"
    step = client.post(f"{url}/steps", json={"action": "investigate"}, headers=auth(token))
    assert step.status_code == 200, step.text
    assert step.json()["carrier_due_at"] is not None
    assert step.json()["carrier_answer_overdue"] is False
    return url


def test_a_missed_answer_deadline_is_flagged_in_the_api_and_on_the_page(
    app_client: TestClient, session: Session, clock: FixedClock, world: QualityWorld
) -> None:
    desk = token_for(session, Role.OPERATOR, now=NOW, username="frist-desk",
                     principals=[world.booking.principal_code])  # fmt: skip
    silent = _investigated(app_client, desk, world, "40 min sent, utföraren tiger")
    answered = _investigated(app_client, desk, world, "20 min sent, utföraren svarar")
    reply = {"action": "answer", "note": "Vägarbete på E14"}
    assert app_client.post(f"{answered}/steps", json=reply, headers=auth(desk)).is_success

    def overdue_ids() -> list[int]:
        page = app_client.get(
            "/api/v1/deviations", params={"answer_overdue": "true"}, headers=auth(desk)
        )
        assert page.status_code == 200, page.text
        return [d["id"] for d in page.json()["items"]]

    # One day before the deadline: nothing is late.
    clock.current += timedelta(days=CARRIER_ANSWER_DAYS - 1)
    assert overdue_ids() == []
    assert app_client.get(silent, headers=auth(desk)).json()["carrier_answer_overdue"] is False
    assert "Utförarens svar försenat" not in app_client.get("/kvalitet", headers=auth(desk)).text

    # Past the deadline: the silent carrier's deviation is flagged, the answered one not.
    clock.current += timedelta(days=2)
    silent_id = int(silent.rsplit("/", 1)[1])
    assert overdue_ids() == [silent_id]
    assert app_client.get(silent, headers=auth(desk)).json()["carrier_answer_overdue"] is True
    assert app_client.get(answered, headers=auth(desk)).json()["carrier_answer_overdue"] is False
    page = app_client.get("/kvalitet", headers=auth(desk))
    assert page.status_code == 200
    assert "Utförarens svar försenat" in page.text and page.text.count(">Försenat<") == 1
    only = app_client.get("/kvalitet", params={"forsenat": "1"}, headers=auth(desk))
    assert only.text.count('href="/kvalitet/') == 1 and f'href="/kvalitet/{silent_id}"' in only.text
    card = app_client.get(f"/kvalitet/{silent_id}", headers=auth(desk))
    assert "utföraren har inte svarat" in card.text

    # A late answer clears the flag.
    assert app_client.post(f"{silent}/steps", json=reply, headers=auth(desk)).is_success
    assert overdue_ids() == []
