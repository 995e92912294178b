"""One test per finding of the black-box probe (issue 10: authorization, protected identity,
audit). Each failed on the code the probe ran against; the scope rules they check are in
docs/security.md ("The register", "Day plans and manifests", "Threat model")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from access_world import CARE_UNIT, MONDAY, PROTECTED, PROTECTED_SECRETS
from fastapi.testclient import TestClient
from httpx import Response
from scope_world import (
    ANNA_SECRETS,
    CARRIER_22,
    CARRIER_23,
    OTHER_UNIT,
    SIDE_22,
    ScopeWorld,
    build_scope_world,
    certificate,
    morning_of_the_day,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, login_form, token_for
from samfard.access import users
from samfard.access.actor import SYSTEM
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.access.schemas import UserChange
from samfard.access.service import create_user
from samfard.clock import FixedClock
from samfard.costs.models import Carrier, SettledRun, SettledTrip
from samfard.dispatch.models import Vehicle
from samfard.errors import InputError

pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def world(module_client: TestClient, module_session: Session) -> ScopeWorld:
    """Built once per database through the API; each test runs in a savepoint of it."""
    built = build_scope_world(module_client, module_session)
    module_session.commit()
    return built


def staff(session: Session, role: Role, name: str, principals: list[str], **scope: object) -> str:
    return token_for(session, role, now=NOW, username=name, principals=principals, **scope)


def leaked(text: str, secrets: tuple[str, ...] = ANNA_SECRETS) -> list[str]:
    return [s for s in secrets if s in text]


# --- Authorization: the traveller register ------------------------------------------------


def test_a_municipal_operator_cannot_read_a_region_sjukresa_traveller_living_there(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    """Anna lives in Östersund (2380) but only region 23 has dealt with her."""
    ostersund = staff(session, Role.OPERATOR, "op-2380", ["2380"])
    for url in (
        f"/api/v1/travellers/{world.anna}",
        f"/api/v1/travellers/{world.anna}/permits",
        f"/api/v1/travellers/{world.anna}/certificates",
    ):
        response = app_client.get(url, headers=auth(ostersund))
        assert response.status_code == 404, url
        assert leaked(response.text) == []
    for q in ("Testsson", "Anna", "191212121212"):
        found = app_client.get("/api/v1/travellers", params={"q": q}, headers=auth(ostersund))
        assert found.status_code == 200 and found.json()["total"] == 0, q


def test_an_operator_of_22_neither_updates_nor_grants_permits_outside_the_register(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    sundsvall = staff(session, Role.OPERATOR, "op-22", SIDE_22)
    version = app_client.get(f"/api/v1/travellers/{world.anna}", headers=auth(world.desk))
    patch = app_client.patch(
        f"/api/v1/travellers/{world.anna}",
        json={"version": version.json()["version"], "phone": "070-0000000"},
        headers=auth(sundsvall),
    )
    assert patch.status_code == 404
    permit = {"kind": "fardtjanst", "principal": "2281", "valid_from": "2026-11-01"}
    outside = app_client.post(
        f"/api/v1/travellers/{world.anna}/permits", json=permit, headers=auth(sundsvall)
    )
    assert outside.status_code == 404
    # Bo is in the register of 22, but a permit of Östersund (2380) is not 22's to give.
    foreign = {**permit, "principal": "2380"}
    given = app_client.post(
        f"/api/v1/travellers/{world.bo}/permits", json=foreign, headers=auth(sundsvall)
    )
    assert given.status_code == 403 and given.json()["field"] == "principal"
    own = app_client.post(
        f"/api/v1/travellers/{world.bo}/permits", json=permit, headers=auth(sundsvall)
    )
    assert own.status_code == 201, own.text


def test_an_assessor_issues_certificates_only_under_their_own_principal(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    assessor = staff(session, Role.ASSESSOR, "assessor-22", SIDE_22)
    for traveller, principal, issuer, status in (
        (world.bo, "23", world.issuer_23, 403),  # Bo is theirs, region 23 is not
        (world.anna, "22", world.issuer_22, 404),  # Anna is not in their register
        (world.bo, "22", world.issuer_22, 201),
    ):
        response = app_client.post(
            f"/api/v1/travellers/{traveller}/certificates",
            json=certificate(issuer, principal),
            headers=auth(assessor),
        )
        assert response.status_code == status, response.text


def test_permits_and_certificates_of_other_principals_are_not_listed(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    """Bo gets a region 23 certificate; region 22's desk sees Bo, not 23's decision."""
    issued = app_client.post(
        f"/api/v1/travellers/{world.bo}/certificates",
        json=certificate(world.issuer_23, "23"),
        headers=auth(world.admin),
    )
    assert issued.status_code == 201
    sundsvall = staff(session, Role.OPERATOR, "op-22", SIDE_22)
    listed = app_client.get(f"/api/v1/travellers/{world.bo}/certificates", headers=auth(sundsvall))
    assert listed.status_code == 200 and listed.json() == []


def test_extract_audit_trail_and_fee_ledger_follow_the_register(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    admin_2281 = staff(session, Role.PRINCIPAL_ADMIN, "padmin-2281", ["2281"])
    # The protected traveller lives in Sundsvall (2281) but travels on region 23's account.
    for url in (
        f"/api/v1/travellers/{world.hidden}/extract",
        f"/api/v1/audit?traveller_id={world.hidden}",
    ):
        assert app_client.get(url, headers=auth(admin_2281)).status_code == 404, url
    sundsvall = staff(session, Role.OPERATOR, "op-22", SIDE_22)
    ledger = app_client.get(
        f"/api/v1/fee-ledger/{world.anna}", params={"principal": "22"}, headers=auth(sundsvall)
    )
    assert ledger.status_code == 404


def test_a_booking_needs_the_traveller_in_the_register(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    """Booking a trip on one's own account for a stranger would put them in the register."""
    from access_world import sjukresa

    sundsvall = staff(session, Role.OPERATOR, "op-22", SIDE_22)
    body = sjukresa(app_client, sundsvall, world.anna, "22")
    response = app_client.post("/api/v1/bookings", json=body, headers=auth(sundsvall))
    assert response.status_code == 404 and response.json()["field"] == "traveller_id"
    assert leaked(response.text) == []


def test_a_known_traveller_joins_a_register_only_when_named_exactly(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    sundsvall = staff(session, Role.OPERATOR, "op-22", SIDE_22)
    guess = app_client.post(
        "/api/v1/travellers", json={**ANNA, "first_name": "Annie"}, headers=auth(sundsvall)
    )
    assert guess.status_code == 409 and leaked(guess.text) == []
    protected = app_client.post("/api/v1/travellers", json=PROTECTED, headers=auth(sundsvall))
    assert protected.status_code == 409
    assert protected.json()["detail"] == guess.json()["detail"], "the same answer for both"
    joined = app_client.post("/api/v1/travellers", json=ANNA, headers=auth(sundsvall))
    assert joined.status_code == 200 and joined.json()["id"] == world.anna
    card = app_client.get(f"/api/v1/travellers/{world.anna}", headers=auth(sundsvall))
    assert card.status_code == 200
    link = session.scalars(
        select(AuditEntry).where(AuditEntry.traveller_id == world.anna, AuditEntry.action == "link")
    ).one()
    assert link.username == "op-22"
    # Her region 23 bookings stay region 23's: to 22 as if there were none.
    assert (
        app_client.get(f"/api/v1/bookings/{world.anna_booking}", headers=auth(sundsvall))
    ).status_code == 404


def _desk_page(client: TestClient, session: Session, name: str, principals: list[str]) -> None:
    """`client` logged in to the pages as an operator of `principals`."""
    create_user(session=session, username=name, password=STRONG_PASSWORD, role=Role.OPERATOR,
                now=NOW, principal_codes=principals)  # fmt: skip
    client.cookies.clear()
    answer = client.post("/login", data=login_form(name, client), follow_redirects=False)
    assert answer.status_code == 303


def test_the_desk_card_shows_only_the_callers_principals_parts_of_a_shared_traveller(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    """Anna is in 23's register and, once linked, in 22's. The desk card gave 22 region 23's
    certificate and series, and the place suggestions her region 23 clinic, which the API
    gives 22 none of (the probe of the seventh session of 2026-12-06)."""
    sundsvall = staff(session, Role.OPERATOR, "op-22-link", SIDE_22)
    assert (
        app_client.post("/api/v1/travellers", json=ANNA, headers=auth(sundsvall)).status_code == 200
    )
    certificate_days = "20 november 2026–20 december 2026"
    series_days = "30 november 2026–9 december 2026"
    seen = {}
    for name, principals in (("desk-22", SIDE_22), ("desk-23", ["23"])):
        _desk_page(app_client, session, name, principals)
        card = app_client.get("/bokning", params={"resenar": world.anna})
        assert card.status_code == 200
        places = app_client.get(
            "/bokning/platser", params={"resenar": world.anna, "falt": "till", "till": ""}
        )
        seen[name] = (card.text, places.text)
    card_22, places_22 = seen["desk-22"]
    assert certificate_days not in card_22 and series_days not in card_22
    assert "Tidigare resmål" not in places_22
    card_23, places_23 = seen["desk-23"]
    assert certificate_days in card_23 and series_days in card_23, "the control: 23 sees them"
    assert "Tidigare resmål" in places_23


def test_a_run_sheet_without_the_callers_trips_answers_as_a_missing_run(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    """Region 23's operator got 403 for 22's run sheet and 404 for one that does not
    exist, which told the run exists (the probe of the seventh session of 2026-12-06). A
    run shared with 22, which /trafik shows them, is still refused; their own is printed."""
    _desk_page(app_client, session, "sheet-23", ["23"])
    theirs = app_client.get(f"/trafik/korning/{world.runs['bo']}/korlista")
    missing = app_client.get("/trafik/korning/987654/korlista")
    assert theirs.status_code == missing.status_code == 404
    shared = app_client.get(f"/trafik/korning/{world.runs['shared']}/korlista")
    assert shared.status_code == 403
    assert app_client.get(f"/trafik/korning/{world.runs['hidden']}/korlista").status_code == 200


def test_a_run_pages_stream_opens_only_on_a_run_the_caller_sees(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    """/trafik/strom?korning= took any run id: region 23's operator heard 22's run's
    reports and positions live, and a run that does not exist streamed too (probe of
    2026-12-06). A run the run page answers 404 for gets 404 here. (The run one may see
    streams: tests/web/test_run_page_live_browser.py.)"""
    _desk_page(app_client, session, "stream-23", ["23"])
    for run in (world.runs["bo"], 987654):
        answer = app_client.get("/trafik/strom", params={"datum": MONDAY.isoformat(),
                                                         "korning": run})  # fmt: skip
        assert answer.status_code == 404, run


# --- Authorization: day plans, invoice basis, drivers, care units -------------------------


def test_an_operator_of_22_reads_only_22s_part_of_the_day_plan(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    sundsvall = staff(session, Role.OPERATOR, "op-22", SIDE_22)
    response = app_client.get(f"/api/v1/plans/{MONDAY}", headers=auth(sundsvall))
    assert response.status_code == 200, response.text
    plan = response.json()
    assert {r["id"] for r in plan["runs"]} == {world.runs["shared"], world.runs["bo"]}
    shared = next(r for r in plan["runs"] if r["id"] == world.runs["shared"])
    theirs = [s for s in shared["stops"] if s["booking_id"] is None]
    assert len(theirs) == 2, "Anna's pickup and drop-off keep their place in the order"
    assert all(s["lat"] is None and s["booking_reference"] is None for s in theirs)
    assert {s["booking_id"] for s in shared["stops"]} == {None, world.bo_booking}
    assert leaked(response.text, ANNA_SECRETS + PROTECTED_SECRETS + world.anna_references) == []
    assert str(world.anna_booking) not in {str(s["booking_id"]) for s in shared["stops"]}


def test_only_an_account_of_every_principal_plans_the_day(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    sundsvall = staff(session, Role.OPERATOR, "op-22", SIDE_22)
    response = app_client.post(f"/api/v1/plans/{MONDAY}?time_limit=1", headers=auth(sundsvall))
    assert response.status_code == 403 and response.json()["field"] == "date"


@pytest.mark.parametrize("role", [Role.PRINCIPAL_ADMIN, Role.ANALYST])
def test_the_invoice_basis_of_another_principals_carrier_is_not_readable(
    app_client: TestClient, session: Session, world: ScopeWorld, role: Role
) -> None:
    caller = staff(session, role, f"{role.value}-22", SIDE_22)
    for month in ("2026-09", "2026-10", "2026-08"):  # an empty run, 23's trips, nothing
        response = app_client.get(
            "/api/v1/reports/invoice-basis",
            params={"carrier": CARRIER_23, "month": month},
            headers=auth(caller),
        )
        assert response.status_code in (403, 404), (month, response.text)
        assert "777" not in response.text
    own = app_client.get(
        "/api/v1/reports/invoice-basis",
        params={"carrier": CARRIER_22, "month": "2026-10"},
        headers=auth(caller),
    )
    assert own.status_code == 200 and "777" in own.text


def test_an_invoice_basis_run_shared_with_another_principal_is_refused(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    """A run carrying trips of 22 and 23 cannot be shown to 22 alone: its cost is both's."""
    from datetime import date

    from scope_world import add_settled_run

    add_settled_run(session, "s-mixed", CARRIER_22, date(2026, 10, 7), ["22", "23"])
    caller = staff(session, Role.ANALYST, "analyst-22", SIDE_22)
    response = app_client.get(
        "/api/v1/reports/invoice-basis",
        params={"carrier": CARRIER_22, "month": "2026-10"},
        headers=auth(caller),
    )
    assert response.status_code == 403 and "not scoped to" in response.json()["detail"]
    assert "23" not in response.json()["detail"], "the other principals are not named"


def test_a_driver_reads_only_their_own_run_today(
    app_client: TestClient, session: Session, world: ScopeWorld, clock: FixedClock
) -> None:
    driver = staff(
        session, Role.DRIVER, "driver-jt1", [], carrier_id=1, vehicle_id=world.vehicles["shared"]
    )
    own = f"/api/v1/runs/{world.runs['shared']}/manifest"
    assert app_client.get(own, headers=auth(driver)).status_code == 403, "not today yet"
    clock.current = morning_of_the_day()
    assert app_client.get(own, headers=auth(driver)).status_code == 200
    same_carrier = f"/api/v1/runs/{world.runs['hidden']}/manifest"
    assert app_client.get(same_carrier, headers=auth(driver)).status_code == 404  # as if missing
    unlinked = staff(session, Role.DRIVER, "driver-nolink", [], carrier_id=1)
    assert app_client.get(own, headers=auth(unlinked)).status_code == 404


def test_a_care_issuer_sees_only_the_bookings_of_their_care_unit(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    other = staff(session, Role.CARE_ISSUER, "ortopedi", ["23"], care_unit=OTHER_UNIT)
    listed = app_client.get("/api/v1/bookings", headers=auth(other)).json()
    assert listed["total"] == 0 and leaked(str(listed)) == []
    for booking in (world.anna_booking, world.anna_care_booking):
        response = app_client.get(f"/api/v1/bookings/{booking}", headers=auth(other))
        assert response.status_code == 404, "as a trip that does not exist: nothing told"
        assert response.json()["detail"] == f"no booking with id {booking}"
    dialysis = staff(session, Role.CARE_ISSUER, "dialys", ["23"], care_unit=CARE_UNIT)
    mine = app_client.get("/api/v1/bookings", headers=auth(dialysis)).json()
    assert [b["id"] for b in mine["items"]] == [world.anna_care_booking]


# --- Protected identity ---------------------------------------------------------------------


def test_the_decision_letter_hides_a_protected_home_address(
    app_client: TestClient, world: ScopeWorld
) -> None:
    response = app_client.get(
        f"/api/v1/bookings/{world.hidden_booking}/decision-letter", headers=auth(world.desk)
    )
    assert response.status_code == 200, response.text
    assert leaked(response.text, PROTECTED_SECRETS) == []
    assert "Skyddad adress" in response.text


def test_a_protected_address_on_a_manifest_reaches_only_the_driver_of_the_run(
    app_client: TestClient, session: Session, world: ScopeWorld, clock: FixedClock
) -> None:
    url = f"/api/v1/runs/{world.runs['hidden']}/manifest"
    clock.current = morning_of_the_day()
    dispatcher = staff(session, Role.CARRIER_DISPATCHER, "disp-1", [], carrier_id=1)
    for token in (world.admin, dispatcher):
        response = app_client.get(url, headers=auth(token))
        assert response.status_code == 200, response.text
        assert leaked(response.text, PROTECTED_SECRETS) == []
        home, hospital = response.json()["stops"][:2]
        assert home["lat"] is None and home["message_to_driver"] is None
        # The hospital is no secret, but a message may say where the person lives.
        assert hospital["lat"] is not None and hospital["message_to_driver"] is None
    driver = staff(
        session, Role.DRIVER, "driver-jt3", [], carrier_id=1, vehicle_id=world.vehicles["hidden"]
    )
    manifest = app_client.get(url, headers=auth(driver))
    home, hospital = manifest.json()["stops"][:2]
    assert "Dolda gränd" in home["address"] and home["lat"] is not None
    assert home["message_to_driver"] == hospital["message_to_driver"] == "Ring på porttelefonen"
    assert leaked(manifest.text, ("Hemlig", "Gömdsson", "198001010001", "9998877")) == []


@pytest.mark.parametrize(
    "change",
    [
        {"protected_identity": False},
        {"first_name": "Ny"},
        {"phone": "070-1111111"},
        {"phone": None},
        {"asylum_housing": True},
        {"address": {**ANNA["address"], "street": "Nygatan 1"}},  # type: ignore[dict-item]
    ],
)
def test_a_protected_identity_is_changed_only_by_who_may_see_it(
    app_client: TestClient, session: Session, world: ScopeWorld, change: dict[str, object]
) -> None:
    """Lifting the protection answered with the whole record; a new address or phone was
    written over the hidden one by someone who never saw it."""
    url = f"/api/v1/travellers/{world.hidden}"
    version = app_client.get(url, headers=auth(world.desk)).json()["version"]
    refused = app_client.patch(url, json={"version": version, **change}, headers=auth(world.desk))
    assert refused.status_code == 403, refused.text
    assert refused.json()["field"] == next(iter(change))
    assert leaked(refused.text, PROTECTED_SECRETS) == []
    allowed = app_client.patch(
        url, json={"version": version, "language": "fi"}, headers=auth(world.desk)
    )
    assert allowed.status_code == 200, allowed.text
    assert leaked(allowed.text, PROTECTED_SECRETS) == []
    trusted = staff(session, Role.OPERATOR, "trusted-editor", ["*"], may_see_protected=True)
    version = allowed.json()["version"]
    done = app_client.patch(url, json={"version": version, **change}, headers=auth(trusted))
    assert done.status_code == 200, done.text


def test_a_cost_statement_gives_no_distance_of_a_protected_identitys_trip(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    """Each settled trip's km from a hidden home, with the booking that says where it went,
    placed the home; the row keeps its cost, not its booking nor its km."""
    keys = {
        world.hidden_booking: f"b{world.hidden_booking}.0",
        world.anna_booking: f"b{world.anna_booking}.0",
    }
    run_ref = session.scalars(select(SettledRun.run_ref)).first()
    for booking_id, key in keys.items():
        session.add(
            SettledTrip(trip_key=key, run_ref=run_ref, booking_id=booking_id, leg_seq=0,
                        principal_code="23", service="sjukresa", day=MONDAY,
                        pickup_at=morning_of_the_day(), passengers=1, run_passengers=1,
                        direct_m=2895, standalone_ore=50_000, allocated_ore=40_000, fee_ore=0,
                        stretcher=False, dialysis=False, wheelchair=False, promised_pickup=None,
                        actual_pickup=None, deviations=0, carrier=CARRIER_23,
                        contract_code="K-1")
        )  # fmt: skip
    session.flush()
    params = {"month": f"{MONDAY:%Y-%m}", "principal": "23"}
    sheet = app_client.get("/api/v1/reports/cost-statement", params=params,
                           headers=auth(world.admin)).text  # fmt: skip
    rows = {row.split(",")[0]: row.split(",") for row in sheet.splitlines()}
    masked = rows["skyddad identitet (1 resa)"]
    assert keys[world.hidden_booking] not in sheet
    assert masked[1] == masked[4] == "", "no day, no km"
    assert rows[keys[world.anna_booking]][4] == "2.895"
    # The total's km leave the masked trip out (the difference was its km); its money not.
    visible_km = sum(Decimal(r[4]) for k, r in rows.items() if k.startswith("b") and r[4])
    assert Decimal(rows["TOTAL"][4]) == visible_km
    trusted = staff(session, Role.ANALYST, "trusted-analyst", ["23"], may_see_protected=True)
    full = app_client.get("/api/v1/reports/cost-statement", params=params, headers=auth(trusted))
    assert keys[world.hidden_booking] in full.text


@pytest.mark.parametrize("q", ["Hemlig", "Gömdsson", "Hemlig Gömdsson", "19800101", "800101-0001"])
def test_search_never_matches_a_protected_identity_on_hidden_fields(
    app_client: TestClient, session: Session, world: ScopeWorld, q: str
) -> None:
    found = app_client.get("/api/v1/travellers", params={"q": q}, headers=auth(world.desk))
    assert found.status_code == 200 and found.json()["total"] == 0, "no confirmed guess"
    trusted = staff(session, Role.OPERATOR, "trusted", ["*"], may_see_protected=True)
    seen = app_client.get("/api/v1/travellers", params={"q": q}, headers=auth(trusted)).json()
    assert [t["id"] for t in seen["items"]] == [world.hidden]


@pytest.mark.parametrize("q", ["%", "%%%", "___", "a%b", None])
def test_search_takes_wildcards_literally_and_needs_a_real_query(
    app_client: TestClient, world: ScopeWorld, q: str | None
) -> None:
    params = {} if q is None else {"q": q}
    response = app_client.get("/api/v1/travellers", params=params, headers=auth(world.admin))
    if response.status_code == 422:
        assert response.json()["field"] == "q"
    else:
        assert response.status_code == 200 and response.json()["total"] == 0, q
    assert len(q or "") >= 3 or response.status_code == 422


# --- Accounts ---------------------------------------------------------------------------------


def _account(client: TestClient, token: str, name: str, role: str, **scope: object) -> Response:
    body = {"username": name, "password": STRONG_PASSWORD, "role": role, **scope}
    return client.post("/api/v1/users", json=body, headers=auth(token))


def test_a_traveller_account_links_only_a_traveller_its_administrator_may_see(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    """Whoever creates an account sets its first password and can log in as it, so linking
    one to a traveller is a read of that traveller's record."""
    admin_22 = staff(session, Role.PRINCIPAL_ADMIN, "admin-22", SIDE_22)
    outside = _account(app_client, admin_22, "anna-own", "traveller", traveller_id=world.anna,
                       principal_codes=SIDE_22)  # fmt: skip
    assert outside.status_code == 404 and outside.json()["field"] == "traveller_id"
    assert outside.json() == _account(
        app_client, admin_22, "nobody-own", "traveller", traveller_id=987654,
        principal_codes=SIDE_22).json() | {"detail": outside.json()["detail"]}  # fmt: skip
    assert "Testsson" not in outside.text
    admin_23 = staff(session, Role.PRINCIPAL_ADMIN, "admin-23", ["23"])
    mine = _account(app_client, admin_23, "anna-own", "traveller", traveller_id=world.anna,
                    principal_codes=["23"])  # fmt: skip
    assert mine.status_code == 201, mine.text
    for token in (admin_23, world.admin):  # neither may see protected identities
        hidden = _account(app_client, token, "hidden-own", "traveller",
                          traveller_id=world.hidden, principal_codes=["23"])  # fmt: skip
        assert hidden.status_code == 403 and hidden.json()["field"] == "traveller_id"
    trusted = staff(session, Role.SYSTEM_ADMIN, "root-trusted", ["*"], may_see_protected=True)
    allowed = _account(app_client, trusted, "hidden-own", "traveller", traveller_id=world.hidden,
                       principal_codes=["23"])  # fmt: skip
    assert allowed.status_code == 201, allowed.text


@pytest.mark.parametrize("role", ["driver", "carrier_dispatcher"])
def test_only_a_system_administrator_creates_a_carriers_account(
    app_client: TestClient, session: Session, world: ScopeWorld, role: str
) -> None:
    """A carrier's runs carry every principal's travellers, protected homes included: a
    municipality's administrator made a driver of a carrier and read another region's."""
    admin_2281 = staff(session, Role.PRINCIPAL_ADMIN, "admin-2281", ["2281"])
    scope = {"carrier_id": 1, "vehicle_id": world.vehicles["hidden"], "principal_codes": ["2281"]}
    refused = _account(app_client, admin_2281, "carrier-x", role, **scope)
    assert refused.status_code == 403 and refused.json()["field"] == "role", refused.text
    page = app_client.get("/admin", headers=auth(admin_2281))
    assert page.status_code == 200 and f'value="{role}"' not in page.text


@pytest.mark.parametrize(
    ("role", "scope"),
    [("operator", {"carrier_id": 1}), ("operator", {"vehicle_id": 1}),
     ("analyst", {"traveller_id": 1}), ("assessor", {"care_unit": "Avd 1"})],
)  # fmt: skip
def test_a_scope_goes_only_with_its_role(
    app_client: TestClient, session: Session, world: ScopeWorld, role: str, scope: dict[str, object]
) -> None:
    """An operator given a carrier read that carrier's run offers of every principal; an
    account made so before is read without it."""
    admin_23 = staff(session, Role.PRINCIPAL_ADMIN, "admin-23b", ["23"])
    refused = _account(app_client, admin_23, "scoped-x", role, principal_codes=["23"], **scope)
    assert refused.status_code == 422 and refused.json()["field"] == next(iter(scope))
    older = staff(session, Role.OPERATOR, "old-op", ["23"], carrier_id=1)
    offers = app_client.get("/api/v1/offers", params={"day": str(MONDAY)}, headers=auth(older))
    assert offers.status_code == 403, offers.text


def test_an_account_is_scoped_to_a_carrier_vehicle_and_principals_that_exist(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    carrier = Carrier(name="Kontrolltaxi AB", org_number="556677-8899")
    other = Carrier(name="Annantaxi AB", org_number="556677-0000")
    session.add_all([carrier, other])
    session.flush()
    vehicle = session.get(Vehicle, world.vehicles["hidden"])
    assert vehicle is not None
    vehicle.carrier_id = carrier.id
    session.flush()
    cases = [
        ({"carrier_id": 987654, "vehicle_id": vehicle.id}, "carrier_id"),
        ({"carrier_id": carrier.id, "vehicle_id": 987654}, "vehicle_id"),
        ({"carrier_id": other.id, "vehicle_id": vehicle.id}, "vehicle_id"),
        ({"carrier_id": carrier.id, "vehicle_id": vehicle.id, "principal_codes": ["9999"]},
         "principal_codes"),
    ]  # fmt: skip
    for scope, field in cases:
        refused = _account(app_client, world.admin, "driver-x", "driver", **scope)
        assert refused.status_code == 422, (scope, refused.text)
        assert refused.json()["field"] == field, scope
    driver = _account(app_client, world.admin, "driver-x", "driver", carrier_id=carrier.id,
                      vehicle_id=vehicle.id, principal_codes=["23"])  # fmt: skip
    assert driver.status_code == 201, driver.text
    # A change of role and scope (the admin page's) holds to the same rule.
    change = UserChange(role=Role.DRIVER, carrier_id=other.id, vehicle_id=vehicle.id)
    with pytest.raises(InputError) as refused_change:
        users.change(session=session, actor=SYSTEM, user_id=driver.json()["id"], data=change)
    assert refused_change.value.field == "vehicle_id"


# --- Audit ------------------------------------------------------------------------------------


def test_series_plan_and_user_trail_reads_are_audited(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    def entries() -> int:
        return session.scalar(select(func.count(AuditEntry.id))) or 0

    for url in (
        f"/api/v1/series/{world.anna_series}",
        f"/api/v1/plans/{MONDAY}",
        f"/api/v1/audit?user_id={world.user_23}",
    ):
        before = entries()
        assert app_client.get(url, headers=auth(world.admin)).status_code == 200, url
        assert entries() > before, f"{url} returned personal data without an audit entry"


def test_a_booking_outside_the_scope_answers_as_one_that_does_not_exist(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    """A 403 named the paying principal ("not scoped to principal 2281"), for färdtjänst
    the person's home municipality, of any booking id tried; now the answer is the one a
    missing id gets, to reads, changes and moves alike."""
    desk_22 = staff(session, Role.OPERATOR, "desk-22-probe", ["22"])
    for booking in (world.anna_booking, world.hidden_booking):
        for method, path, body in (
            ("GET", f"/api/v1/bookings/{booking}", None),
            ("GET", f"/api/v1/bookings/{booking}/events", None),
            ("POST", f"/api/v1/bookings/{booking}/cancel", {"reason": "prov"}),
        ):
            answer = app_client.request(method, path, json=body, headers=auth(desk_22))
            assert answer.status_code == 404, (path, answer.text)
            assert answer.json()["detail"] == f"no booking with id {booking}", path
