"""The audit trail: every operation of the OpenAPI document that returns or changes a
traveller's data leaves an entry naming the traveller; a failed transaction leaves none;
the trail is listed per traveller and per user, and no route can change or delete it. The
registerutdrag contains everything and is itself audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from access_world import CARE_UNIT, MONDAY, book, build_world, sjukresa
from fastapi.testclient import TestClient
from scope_world import (
    ScopeWorld,
    aid_body,
    build_scope_world,
    certificate,
    deviation_body,
    series_body,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, token_for
from samfard.access import audit, users
from samfard.access.actor import SYSTEM, Actor
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.access.routes import api_routes
from samfard.access.schemas import UserChange
from samfard.access.service import create_user, issue_token
from samfard.course.service import start_attempt, submit_attempt
from samfard.db import transaction


def entries_for(session: Session, traveller_id: int) -> int:
    statement = select(func.count(AuditEntry.id)).where(AuditEntry.traveller_id == traveller_id)
    return session.scalar(statement) or 0


Request = tuple[str, dict[str, Any] | None, dict[str, Any] | None]  # url, params, body
Call = Callable[[TestClient, ScopeWorld], list[Request]]


def _fresh_booking(client: TestClient, world: ScopeWorld) -> int:
    """Each write gets a booking of its own, so it finds one in a state it accepts."""
    return book(client, world.desk, world.anna, "23")


def _fresh_aid(client: TestClient, world: ScopeWorld) -> int:
    """An aid (hjälpmedel) to Anna's home: a consignment that names a traveller."""
    created = client.post(
        "/api/v1/goods",
        json=aid_body(client, world.desk, world.anna, "23"),
        headers=auth(world.desk),
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _version(client: TestClient, world: ScopeWorld, url: str) -> int:
    return int(client.get(url, headers=auth(world.admin)).json()["version"])


def _one(url: str, params: dict[str, Any] | None = None, body: Any = None) -> Call:
    return lambda c, w: [
        (
            url.format(**w.__dict__, day=MONDAY, run=w.runs["shared"]),
            params and {k: v(w) if callable(v) else v for k, v in params.items()},
            body(c, w) if callable(body) else body,
        )
    ]


def _user_id(client: TestClient, world: ScopeWorld, username: str) -> int:
    users = client.get("/api/v1/users", headers=auth(world.admin)).json()["items"]
    return int(next(u["id"] for u in users if u["username"] == username))


def _patch_traveller(client: TestClient, world: ScopeWorld) -> list[Request]:
    url = f"/api/v1/travellers/{world.anna}"
    return [(url, None, {"version": _version(client, world, url), "phone": "070-1112233"})]


def _patch_booking(client: TestClient, world: ScopeWorld) -> list[Request]:
    url = f"/api/v1/bookings/{_fresh_booking(client, world)}"
    return [(url, None, {"version": _version(client, world, url), "message_to_driver": "Kod 12"})]


def _fresh(path: str, body: dict[str, Any]) -> Call:
    return lambda c, w: [(path.format(booking_id=_fresh_booking(c, w)), None, body)]


def _series_decision(client: TestClient, world: ScopeWorld) -> list[Request]:
    """A series of its own, two weeks on, whose waiting trips are approved together."""
    body = series_body(client, world.desk, world.anna, "23")
    made = client.post(
        "/api/v1/series",
        json=body | {"start_date": "2026-12-14", "end_date": "2026-12-23"},
        headers=auth(world.desk),
    )
    assert made.status_code == 201, made.text
    ids = made.json()["booking_ids"]
    trips = [{"id": i, "version": _version(client, world, f"/api/v1/bookings/{i}")} for i in ids]
    decision = {"action": "approve", "reason": "test", "trips": trips}
    return [(f"/api/v1/bookings/{ids[0]}/series-assessment", None, decision)]


# Every operation of the OpenAPI document, classified. Operations that return or change a
# traveller's personal data map to the requests that exercise them (as the system
# administrator, on tests/access/scope_world.py); the others say why they hold none. An
# operation missing here fails the walk, so a new route is classified before it ships.
PERSONAL: dict[tuple[str, str], Call] = {
    ("GET", "/api/v1/audit"): lambda c, w: [
        ("/api/v1/audit", {"traveller_id": w.anna}, None),
        ("/api/v1/audit", {"user_id": _user_id(c, w, "scope-desk")}, None),
    ],
    ("GET", "/api/v1/travellers/{traveller_id}/extract"): _one("/api/v1/travellers/{anna}/extract"),
    ("POST", "/api/v1/travellers"): _one(
        "/api/v1/travellers", body={**ANNA, "personal_number": "19610202-4566"}
    ),
    ("GET", "/api/v1/travellers"): _one("/api/v1/travellers", {"q": "Testsson"}),
    ("GET", "/api/v1/travellers/{traveller_id}"): _one("/api/v1/travellers/{anna}"),
    ("PATCH", "/api/v1/travellers/{traveller_id}"): _patch_traveller,
    ("POST", "/api/v1/travellers/{traveller_id}/permits"): _one(
        "/api/v1/travellers/{anna}/permits",
        body={"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01"},
    ),
    ("GET", "/api/v1/travellers/{traveller_id}/permits"): _one("/api/v1/travellers/{anna}/permits"),
    ("POST", "/api/v1/travellers/{traveller_id}/certificates"): _one(
        "/api/v1/travellers/{anna}/certificates",
        body=lambda c, w: certificate(w.issuer_23, "23"),
    ),
    ("GET", "/api/v1/travellers/{traveller_id}/certificates"): _one(
        "/api/v1/travellers/{anna}/certificates"
    ),
    ("POST", "/api/v1/bookings"): _one(
        "/api/v1/bookings", body=lambda c, w: sjukresa(c, w.desk, w.anna, "23")
    ),
    ("GET", "/api/v1/bookings"): _one("/api/v1/bookings", {"principal": "23"}),
    ("GET", "/api/v1/bookings/{booking_id}"): _one("/api/v1/bookings/{anna_booking}"),
    ("PATCH", "/api/v1/bookings/{booking_id}"): _patch_booking,
    ("POST", "/api/v1/bookings/{booking_id}/transitions"): _fresh(
        "/api/v1/bookings/{booking_id}/transitions", {"to": "cancelled", "reason": "test"}
    ),
    ("POST", "/api/v1/bookings/{booking_id}/cancel"): _fresh(
        "/api/v1/bookings/{booking_id}/cancel", {"reason": "no longer needed"}
    ),
    ("GET", "/api/v1/bookings/{booking_id}/events"): _one("/api/v1/bookings/{anna_booking}/events"),
    ("POST", "/api/v1/series"): _one(
        "/api/v1/series", body=lambda c, w: series_body(c, w.desk, w.anna, "23")
    ),
    ("GET", "/api/v1/series/{series_id}"): _one("/api/v1/series/{anna_series}"),
    ("POST", "/api/v1/series/{series_id}/cancel"): _one(
        "/api/v1/series/{anna_series}/cancel",
        body={"from_date": "2026-12-07", "reason": "treatment ended"},
    ),
    ("GET", "/api/v1/plans/{day}"): _one("/api/v1/plans/{day}"),
    ("GET", "/api/v1/runs/{run_id}/manifest"): _one("/api/v1/runs/{run}/manifest"),
    ("POST", "/api/v1/assessments"): _one(
        "/api/v1/assessments", body=lambda c, w: sjukresa(c, w.desk, w.anna, "23")
    ),
    ("GET", "/api/v1/assessments/queue"): _one("/api/v1/assessments/queue"),
    ("POST", "/api/v1/bookings/{booking_id}/assessment"): _fresh(
        "/api/v1/bookings/{booking_id}/assessment", {"action": "approve", "reason": "test"}
    ),
    ("POST", "/api/v1/bookings/{booking_id}/series-assessment"): _series_decision,
    ("GET", "/api/v1/bookings/{booking_id}/decision-letter"): _one(
        "/api/v1/bookings/{anna_booking}/decision-letter"
    ),
    ("GET", "/api/v1/fee-ledger/{traveller_id}"): _one(
        "/api/v1/fee-ledger/{anna}", {"principal": "23"}
    ),
    ("GET", "/api/v1/care/certificates"): _one("/api/v1/care/certificates", {"unit": CARE_UNIT}),
    ("POST", "/api/v1/care/certificates"): _one(
        "/api/v1/care/certificates",
        body=lambda c, w: {
            "traveller_id": w.anna,
            "mode": "taxi",
            "valid_from": NOW.date().isoformat(),
            "valid_until": "2026-12-31",
            "reason": "audit walk",
        },
    ),
    ("POST", "/api/v1/care/certificates/{certificate_id}/revocation"): _one(
        "/api/v1/care/certificates/{anna_certificate}/revocation", body={"reason": "audit walk"}
    ),
    ("POST", "/api/v1/deviations"): _one(
        "/api/v1/deviations", body=lambda c, w: deviation_body(w.anna_booking)
    ),
    ("GET", "/api/v1/deviations"): _one("/api/v1/deviations", {"principal": "23"}),
    ("GET", "/api/v1/deviations/{deviation_id}"): _one("/api/v1/deviations/{anna_deviation}"),
    ("POST", "/api/v1/goods"): _one(
        "/api/v1/goods", body=lambda c, w: aid_body(c, w.desk, w.anna, "23")
    ),
    ("GET", "/api/v1/goods"): _one(
        "/api/v1/goods", {"date": MONDAY.isoformat(), "principal": "23"}
    ),
    ("GET", "/api/v1/goods/{consignment_id}"): lambda c, w: [
        (f"/api/v1/goods/{_fresh_aid(c, w)}", None, None)
    ],
    ("POST", "/api/v1/goods/{consignment_id}/cancel"): lambda c, w: [
        (f"/api/v1/goods/{_fresh_aid(c, w)}/cancel", None, {"reason": "audit walk"})
    ],
    ("POST", "/api/v1/deviations/{deviation_id}/steps"): _one(
        "/api/v1/deviations/{anna_deviation}/steps", body={"action": "comment", "note": "test"}
    ),
}
# Operations a system administrator cannot call: issuing needs a certified issuer of a care
# unit, so the walk calls it as one (made by _certified_nurse).
AS_NURSE = {("POST", "/api/v1/care/certificates")}
NO_PERSONAL_DATA: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/auth/token"): "login",
    ("POST", "/api/v1/auth/session"): "login",
    ("POST", "/api/v1/auth/logout"): "logout",
    ("GET", "/health"): "health",
    ("GET", "/api/v1/reports/targets"): "a principal's KPI targets (no person)",
    ("PUT", "/api/v1/reports/targets"): "sets a KPI target (no person)",
    ("PUT", "/api/v1/reports/comments"): "sets a month's KPI comment (no person)",
    ("POST", "/api/v1/users"): "staff accounts, not travellers",
    ("GET", "/api/v1/users"): "staff accounts, not travellers",
    ("POST", "/api/v1/users/{user_id}/deactivate"): "staff accounts, not travellers",
    ("POST", "/api/v1/users/{user_id}/reactivate"): "staff accounts, not travellers",
    ("POST", "/api/v1/users/{user_id}/password"): "staff accounts, not travellers",
    ("POST", "/api/v1/users/{user_id}/unlock"): "staff accounts, not travellers",
    ("POST", "/api/v1/auth/password"): "the caller's own password (no person's record)",
    ("GET", "/api/v1/principals"): "catalogue of principals",
    ("GET", "/api/v1/places"): "gazetteer of public places",
    ("GET", "/api/v1/places/{place_id}"): "gazetteer of public places",
    ("GET", "/api/v1/lines"): "published timetable of booked lines",
    ("GET", "/api/v1/lines/departures"): "published timetable of booked lines",
    ("POST", "/api/v1/issuers"): "register of care staff (issuers), not travellers",
    ("GET", "/api/v1/issuers"): "register of care staff (issuers), not travellers",
    ("POST", "/api/v1/plans/{day}"): (
        "answers with counts and booking ids; the bookings' moves are lifecycle events"
    ),
    ("GET", "/api/v1/alerts"): "controller alerts name bookings by id, never a person",
    ("POST", "/api/v1/alerts/{alert_id}/acknowledge"): "an alert (no person)",
    ("GET", "/api/v1/offers"): "run offers: vehicle, times and counts, no person",
    ("POST", "/api/v1/offers/{day}"): "run offers: vehicle, times and counts, no person",
    ("POST", "/api/v1/offers/{offer_id}/accept"): (
        "an offer; the bookings' moves are lifecycle events"
    ),
    ("POST", "/api/v1/offers/{offer_id}/decline"): (
        "an offer and re-plan counts; the bookings' moves are lifecycle events"
    ),
    ("POST", "/api/v1/offers/{day}/deadlines"): "a count of alerts",
    ("POST", "/api/v1/plans/{day}/replan-live"): (
        "counts and request ids; the bookings' moves are lifecycle events"
    ),
    ("POST", "/api/v1/simulations"): "a simulated day on a database of its own (figures)",
    ("GET", "/api/v1/simulations/{job_id}"): "a simulation's progress and figures",
    ("GET", "/api/v1/reports/certificates"): "counts per issuer and unit",
    ("GET", "/api/v1/reports/monthly"): "aggregates per principal",
    ("POST", "/api/v1/reports/monthly/jobs"): "starts the monthly report (aggregates)",
    ("GET", "/api/v1/reports/monthly/jobs/{job_id}"): "a report job's progress",
    ("GET", "/api/v1/reports/monthly/jobs/{job_id}/file"): "the monthly report (aggregates)",
    ("GET", "/api/v1/reports/invoice-basis"): "one line per run: costs, no person",
    ("GET", "/api/v1/reports/cost-statement"): "one line per trip key: costs, no person",
    ("GET", "/api/v1/course"): "the course's lessons, written from the rulebook",
    ("POST", "/api/v1/course/attempts"): "a staff member's quiz (audited as course_attempt)",
    ("POST", "/api/v1/course/attempts/{attempt_id}/answers"): (
        "a staff member's answers (audited as course_attempt)"
    ),
    ("GET", "/api/v1/course/expiring"): "register of care staff (issuers), not travellers",
    ("GET", "/api/v1/reports/care-units"): "counts and costs per care unit and month",
    # Personal, and audited, but only a driver (whose vehicle drives the run) gets a 2xx, and
    # this walker calls as an administrator: tests/dispatch/test_driver_events.py checks
    # their audit entries with the driver's own token.
    ("GET", "/api/v1/driver/run"): "the driver's manifest, audited (see above)",
    ("POST", "/api/v1/driver/events"): "a report on a booking, audited (see above)",
}


def _certified_nurse(session: Session) -> str:
    """A care issuer of the 23 unit who passed the course (through the course services)."""
    nurse = create_user(session=session, username="audit-nurse", password=STRONG_PASSWORD,
                        role=Role.CARE_ISSUER, now=NOW, principal_codes=["23"],
                        care_unit=CARE_UNIT)  # fmt: skip
    actor = Actor(user_id=nurse.id, username=nurse.username, role=Role.CARE_ISSUER,
                  principal_codes=frozenset({"23"}), care_unit=CARE_UNIT)  # fmt: skip
    attempt, course = start_attempt(session=session, actor=actor, now=NOW, seed=1)
    right = {q: found.answer for q in attempt.question_ids if (found := course.question(q))}
    submit_attempt(session=session, actor=actor, now=NOW, attempt_id=attempt.id, answers=right)
    return issue_token(session=session, user=nurse, kind="bearer", now=NOW)


def test_every_operation_returning_personal_data_writes_an_audit_entry(
    app_client: TestClient, session: Session
) -> None:
    """Walks the OpenAPI document: each operation is classified, and each one that returns
    or changes a traveller's data leaves an entry with the caller and the request id."""
    document = app_client.get("/api/v1/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert not set(PERSONAL) & set(NO_PERSONAL_DATA)
    unclassified = operations - set(PERSONAL) - set(NO_PERSONAL_DATA)
    assert not unclassified, f"classify in PERSONAL or NO_PERSONAL_DATA: {sorted(unclassified)}"
    assert not (set(PERSONAL) | set(NO_PERSONAL_DATA)) - operations, "stale classification"
    world = build_scope_world(app_client, session)
    nurse = _certified_nurse(session)
    covered = []
    for (method, path), call in sorted(PERSONAL.items()):
        caller, name = (
            (nurse, "audit-nurse") if (method, path) in AS_NURSE else (world.admin, "scope-admin")
        )
        for url, params, body in call(app_client, world):
            before = session.scalar(select(func.max(AuditEntry.id))) or 0
            # A caller's own request id (here one too long for the column) is not taken.
            headers = auth(caller) | {"X-Request-Id": "someone-elses-request-" + "x" * 80}
            response = app_client.request(method, url, params=params, json=body, headers=headers)
            assert response.status_code < 300, f"{method} {url}: {response.text}"
            new = session.scalars(select(AuditEntry).where(AuditEntry.id > before)).all()
            assert new, f"{method} {path} returned personal data without an audit entry"
            assert all(e.username == name for e in new)
            assert all(e.request_id == response.headers["X-Request-Id"] for e in new)
            assert not response.headers["X-Request-Id"].startswith("someone-elses-request")
            assert any(e.traveller_id is not None for e in new), f"{method} {path}"
        covered.append((method, path))
    print(f"\naudit coverage: {len(covered)} of {len(PERSONAL)} personal-data operations audited")
    assert len(covered) == len(PERSONAL)


def test_a_failed_transaction_leaves_no_audit_entry(
    app_client: TestClient, session: Session
) -> None:
    world = build_world(app_client, session)
    before = entries_for(session, world.anna)
    stale = app_client.patch(
        f"/api/v1/travellers/{world.anna}",
        json={"version": 99, "phone": "070-111 11 11"},
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
    """Their travellers are those in the register of their principals: Anna (Östersund)
    becomes one when Östersund grants her a färdtjänst permit, not by living there."""
    world = build_world(app_client, session)
    ostersund = token_for(
        session, Role.PRINCIPAL_ADMIN, now=NOW, username="ost-admin", principals=["2380"]
    )
    trail = {"traveller_id": world.anna}
    assert app_client.get("/api/v1/audit", params=trail, headers=auth(ostersund)).status_code == 404
    permit = {"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01"}
    granted = app_client.post(
        f"/api/v1/travellers/{world.anna}/permits", json=permit, headers=auth(world.operator)
    )
    assert granted.status_code == 201
    own = app_client.get("/api/v1/audit", params=trail, headers=auth(ostersund))
    assert own.status_code == 200
    other = app_client.get(
        "/api/v1/audit", params={"traveller_id": world.hidden}, headers=auth(ostersund)
    )
    assert other.status_code == 404
    extract = app_client.get(f"/api/v1/travellers/{world.hidden}/extract", headers=auth(ostersund))
    assert extract.status_code == 404


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
    assert booking["legs"][0]["origin_address"].startswith("Skogsvägen 1")
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


def test_creating_an_account_and_changing_its_role_are_in_the_audit_trail(
    app_client: TestClient, session: Session
) -> None:
    """Found by the security probe of 2026-12-06: only deactivating and reactivating an
    account were recorded, so an administrator could give an account the right to see
    protected identities, or link a traveller's account to a person, and leave no trace."""
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="root", may_see_protected=True)
    operator = token_for(session, Role.OPERATOR, now=NOW)
    anna = app_client.post("/api/v1/travellers", json=ANNA, headers=auth(operator)).json()["id"]
    body = {"username": "skugga", "password": STRONG_PASSWORD, "role": "operator",
            "principal_codes": ["*"], "may_see_protected": True}  # fmt: skip
    created = app_client.post("/api/v1/users", json=body, headers=auth(admin))
    assert created.status_code == 201, created.text
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.record_type == "user", AuditEntry.action == "create")
    ).one()
    assert (entry.username, entry.record_id) == ("root", str(created.json()["id"]))
    assert "may see protected identities" in entry.purpose
    users.change(
        session=session,
        actor=SYSTEM,
        user_id=created.json()["id"],
        data=UserChange(role=Role.TRAVELLER, traveller_id=anna),
    )
    changed = session.scalars(
        select(AuditEntry).where(AuditEntry.record_type == "user", AuditEntry.action == "change")
    ).one()
    assert (changed.username, changed.traveller_id) == ("system", anna)  # in the person's trail
    assert "role operator" in changed.purpose and f"traveller_id {anna}" in changed.purpose
