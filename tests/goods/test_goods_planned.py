"""Goods planned with the day's passengers, stored on runs, reloaded, verified again from
the database, shown in the plan and the manifests, and settled: every run's cost split
between its trips and its goods to the öre (SQLite and PostgreSQL).

The day with its goods is built once per database; each test runs in a savepoint of it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from goods_fixtures import DAY, PLAN_NOW, SETTLE_NOW, goods_stops
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import plan_fixed
from samfard.access.actor import SYSTEM, Actor
from samfard.access.permissions import Role
from samfard.costs.models import SettledGoods, SettledRun, SettledTrip
from samfard.costs.service import settle_day
from samfard.dispatch import service as dispatch
from samfard.dispatch import store
from samfard.goods import service as goods_service
from samfard.goods.models import Consignment
from samfard.planning.verifier import verify
from samfard.reports.service import monthly_report

pytestmark = pytest.mark.world_per_module


def test_goods_are_planned_on_runs_with_passengers_and_the_stored_plan_verifies(
    session: Session, booked: list[Consignment]
) -> None:
    plan = store.latest_plan(session, DAY)
    assert plan is not None and plan.version == 2
    goods_stops = [s for run in plan.runs for s in run.stops if s.consignment_id is not None]
    ids = {c.id for c in booked}
    assert {s.consignment_id for s in goods_stops} == ids  # every consignment carried
    assert all(s.booking_id is None and s.leg_id is None for s in goods_stops)
    for c in booked:
        session.refresh(c)
        assert c.status == "planned"
    shared = [
        run
        for run in plan.runs
        if any(s.consignment_id for s in run.stops) and any(s.booking_id for s in run.stops)
    ]
    assert shared, "goods booked along passengers' legs ride with passengers"
    found, report = dispatch.verify_stored(session=session, day=DAY)
    assert found.id == plan.id
    assert report.ok, report.violations
    # Reloaded from the database: the goods are on the same routes, in the same order.
    day = dispatch.day_problem(session, DAY, store.provider_for(None))
    assert "goods" in day.problem.dimensions
    reloaded = store.solution_of(plan, day)
    assert verify(day.problem, reloaded).ok
    routed = reloaded.served_ids()
    assert {f"g{i}" for i in ids} <= routed


def test_a_cancelled_consignment_leaves_the_plan_when_the_day_is_planned_again(
    session: Session, booked: list[Consignment]
) -> None:
    goods_service.cancel_consignment(
        session=session, consignment_id=booked[0].id, reason="inställt", actor=SYSTEM, now=PLAN_NOW
    )
    plan_fixed(session, DAY, now=PLAN_NOW)
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    carried = {s.consignment_id for run in plan.runs for s in run.stops if s.consignment_id}
    assert carried == {c.id for c in booked[1:]}
    assert session.get(Consignment, booked[0].id).status == "cancelled"  # type: ignore[union-attr]


def test_the_plan_and_a_manifest_show_goods_to_those_in_scope(
    session: Session, booked: list[Consignment]
) -> None:
    plan = dispatch.read_plan(session=session, day=DAY, actor=SYSTEM, now=PLAN_NOW)
    shown = [s for run in plan.runs for s in run.stops if s.consignment_id is not None]
    assert {s.consignment_id for s in shown} == {c.id for c in booked}
    assert all(s.goods == "Bussgods, 1 kolli (Prover)" for s in shown)
    assert all(s.address in ("Lastkaj", "Mottagning") for s in shown)
    # A desk of Region Västernorrland sees only its own consignment's stops as goods.
    desk = Actor(user_id=None, username="vn", role=Role.OPERATOR, principal_codes=frozenset({"22"}))
    theirs = dispatch.read_plan(session=session, day=DAY, actor=desk, now=PLAN_NOW)
    own = {s.consignment_id for run in theirs.runs for s in run.stops if s.consignment_id}
    assert own == {c.id for c in booked if c.principal_code == "22"}
    run_id = goods_stops(session, booked[0].id)[0].run_id
    manifest = dispatch.get_manifest(session=session, run_id=run_id, actor=SYSTEM, now=PLAN_NOW)
    goods_rows = [s for s in manifest.stops if s.goods]
    assert [s.kind for s in goods_rows if s.first_name is None] == [s.kind for s in goods_rows]
    assert {s.kind for s in goods_rows} == {"pickup", "dropoff"}


def test_settlement_splits_shared_runs_between_trips_and_goods_to_the_ore(
    session: Session, booked: list[Consignment]
) -> None:
    outcome = settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    runs = {r.run_ref: r for r in session.scalars(select(SettledRun))}
    goods = list(session.scalars(select(SettledGoods)))
    assert outcome.goods == len(goods) == len(booked)
    borne: dict[str, int] = defaultdict(int)
    for trip in session.scalars(select(SettledTrip)):
        borne[trip.run_ref] += trip.allocated_ore
    for row in goods:
        borne[row.run_ref] += row.allocated_ore
    for ref, run in runs.items():
        assert borne[ref] == run.total_ore, ref
    prices = {c.id: c.price_ore for c in booked}
    for row in goods:
        # The contract price of one unit: 65 + 15 kr (region 23), 70 + 15 kr (region 22).
        expected = {"23": 6500 + 1500, "22": 7000 + 1500}[row.principal_code]
        assert row.standalone_ore == prices[row.consignment_id] == expected
        assert (row.cost_centre, row.cost_object) == ("GODS", "bussgods")
        assert row.principal_code == next(
            c.principal_code for c in booked if c.id == row.consignment_id
        )
    mixed = [
        r
        for r in goods
        if any(t.run_ref == r.run_ref for t in session.scalars(select(SettledTrip)))
    ]
    assert mixed, "a shared run is split between passengers and goods"


def test_the_monthly_report_shows_the_goods_on_their_own_cost_object(
    session: Session, booked: list[Consignment]
) -> None:
    settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    rows = [r for r in session.scalars(select(SettledGoods)) if r.principal_code == "23"]
    assert rows
    report = monthly_report(
        session=session, actor=SYSTEM, principal="23", year=2026, month=11, today=date(2027, 1, 1)
    )
    lines = {line.label: line.current for line in report.month_lines}
    label = "Kostnad gods, bussgods (kostnadsställe GODS, objekt bussgods)"
    assert lines[label] == sum(r.allocated_ore for r in rows)
    assert lines["Gods till avtalspris"] == sum(r.standalone_ore for r in rows)
    ytd = {line.label: line.current for line in report.ytd_lines}
    assert ytd[label] == lines[label]
