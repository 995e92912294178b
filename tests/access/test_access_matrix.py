"""The authorization matrix, generated from the OpenAPI document: every operation x every
caller (one per role, scoped to region 22 and Sundsvall, plus a municipal desk of
Östersund), each called with ids, filters and bodies that point at region 23's records
(tests/access/scope_world.py).

Every operation must be classified in PROBES; an operation in the document without a
classification fails the test, so a new route cannot skip the check. For each cell:

* a role without the route's permission gets 403 naming the permission;
* `deny` cells (ids or bodies of records outside the caller's scope) answer 403, 404 or
  409 - a 2xx is a wrong grant, and a 422 means the probe's body never reached the scope
  check, which fails too;
* `filter` cells (lists and searches) may answer 200, but nothing of region 23's people,
  bookings, users or issuers may be in the body - a marker found is a leak;
* `open` cells are catalogues without personal data (principals, places, issuers).

No caller may see protected identities, so no cell of any caller, the system
administrator's included, may carry the protected person's name, number, street or phone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from access_world import MONDAY, PROTECTED, PROTECTED_SECRETS, sjukresa
from fastapi.testclient import TestClient
from scope_world import (
    ANNA_SECRETS,
    CARRIER_23,
    SIDE_22,
    ScopeWorld,
    aid_body,
    build_scope_world,
    certificate,
    deviation_body,
    morning_of_the_day,
    series_body,
)
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, token_for
from samfard.access.permissions import ROLE_PERMISSIONS, Permission, Role
from samfard.access.routes import api_routes
from samfard.clock import FixedClock

LACKS = "lacks the permission"
DENIED = {403, 404, 409}
PUBLIC = {("POST", "/api/v1/auth/token"), ("POST", "/api/v1/auth/session"), ("GET", "/health")}
# Logout is public and revokes the token it is sent with: calling it would end the caller.
NOT_CALLED = {
    ("POST", "/api/v1/auth/logout"): "public; revokes only the presented token",
    # Changes the caller's own password and revokes their other tokens: no one else's
    # record (tests/access/test_account_passwords.py).
    ("POST", "/api/v1/auth/password"): "the caller's own password; test_account_passwords.py",
    # A report job runs in a thread (SQLite) or a worker (PostgreSQL) outside the test's
    # rolled-back session; its scope (403 to another principal's analyst on start, status
    # and file) is probed with committed databases in tests/reports/test_report_job.py.
    ("POST", "/api/v1/reports/monthly/jobs"): "starts a job; scope in test_report_job.py",
    ("GET", "/api/v1/reports/monthly/jobs/{job_id}"): "a job's state; scope in test_report_job.py",
    ("GET", "/api/v1/reports/monthly/jobs/{job_id}/file"): "a job's file; test_report_job.py",
    # A simulation builds a database of its own and holds no person; who may start and
    # read one (plans:write, plans:read) is probed in tests/jobs/test_simulate_job.py.
    ("POST", "/api/v1/simulations"): "starts a job; test_simulate_job.py",
    ("GET", "/api/v1/simulations/{job_id}"): "a job's state; test_simulate_job.py",
}


@dataclass(frozen=True)
class Probe:
    """One request of a cell: what to send, and what a caller in scope of 22 may get."""

    expect: str  # deny | filter | open
    path: dict[str, Callable[[ScopeWorld], object]] = field(default_factory=dict)
    params: Callable[[ScopeWorld], dict[str, Any]] | None = None
    body: Callable[[TestClient, ScopeWorld], dict[str, Any]] | None = None


def ids(**values: Callable[[ScopeWorld], object]) -> dict[str, Callable[[ScopeWorld], object]]:
    return values


ANNA_ID = ids(traveller_id=lambda w: w.anna)
HIDDEN_ID = ids(traveller_id=lambda w: w.hidden)
ANNA_BOOKING = ids(booking_id=lambda w: w.anna_booking)
HIDDEN_BOOKING = ids(booking_id=lambda w: w.hidden_booking)
BOOKINGS_23 = (ANNA_BOOKING, HIDDEN_BOOKING, ids(booking_id=lambda w: w.anna_care_booking))
DAY = ids(day=lambda w: MONDAY)
PERMIT = {"kind": "fardtjanst", "valid_from": "2026-11-01"}


def trip(traveller: str, principal: str) -> Callable[[TestClient, ScopeWorld], dict[str, Any]]:
    return lambda c, w: sjukresa(c, w.desk, getattr(w, traveller), principal)


def every(paths: tuple[dict[str, Any], ...], expect: str, **extra: Any) -> list[Probe]:
    return [Probe(expect, path=p, **extra) for p in paths]


PROBES: dict[tuple[str, str], list[Probe]] = {
    ("POST", "/api/v1/users"): [
        Probe(
            "deny",
            body=lambda c, w: {
                "username": "probe-made",
                "password": STRONG_PASSWORD,
                "role": "operator",
                "principal_codes": ["23"],
            },
        )
    ],
    ("GET", "/api/v1/users"): [Probe("filter")],
    ("POST", "/api/v1/users/{user_id}/deactivate"): [
        Probe("deny", path=ids(user_id=lambda w: w.user_23))
    ],
    ("POST", "/api/v1/users/{user_id}/reactivate"): [
        Probe("deny", path=ids(user_id=lambda w: w.user_23))
    ],
    ("POST", "/api/v1/users/{user_id}/password"): [
        Probe(
            "deny",
            path=ids(user_id=lambda w: w.user_23),
            body=lambda c, w: {"password": STRONG_PASSWORD},
        )
    ],
    ("POST", "/api/v1/users/{user_id}/unlock"): [
        Probe("deny", path=ids(user_id=lambda w: w.user_23))
    ],
    ("GET", "/api/v1/audit"): [
        Probe("deny", params=lambda w: {"traveller_id": w.anna}),
        Probe("deny", params=lambda w: {"traveller_id": w.hidden}),
        Probe("deny", params=lambda w: {"user_id": w.user_23}),
    ],
    ("GET", "/api/v1/travellers/{traveller_id}/extract"): every((ANNA_ID, HIDDEN_ID), "deny"),
    ("GET", "/api/v1/principals"): [Probe("open")],
    ("GET", "/api/v1/places"): [Probe("open", params=lambda w: {"q": "sjukhus"})],
    ("GET", "/api/v1/places/{place_id}"): [Probe("open", path=ids(place_id=lambda w: 1))],
    ("GET", "/api/v1/lines"): [Probe("open")],
    ("GET", "/api/v1/lines/departures"): [
        Probe(
            "open",
            params=lambda w: {
                "principal": "RKM-22",
                "origin": "bredbyn",
                "destination": "ornskoldsvik",
                "date": "2026-11-23",
            },
        )
    ],
    ("POST", "/api/v1/travellers"): [
        Probe("deny", body=lambda c, w: {**ANNA, "first_name": "Annika"}),
        Probe("deny", body=lambda c, w: PROTECTED),
    ],
    ("GET", "/api/v1/travellers"): [
        Probe("filter", params=lambda w, q=q: {"q": q})  # type: ignore[misc]
        for q in ("Testsson", "Anna Testsson", "191212121212", "Hemlig", "19800101", "%%%")
    ],
    ("GET", "/api/v1/travellers/{traveller_id}"): every((ANNA_ID, HIDDEN_ID), "deny"),
    ("PATCH", "/api/v1/travellers/{traveller_id}"): every(
        (ANNA_ID, HIDDEN_ID), "deny", body=lambda c, w: {"version": 1, "phone": "070-100 00 00"}
    ),
    ("POST", "/api/v1/travellers/{traveller_id}/permits"): [
        Probe("deny", path=ANNA_ID, body=lambda c, w: {**PERMIT, "principal": "2281"}),
        Probe(
            "deny",
            path=ids(traveller_id=lambda w: w.bo),
            body=lambda c, w: {**PERMIT, "principal": "2380"},
        ),
    ],
    ("GET", "/api/v1/travellers/{traveller_id}/permits"): every((ANNA_ID, HIDDEN_ID), "deny"),
    ("POST", "/api/v1/travellers/{traveller_id}/certificates"): [
        Probe("deny", path=ANNA_ID, body=lambda c, w: certificate(w.issuer_22, "22")),
        Probe(
            "deny",
            path=ids(traveller_id=lambda w: w.bo),
            body=lambda c, w: certificate(w.issuer_23, "23"),
        ),
    ],
    ("GET", "/api/v1/travellers/{traveller_id}/certificates"): every((ANNA_ID, HIDDEN_ID), "deny"),
    ("POST", "/api/v1/issuers"): [
        Probe(
            "deny",
            body=lambda c, w: {
                "hsa_id": "SE2321000065-PRB",
                "name": "Probe",
                "unit": "Probe",
                "principal": "23",
            },
        )
    ],
    ("GET", "/api/v1/issuers"): [Probe("open")],
    ("POST", "/api/v1/bookings"): [
        Probe("deny", body=trip("anna", "22")),
        Probe("deny", body=trip("anna", "23")),
    ],
    ("GET", "/api/v1/bookings"): [
        Probe("filter"),
        Probe("filter", params=lambda w: {"principal": "23"}),
        Probe("filter", params=lambda w: {"traveller_id": w.anna}),
    ],
    ("GET", "/api/v1/bookings/{booking_id}"): every(BOOKINGS_23, "deny"),
    ("PATCH", "/api/v1/bookings/{booking_id}"): every(
        BOOKINGS_23, "deny", body=lambda c, w: {"version": 1, "message_to_driver": "probe"}
    ),
    ("POST", "/api/v1/bookings/{booking_id}/transitions"): every(
        BOOKINGS_23, "deny", body=lambda c, w: {"to": "cancelled", "reason": "probe"}
    ),
    ("POST", "/api/v1/bookings/{booking_id}/cancel"): every(
        BOOKINGS_23, "deny", body=lambda c, w: {"reason": "probe"}
    ),
    ("GET", "/api/v1/bookings/{booking_id}/events"): every(BOOKINGS_23, "deny"),
    ("POST", "/api/v1/series"): [
        Probe("deny", body=lambda c, w: series_body(c, w.desk, w.anna, "22")),
        Probe("deny", body=lambda c, w: series_body(c, w.desk, w.anna, "23")),
    ],
    ("GET", "/api/v1/series/{series_id}"): [
        Probe("deny", path=ids(series_id=lambda w: w.anna_series))
    ],
    ("POST", "/api/v1/series/{series_id}/cancel"): [
        Probe(
            "deny",
            path=ids(series_id=lambda w: w.anna_series),
            body=lambda c, w: {"from_date": "2026-11-30", "reason": "probe"},
        )
    ],
    ("POST", "/api/v1/goods"): [
        Probe("deny", body=lambda c, w: aid_body(c, w.desk, w.hidden, "23")),
        Probe("deny", body=lambda c, w: aid_body(c, w.desk, w.anna, "23")),
    ],
    ("GET", "/api/v1/goods"): [
        Probe("filter", params=lambda w: {"date": MONDAY.isoformat()}),
        Probe("deny", params=lambda w: {"date": MONDAY.isoformat(), "principal": "23"}),
    ],
    ("GET", "/api/v1/goods/{consignment_id}"): [
        Probe("deny", path=ids(consignment_id=lambda w: w.hidden_aid))
    ],
    ("POST", "/api/v1/goods/{consignment_id}/cancel"): [
        Probe(
            "deny",
            path=ids(consignment_id=lambda w: w.hidden_aid),
            body=lambda c, w: {"reason": "probe"},
        )
    ],
    ("GET", "/api/v1/plans/{day}"): [Probe("filter", path=DAY)],
    ("POST", "/api/v1/plans/{day}"): [Probe("deny", path=DAY, params=lambda w: {"time_limit": 1})],
    ("GET", "/api/v1/alerts"): [Probe("filter", params=lambda w: {"day": MONDAY.isoformat()})],
    ("POST", "/api/v1/alerts/{alert_id}/acknowledge"): [
        Probe("deny", path=ids(alert_id=lambda w: 999_999))
    ],
    ("GET", "/api/v1/offers"): [Probe("filter", params=lambda w: {"day": MONDAY.isoformat()})],
    ("POST", "/api/v1/offers/{day}"): [Probe("deny", path=DAY)],
    ("POST", "/api/v1/offers/{offer_id}/accept"): [
        Probe("deny", path=ids(offer_id=lambda w: 999_999))
    ],
    ("POST", "/api/v1/offers/{offer_id}/decline"): [
        Probe("deny", path=ids(offer_id=lambda w: 999_999), body=lambda c, w: {"reason": "probe"})
    ],
    ("POST", "/api/v1/offers/{day}/deadlines"): [Probe("deny", path=DAY)],
    ("POST", "/api/v1/plans/{day}/replan-live"): [Probe("deny", path=DAY)],
    ("GET", "/api/v1/runs/{run_id}/manifest"): [
        Probe("deny", path=ids(run_id=lambda w, k=k: w.runs[k]))  # type: ignore[misc]
        for k in ("shared", "hidden")
    ],
    ("GET", "/api/v1/driver/run"): [Probe("filter")],
    ("POST", "/api/v1/driver/events"): [
        Probe(
            "deny",
            body=lambda c, w, k=k: {  # type: ignore[misc]
                "client_event_id": f"probe-{k}-0001",
                "run_id": w.runs[k],
                "kind": "position",
                "at": "2026-11-30T08:00:00+01:00",
                "lat": 63.0,
                "lon": 14.0,
            },
        )
        for k in ("shared", "hidden")
    ],
    ("POST", "/api/v1/assessments"): [
        Probe("deny", body=trip("anna", "22")),
        Probe("deny", body=trip("anna", "23")),
    ],
    ("GET", "/api/v1/assessments/queue"): [
        Probe("filter"),
        Probe("deny", params=lambda w: {"principal": "23"}),
    ],
    ("POST", "/api/v1/bookings/{booking_id}/assessment"): every(
        BOOKINGS_23, "deny", body=lambda c, w: {"action": "approve", "reason": "probe"}
    ),
    ("POST", "/api/v1/bookings/{booking_id}/series-assessment"): every(
        BOOKINGS_23,
        "deny",
        body=lambda c, w: {
            "action": "approve",
            "reason": "probe",
            "trips": [{"id": w.anna_booking, "version": 0}],
        },
    ),
    ("GET", "/api/v1/bookings/{booking_id}/decision-letter"): every(BOOKINGS_23, "deny"),
    ("GET", "/api/v1/fee-ledger/{traveller_id}"): [
        Probe("deny", path=p, params=lambda w, r=r: {"principal": r})  # type: ignore[misc]
        for p in (ANNA_ID, HIDDEN_ID)
        for r in ("22", "23")
    ],
    ("GET", "/api/v1/reports/certificates"): [Probe("filter")],
    ("GET", "/api/v1/course"): [
        Probe("open"),
        Probe("deny", params=lambda w: {"principal": "23"}),
    ],
    ("POST", "/api/v1/course/attempts"): [Probe("deny", body=lambda c, w: {"principal": "23"})],
    ("POST", "/api/v1/course/attempts/{attempt_id}/answers"): [
        Probe("deny", path=ids(attempt_id=lambda w: 999_999), body=lambda c, w: {"answers": {}})
    ],
    ("GET", "/api/v1/course/expiring"): [Probe("filter")],
    ("POST", "/api/v1/care/certificates"): [
        Probe(
            "deny",
            body=lambda c, w: {
                "traveller_id": w.anna,
                "mode": "taxi",
                "valid_from": "2026-11-20",
                "valid_until": "2026-11-30",
                "reason": "probe",
            },
        )
    ],
    ("GET", "/api/v1/care/certificates"): [Probe("filter")],
    ("POST", "/api/v1/care/certificates/{certificate_id}/revocation"): [
        Probe(
            "deny",
            path=ids(certificate_id=lambda w: w.anna_certificate),
            body=lambda c, w: {"reason": "probe"},
        )
    ],
    ("GET", "/api/v1/reports/care-units"): [Probe("filter")],
    ("GET", "/api/v1/reports/monthly"): [
        Probe("deny", params=lambda w, f=f: {"principal": "23", "month": "2026-10", "format": f})  # type: ignore[misc]
        for f in ("html", "csv")
    ],
    ("GET", "/api/v1/reports/invoice-basis"): [
        Probe("deny", params=lambda w, m=m: {"carrier": CARRIER_23, "month": m})  # type: ignore[misc]
        for m in ("2026-08", "2026-09", "2026-10")
    ],
    ("GET", "/api/v1/reports/cost-statement"): [
        Probe("deny", params=lambda w: {"principal": "23", "month": "2026-10"})
    ],
    ("GET", "/api/v1/reports/targets"): [
        Probe("deny", params=lambda w: {"principal": "23", "year": 2026})
    ],
    ("PUT", "/api/v1/reports/targets"): [
        Probe(
            "deny",
            body=lambda c, w: {
                "principal": "23",
                "year": 2026,
                "kpi": "cost_per_trip",
                "value": "350",
            },
        )
    ],
    ("POST", "/api/v1/deviations"): [
        Probe("deny", body=lambda c, w: deviation_body(w.anna_booking)),
        Probe("deny", body=lambda c, w: deviation_body(w.hidden_booking)),
    ],
    ("GET", "/api/v1/deviations"): [
        Probe("filter"),
        Probe("filter", params=lambda w: {"principal": "23"}),
        Probe("filter", params=lambda w: {"booking_id": w.anna_booking}),
    ],
    ("GET", "/api/v1/deviations/{deviation_id}"): [
        Probe("deny", path=ids(deviation_id=lambda w: w.anna_deviation))
    ],
    ("POST", "/api/v1/deviations/{deviation_id}/steps"): [
        Probe(
            "deny",
            path=ids(deviation_id=lambda w: w.anna_deviation),
            body=lambda c, w: {"action": "comment", "note": "probe"},
        )
    ],
    ("PUT", "/api/v1/reports/comments"): [
        Probe(
            "deny",
            body=lambda c, w: {
                "principal": "23",
                "month": "2026-11",
                "kpi": "punctuality",
                "comment": "probe",
            },
        )
    ],
}

# The callers: every role, scoped to the other side of the world.
CALLERS: dict[str, tuple[Role, list[str], dict[str, Any]]] = {
    "principal_admin-22": (Role.PRINCIPAL_ADMIN, SIDE_22, {}),
    "operator-22": (Role.OPERATOR, SIDE_22, {}),
    "operator-2380": (Role.OPERATOR, ["2380"], {}),
    "assessor-22": (Role.ASSESSOR, SIDE_22, {}),
    "care_issuer-22": (Role.CARE_ISSUER, ["22"], {"care_unit": "Sundsvalls sjukhus"}),
    "carrier_dispatcher-2": (Role.CARRIER_DISPATCHER, [], {"carrier_id": 2}),
    "driver-2": (Role.DRIVER, [], {"carrier_id": 2}),  # vehicle_id set from the world
    "analyst-22": (Role.ANALYST, SIDE_22, {}),
    "traveller-bo": (Role.TRAVELLER, [], {}),  # traveller_id set from the world
    "system_admin": (Role.SYSTEM_ADMIN, ["*"], {}),  # in scope of all: checked for leaks only
}


@dataclass
class Tally:
    cells: int = 0
    refused_by_permission: int = 0
    denied_by_scope: int = 0
    filtered: int = 0
    wrong_grants: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


def document_operations(client: TestClient) -> set[tuple[str, str]]:
    document = client.get("/api/v1/openapi.json").json()
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


def permissions(client: TestClient) -> dict[tuple[str, str], Permission | None]:
    return {
        (method, route.path): route.permission
        for route in api_routes(client.app)  # type: ignore[arg-type]
        for method in route.methods
    }


def test_every_operation_in_the_document_is_classified(app_client: TestClient) -> None:
    operations = document_operations(app_client)
    assert len(operations) > 40
    unclassified = operations - set(PROBES) - PUBLIC - set(NOT_CALLED)
    assert not unclassified, f"classify these operations in PROBES: {sorted(unclassified)}"
    assert not set(PROBES) - operations, "PROBES names operations that no longer exist"


def _token(session: Session, world: ScopeWorld, name: str) -> str:
    role, principals, scope = CALLERS[name]
    extra = dict(scope)
    if role is Role.DRIVER:
        extra["vehicle_id"] = world.vehicles["bo"]
    if role is Role.TRAVELLER:
        extra["traveller_id"] = world.bo
    return token_for(
        session, role, now=NOW, username=f"probe-{name}", principals=principals, **extra
    )


def _call(client: TestClient, world: ScopeWorld, key: tuple[str, str], probe: Probe, token: str):  # type: ignore[no-untyped-def]
    method, path = key
    url = path
    for name, value in probe.path.items():
        url = url.replace("{" + name + "}", str(value(world)))
    params = probe.params(world) if probe.params else None
    body = probe.body(client, world) if probe.body else None
    if body is None and method in {"POST", "PATCH"}:
        body = {}
    return client.request(method, url, params=params, json=body, headers=auth(token))


def _markers(world: ScopeWorld) -> tuple[str, ...]:
    return ANNA_SECRETS + world.anna_references + ("scope-op-23", "SE2321000065-S23")


def run_matrix(client: TestClient, session: Session, world: ScopeWorld, clock: FixedClock) -> Tally:
    tally = Tally()
    granted = permissions(client)
    clock.current = morning_of_the_day()  # the driver's "today" is the world's service day
    markers = _markers(world)
    for name, (role, _, _) in CALLERS.items():
        token = _token(session, world, name)
        for key, probes in PROBES.items():
            permission = granted[key]
            for probe in probes:
                response = _call(client, world, key, probe, token)
                tally.cells += 1
                where = f"{name} {key[0]} {key[1]} {probe.path and 'ids'} -> {response.status_code}"
                text = response.text
                if any(secret in text for secret in PROTECTED_SECRETS):
                    tally.leaks.append(f"protected identity: {where}")
                if response.status_code >= 500:
                    tally.other.append(f"server error: {where}")
                    continue
                if permission not in ROLE_PERMISSIONS[role]:
                    if response.status_code == 403 and LACKS in text:
                        tally.refused_by_permission += 1
                    else:
                        tally.wrong_grants.append(f"permission: {where}: {text[:160]}")
                    continue
                if role is Role.SYSTEM_ADMIN:
                    continue  # every principal is in scope: only the leak check applies
                if probe.expect == "deny":
                    if response.status_code in DENIED:
                        tally.denied_by_scope += 1
                    elif response.status_code < 300:
                        tally.wrong_grants.append(f"{where}: {text[:160]}")
                    else:
                        tally.other.append(f"did not reach the scope check: {where}: {text[:160]}")
                elif probe.expect == "filter" and response.status_code < 300:
                    found = [m for m in markers if m in text]
                    if found:
                        tally.leaks.append(f"{where}: {found}")
                    tally.filtered += 1
    return tally


def test_no_caller_reads_or_changes_anything_outside_their_scope(
    app_client: TestClient, session: Session, clock: FixedClock
) -> None:
    world = build_scope_world(app_client, session)
    tally = run_matrix(app_client, session, world, clock)
    print(
        f"\nauthorization matrix: {tally.cells} cells, {tally.refused_by_permission} refused "
        f"by permission, {tally.denied_by_scope} denied by scope, {tally.filtered} filtered "
        f"lists, {len(tally.wrong_grants)} wrong grants, {len(tally.leaks)} leaks"
    )
    assert tally.wrong_grants == []
    assert tally.leaks == []
    assert tally.other == [], "\n".join(tally.other)
    operations = sum(len(p) for p in PROBES.values())
    assert tally.cells == len(CALLERS) * operations
    assert tally.refused_by_permission > 0 and tally.denied_by_scope > 0 and tally.filtered > 0
