"""A run that carries goods alone is on its carrier's invoice basis like any other run,
scoped by the goods' ordering principal (SQLite and PostgreSQL). The invoice basis used to
rebuild each settled run from its trips only, so a run with goods alone was refused as
"carries no trip and no goods" and the carrier's whole month answered 422."""

from __future__ import annotations

from datetime import time

import pytest
from goods_fixtures import DAY, PLAN_NOW, SETTLE_NOW, store_demo_prices
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import plan_fixed
from samfard.access.actor import SYSTEM, Actor
from samfard.access.permissions import Role
from samfard.booking.schemas import Location
from samfard.costs.models import SettledGoods, SettledRun, SettledTrip
from samfard.costs.service import load_contract_files, settle_day
from samfard.db import transaction
from samfard.dispatch.fleet import load_demo_fleet
from samfard.errors import NotFound
from samfard.goods import service as goods
from samfard.goods.prices import GoodsKind
from samfard.goods.schemas import ConsignmentCreate
from samfard.reports.service import invoice_basis_sheet
from samfard.timeutil import local


def _goods_alone_settled(session: Session) -> SettledRun:
    """A day whose only load is one parcel for region 23, planned and settled."""
    load_contract_files(session)
    store_demo_prices(session)
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    data = ConsignmentCreate(
        principal="23",
        kind=GoodsKind.PARCEL,
        units=2,
        description="Provrör",
        pickup=Location(address="Lastkaj", lat=63.1766, lon=14.6361),  # Östersund
        dropoff=Location(address="Mottagning", lat=63.8476, lon=15.5544),  # Strömsund
        pickup_from=local(DAY, time(8, 0)),
        pickup_until=local(DAY, time(10, 0)),
        dropoff_from=local(DAY, time(8, 0)),
        dropoff_until=local(DAY, time(12, 0)),
    )
    goods.create_consignment(session=session, data=data, actor=SYSTEM, now=PLAN_NOW)
    plan_fixed(session, DAY, now=PLAN_NOW)
    settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    run = session.scalars(select(SettledRun)).one()
    assert session.scalars(select(SettledTrip)).first() is None
    assert session.scalars(select(SettledGoods)).one().run_ref == run.run_ref
    return run


def test_a_run_with_goods_alone_is_on_its_carriers_invoice_basis(session: Session) -> None:
    run = _goods_alone_settled(session)
    sheet = invoice_basis_sheet(
        session=session, actor=SYSTEM, carrier=run.carrier, year=DAY.year, month=DAY.month
    )
    lines = [row for row in sheet.rows if row[0] == run.run_ref]
    assert len(lines) == 1
    assert sheet.rows[-1][-1] == run.total_ore  # the TOTAL line's total is that run's


def _analyst(principal: str) -> Actor:
    return Actor(None, f"analyst-{principal}", Role.ANALYST, frozenset({principal}))


def test_the_goods_ordering_principal_scopes_the_run(session: Session) -> None:
    run = _goods_alone_settled(session)
    region_23 = _analyst("23")
    region_22 = _analyst("22")
    seen = invoice_basis_sheet(
        session=session, actor=region_23, carrier=run.carrier, year=DAY.year, month=DAY.month
    )
    assert any(row[0] == run.run_ref for row in seen.rows)
    with pytest.raises(NotFound):
        invoice_basis_sheet(
            session=session, actor=region_22, carrier=run.carrier, year=DAY.year, month=DAY.month
        )
