"""Vehicles (and the travellers' needs) are named in Swedish on the pages; the vehicles'
codes stay what the API says.

The demo fleet's codes (`Krokom-wheelchair-1`) carry English type words. Every code the
fleet loader can make gets a Swedish name of its own; /trafik, a run, its manifest, the
move form, the carriers' /utforare, the alerts and the driver's page show the names, and
the API keeps the code.
"""

from __future__ import annotations

import re
from datetime import time
from html import unescape

from dispatch_fixtures import DAY, PLAN_NOW, plan_demo_day
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, login_form
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.clock import FixedClock
from samfard.dispatch import handoff, store
from samfard.dispatch.fleet import DEPOTS, KINDS, OWN_DEPOTS, demo_code
from samfard.dispatch.models import Vehicle
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.timeutil import local

# A demo code anywhere in a page's text.
CODE = re.compile(r"\w+-(?:egen-)?(?:taxi|wheelchair|stretcher|minibus)-\d+")
TAG = re.compile(r"<[^>]+>|<script.*?</script>", re.S)


def _demo_codes() -> list[str]:
    """Every code `load_demo_fleet` makes at its largest scale (10)."""
    codes = [
        demo_code(town, kind, n)
        for town, _, *counts in DEPOTS
        for kind, count in zip(KINDS, counts, strict=True)
        for n in range(1, count * 10 + 2)
    ]
    codes += [
        demo_code(town, kind, n, own_fleet=True)
        for town, _, *counts in OWN_DEPOTS
        for kind, count in zip(("wheelchair", "stretcher"), counts, strict=True)
        for n in range(1, count * 10 + 2)
    ]
    return codes


def test_every_demo_vehicle_has_a_swedish_name_of_its_own() -> None:
    codes = _demo_codes()
    names = [vehicle_name_sv(code) for code in codes]
    assert len(set(names)) == len(codes), "two vehicles would share a name"
    for code, name in zip(codes, names, strict=True):
        assert not re.search(r"taxi-|wheelchair|stretcher|minibus|egen-|-", name), name
        assert name.startswith(code.split("-")[0] + " "), name
    assert vehicle_name_sv("Krokom-wheelchair-1") == "Krokom rullstolsfordon 1"
    assert vehicle_name_sv("Sundsvall-stretcher-2") == "Sundsvall bårbil 2"
    assert vehicle_name_sv("Östersund-taxi-12") == "Östersund taxi 12"
    assert vehicle_name_sv("Östersund-egen-wheelchair-1") == (
        "Östersund rullstolsfordon 1 (egen regi)"
    )


def test_a_code_of_another_shape_is_the_carriers_own_name() -> None:
    for code in ("Taxi 17", "ABC123", "Krokom-wheelchair", "wheelchair-1"):
        assert vehicle_name_sv(code) == code


def _text(html: str) -> str:
    return unescape(TAG.sub(" ", html))


def _login(
    client: TestClient, session: Session, username: str, role: Role, **scope: object
) -> None:
    create_user(
        session=session, username=username, password=STRONG_PASSWORD, role=role, now=NOW,
        **scope,  # type: ignore[arg-type]
    )  # fmt: skip
    client.cookies.clear()
    client.post("/login", data=login_form(username, client))


def test_the_pages_name_vehicles_in_swedish_and_the_api_keeps_the_code(
    app_client: TestClient, session: Session, clock: FixedClock
) -> None:
    plan_demo_day(session)
    offers = handoff.offer_day(session=session, day=DAY, actor=SYSTEM, now=PLAN_NOW)
    declined = next(o for o in offers if o.state == "offered")
    handoff.answer_offer(
        session=session, offer_id=declined.id, accept=False, reason="bilen är trasig",
        actor=SYSTEM, now=PLAN_NOW,
    )  # fmt: skip
    plan = store.latest_plan(session, DAY)  # the decline's re-plan
    assert plan is not None
    run = plan.runs[0]
    pickup = next(s for s in run.stops if s.kind == "pickup")
    _login(app_client, session, "trafikledare", Role.OPERATOR, principal_codes=["*"])
    day = DAY.isoformat()
    pages = {
        "/trafik": f"/trafik?datum={day}",
        "larm": f"/trafik/larm?datum={day}",
        "körlista": f"/trafik/korning/{run.id}/korlista",
        "flytta": f"/trafik/flytta?datum={day}&booking_id={pickup.booking_id}"
        f"&leg_seq={pickup.leg_seq}",
        "/utforare": f"/utforare?datum={day}",
    }
    for what, url in pages.items():
        page = app_client.get(url)
        assert page.status_code == 200, what
        assert CODE.findall(_text(page.text)) == [], what
    name = vehicle_name_sv(run.vehicle.code)
    assert name in _text(app_client.get(pages["/trafik"]).text)
    assert f"Körlista {name}" in _text(app_client.get(pages["körlista"]).text)
    # The manifests say the travellers' needs in Swedish too.
    sheets = " ".join(
        _text(app_client.get(f"/trafik/korning/{r.id}/korlista").text) for r in plan.runs
    )
    assert not re.search(r"\b(wheelchair|stretcher|front_seat|ride_alone)\b", sheets)
    assert "rullstol" in sheets
    alerts = _text(app_client.get(pages["larm"]).text)
    assert f"{vehicle_name_sv(declined.vehicle_code)}: utföraren avböjde" in alerts
    # The run's page names the vehicle and gives its code once, for the API and the carrier.
    run_page = _text(app_client.get(f"/trafik/korning/{run.id}?datum={day}").text)
    assert f"Körning {name}" in run_page
    assert CODE.findall(run_page) == [run.vehicle.code]
    assert f"fordonskod {run.vehicle.code}" in run_page
    # The API keeps the code.
    api = app_client.get(f"/api/v1/plans/{day}")
    assert api.status_code == 200
    assert run.vehicle.code in {r["vehicle"]["code"] for r in api.json()["runs"]}

    vehicle = session.scalars(select(Vehicle).where(Vehicle.id == run.vehicle_id)).one()
    clock.current = local(DAY, time(23, 0))
    _login(
        app_client, session, "forare", Role.DRIVER, principal_codes=["*"],
        carrier_id=vehicle.carrier_id, vehicle_id=vehicle.id,
    )  # fmt: skip
    driver = _text(app_client.get("/forare").text)
    assert f"Min körning {name}" in driver and CODE.findall(driver) == []
