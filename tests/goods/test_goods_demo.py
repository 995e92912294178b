"""Demo goods: booked through the goods service, the same for the same seed, once per day,
and planned with the demo day's passengers; the price list command stores and lists.

The demo day (no goods, no fleet, no plan) is loaded once per database (`demo_day`); each
test runs in a savepoint of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from goods_fixtures import DAY, PLAN_NOW
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import plan_fixed
from samfard.cli import main
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.goods import goods_count, load_demo_goods
from samfard.demo.loader import load_day
from samfard.dispatch import service as dispatch
from samfard.dispatch.fleet import load_demo_fleet
from samfard.goods.models import Consignment, GoodsPriceListRow

TRIPS = 150

pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def demo_day(module_session: Session) -> None:
    """The demo day of seed 2 loaded through the booking services, without its goods:
    built once per database, and each test runs in a savepoint of it."""
    load_day(session=module_session, demo=generate_day(DAY, seed=2, trips=TRIPS))
    module_session.commit()


def _facts(session: Session) -> list[tuple[object, ...]]:
    rows = session.scalars(select(Consignment).order_by(Consignment.id))
    return [
        (c.principal_code, c.kind, c.units, c.description, c.pickup_address, c.dropoff_address,
         c.pickup_from, c.dropoff_until, c.price_ore)
        for c in rows
    ]  # fmt: skip


def test_demo_goods_are_booked_once_priced_and_planned_with_the_passengers(
    session: Session, demo_day: None
) -> None:
    booked = load_demo_goods(session=session, day=DAY, seed=2, trips=TRIPS)
    assert booked == goods_count(TRIPS) == 5
    assert load_demo_goods(session=session, day=DAY, seed=2, trips=TRIPS) == 0  # once
    rows = list(session.scalars(select(Consignment)))
    assert {c.kind for c in rows} == {"parcel", "aid"}
    assert all(c.price_ore > 0 and c.status == "booked" for c in rows)
    assert all(c.recipient_traveller_id is not None for c in rows if c.kind == "aid")
    assert all(c.pickup_place_id is not None for c in rows)  # from a hospital or a centre
    with transaction(session):
        load_demo_fleet(session, scale=0.3)
    outcome = plan_fixed(session, DAY, now=PLAN_NOW, seed=1)
    unserved_goods = [u for u in outcome.unserved if u.get("consignment_id")]
    served = len(rows) - len(unserved_goods)
    assert served >= len(rows) - 1, outcome.unserved
    found, report = dispatch.verify_stored(session=session, day=DAY)
    assert report.ok, report.violations


@pytest.fixture
def first_load(session: Session, demo_day: None) -> list[tuple[object, ...]]:
    load_demo_goods(session=session, day=DAY, seed=2, trips=TRIPS)
    return _facts(session)


def test_the_same_seed_gives_the_same_goods(
    session: Session, first_load: list[tuple[object, ...]]
) -> None:
    """Booked again from scratch (the rows removed), the seed draws the same goods."""
    with transaction(session):
        for row in session.scalars(select(Consignment)):
            session.delete(row)
    load_demo_goods(session=session, day=DAY, seed=2, trips=TRIPS)
    assert _facts(session) == first_load
    with transaction(session):
        for row in session.scalars(select(Consignment)):
            session.delete(row)
    load_demo_goods(session=session, day=DAY, seed=5, trips=TRIPS)
    assert _facts(session) != first_load


def test_the_price_list_command_stores_a_file_and_refuses_a_bad_one(
    session: Session,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from samfard.cli import reports

    monkeypatch.setattr(reports, "_session", lambda: (None, session))
    good = tmp_path / "lists.toml"
    good.write_text(
        '[[price_lists]]\ncode = "GODS-2309-2027"\nprincipal = "2309"\nvalid_from = "2027-01-01"\n'
        'prices = [{ kind = "aid", per_consignment = 15000, per_unit = 3000 }]\n',
        encoding="utf-8",
    )
    assert main(["goods-prices", "load", str(good)]) == 0
    stored = session.scalar(
        select(GoodsPriceListRow).where(GoodsPriceListRow.code == "GODS-2309-2027")
    )
    assert stored is not None and stored.principal_code == "2309"
    assert main(["goods-prices", "list"]) == 0
    assert "GODS-2309-2027: principal 2309" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[price_lists]]\ncode = "X"\nprincipal = "2309"\nvalid_from = "2027-01-01"\n'
        'prices = [{ kind = "aid", per_consignment = -1, per_unit = 3000 }]\n',
        encoding="utf-8",
    )
    assert main(["goods-prices", "load", str(bad)]) == 2
    assert "per_consignment must be whole öre" in capsys.readouterr().err
