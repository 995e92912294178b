"""The audit trail: every route under /travellers and /bookings leaves an entry naming
the traveller; a failed transaction leaves none; the trail is listed per traveller and per
user, and no route can change or delete it. The registerutdrag contains everything and is
itself audited."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from access_world import World, book, build_world, sjukresa
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, auth, token_for
from samfard.access import audit
from samfard.access.actor import SYSTEM
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.access.routes import api_routes
from samfard.db import transaction

PARAM = re.compile(r"{(\w+)}")
Body = Callable[[TestClient, World, str], dict[str, Any]]  # client, world, the URL called


def entries_for(session: Session, traveller_id: int) -> int:
    statement = select(func.count(AuditEntry.id)).where(AuditEntry.traveller_id == traveller_id)
    return session.scalar(statement) or 0


def _version(client: TestClient, world: World, url: str) -> int:
    return int(client.get(url, headers=auth(world.admin)).json()["version"])


def _certificate(client: TestClient, world: World, url: str) -> dict[str, Any]:
    issuer = client.post(
        "/api/v1/issuers",
        json={
            "hsa_id": "SE2321000065-AUD1",
            "name": "Doktor Test",
            "unit": "Dialys",
            "principal": "23",
            "course_passed_on": "2026-01-01",
            "certified_until": "2027-12-31",
        },
        headers=auth(world.admin),
    )
    assert issuer.status_code == 201, issuer.text
    return {
        "principal": "23",
        "kind": "single_trip",
        "modes": ["taxi"],
        "valid_from": "2026-11-20",
        "valid_until": "2026-12-20",
        "issuer_id": issuer.json()["id"],
    }


# A valid body for every write route under /travellers and /bookings. A new write route
# there makes the walk below fail until its body is added here, so none escapes the check.
BODIES: dict[tuple[str, str], Body] = {
    ("POST", "/api/v1/travellers"): lambda c, w, url: {**ANNA, "personal_number": "19400607-1239"},
    ("PATCH", "/api/v1/travellers/{traveller_id}"): lambda c, w, url: {
        "version": _version(c, w, url),
        "phone": "070-1112233",
    },
    ("POST", "/api/v1/travellers/{traveller_id}/permits"): lambda c, w, url: {
        "kind": "fardtjanst",
        "principal": "2380",
        "valid_from": "2026-11-01",
    },
    ("POST", "/api/v1/travellers/{traveller_id}/certificates"): _certificate,
    ("POST", "/api/v1/bookings"): lambda c, w, url: sjukresa(c, w.operator, w.anna, "23"),
    ("PATCH", "/api/v1/bookings/{booking_id}"): lambda c, w, url: {
        "version": _version(c, w, url),
        "message_to_driver": "Ny portkod",
    },
    ("POST", "/api/v1/bookings/{booking_id}/transitions"): lambda c, w, url: {
        "to": "cancelled",
        "reason": "test",
    },
    ("POST", "/api/v1/bookings/{booking_id}/cancel"): lambda c, w, url: {
        "reason": "no longer needed"
    },
    ("POST", "/api/v1/bookings/{booking_id}/assessment"): lambda c, w, url: {
        "action": "approve",
        "reason": "test",
    },
}


def test_every_route_touching_a_traveller_or_booking_leaves_an_audit_entry(
    app_client: TestClient, session: Session
) -> None:
    world = build_world(app_client, session)
    routes = [
        (method, route.path)
        for route in api_routes(app_client.app)  # type: ignore[arg-type]
        if route.path.startswith(("/api/v1/travellers", "/api/v1/bookings"))
        for method in route.methods
    ]
    assert len(routes) >= 12
    for method, path in sorted(routes):
        # Each write gets a fresh booking, so it finds one in the state it accepts.
        booking = (
            world.anna_booking
            if method == "GET"
            else book(app_client, world.operator, world.anna, "23")
        )
        ids = {"traveller_id": str(world.anna), "booking_id": str(booking)}
        url = PARAM.sub(lambda m, ids=ids: ids[m.group(1)], path)
        body = None
        if method != "GET":
            assert (method, path) in BODIES, f"add a valid body for {method} {path} to BODIES"
            body = BODIES[(method, path)](app_client, world, url)
        before = session.scalar(select(func.max(AuditEntry.id))) or 0
        response = app_client.request(method, url, json=body, headers=auth(world.admin))
        assert response.status_code < 300, f"{method} {path}: {response.text}"
        new = session.scalars(select(AuditEntry).where(AuditEntry.id > before)).all()
        assert new, f"{method} {path} touched personal data without an audit entry"
        assert all(e.traveller_id is not None and e.username == "world-admin" for e in new)
        assert all(e.request_id == response.headers["X-Request-Id"] for e in new)


def test_a_failed_transaction_leaves_no_audit_entry(
    app_client: TestClient, session: Session
) -> None:
    world = build_world(app_client, session)
    before = entries_for(session, world.anna)
    stale = app_client.patch(
        f"/api/v1/travellers/{world.anna}",
        json={"version": 99, "phone": "1"},
        headers=auth(world.operator),
    )
    assert stale.status_code == 409
    assert entries_for(session, world.anna) == before
    with pytest.raises(RuntimeError), transaction(session):
        audit.record(
            session,
            SYSTEM,
            traveller_id=world.anna,
            record_type="traveller",
            record_id=world.anna,
            action="read",
            purpose="doomed",
            at=NOW,
        )
        session.flush()
        raise RuntimeError("the work failed after the entry was written")
    assert entries_for(session, world.anna) == before


def test_no_route_can_change_or_delete_the_audit_trail(app_client: TestClient) -> None:
    audit_routes = [r for r in api_routes(app_client.app) if "audit" in r.path]  # type: ignore[arg-type]
    assert audit_routes, "the audit listing route exists"
    for route in audit_routes:
        assert route.methods <= {"GET", "HEAD"}, f"{route.path} allows {route.methods}"


def test_admin_lists_the_trail_of_a_traveller_and_of_a_user_newest_first(
    app_client: TestClient, session: Session
) -> None:
    world = build_world(app_client, session)
    app_client.get(f"/api/v1/travellers/{world.anna}", headers=auth(world.operator))
    trail = app_client.get(
        "/api/v1/audit", params={"traveller_id": world.anna}, headers=auth(world.admin)
    ).json()
    actions = [(e["username"], e["action"], e["purpose"]) for e in trail["items"]]
    assert actions[0] == ("world-operator", "read", "traveller card")
    assert ("world-operator", "create", "register traveller") in actions
    times = [e["at"] for e in trail["items"]]
    assert times == sorted(times, reverse=True)
    # Looking at someone's trail is itself recorded.
    again = app_client.get(
        "/api/v1/audit", params={"traveller_id": world.anna}, headers=auth(world.admin)
    ).json()
    assert again["items"][0]["purpose"] == "subject access request"

    users = app_client.get("/api/v1/users", headers=auth(world.admin)).json()["items"]
    operator_id = next(u["id"] for u in users if u["username"] == "world-operator")
    by_user = app_client.get(
        "/api/v1/audit", params={"user_id": operator_id}, headers=auth(world.admin)
    ).json()
    assert by_user["total"] > 0
    assert {e["username"] for e in by_user["items"]} == {"world-operator"}


@pytest.mark.parametrize("params", [{}, {"traveller_id": 1, "user_id": 1}])
def test_audit_listing_needs_exactly_one_subject(
    app_client: TestClient, session: Session, params: dict[str, int]
) -> None:
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW)
    response = app_client.get("/api/v1/audit", params=params, headers=auth(admin))
    assert response.status_code == 422
    assert response.json()["field"] == "traveller_id"


def test_principal_admin_reads_the_trail_of_their_own_travellers_only(
    app_client: TestClient, session: Session
) -> None:
    world = build_world(app_client, session)
    ostersund = token_for(
        session, Role.PRINCIPAL_ADMIN, now=NOW, username="ost-admin", principals=["2380"]
    )
    own = app_client.get(
        "/api/v1/audit", params={"traveller_id": world.anna}, headers=auth(ostersund)
    )
    assert own.status_code == 200
    other = app_client.get(
        "/api/v1/audit", params={"traveller_id": world.hidden}, headers=auth(ostersund)
    )
    assert other.status_code == 403
    assert (
        app_client.get(
            f"/api/v1/travellers/{world.hidden}/extract", headers=auth(ostersund)
        ).status_code
        == 403
    )


def test_registerutdrag_holds_everything_stored_and_is_itself_audited(
    app_client: TestClient, session: Session
) -> None:
    world = build_world(app_client, session)
    permit = {"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01"}
    app_client.post(
        f"/api/v1/travellers/{world.anna}/permits", json=permit, headers=auth(world.operator)
    )
    app_client.post(
        f"/api/v1/bookings/{world.anna_booking}/cancel",
        json={"reason": "feeling better"},
        headers=auth(world.operator),
    )
    response = app_client.get(f"/api/v1/travellers/{world.anna}/extract", headers=auth(world.admin))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["traveller"]["first_name"] == "Anna"
    assert data["traveller"]["personal_number"] == "19121212-1212"
    assert [p["kind"] for p in data["permits"]] == ["fardtjanst"]
    (booking,) = data["bookings"]
    assert booking["id"] == world.anna_booking
    assert booking["legs"][0]["origin_address"].startswith("Storgatan 1")
    assert [e["to_status"] for e in booking["events"]] == ["requested", "cancelled"]
    assert {e["username"] for e in data["audit_entries"]} >= {"world-operator"}
    assert data["produced_by"] == "world-admin"
    assert date.fromisoformat(data["produced_at"][:10]) == NOW.date()
    last = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.traveller_id == world.anna)
        .order_by(AuditEntry.id.desc())
    ).first()
    assert last is not None and (last.action, last.purpose) == ("export", "registerutdrag")
