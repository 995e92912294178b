"""Fixtures of the goods modules that share the planned day with goods
(`goods_fixtures.planned_day_with_goods`): built once per database in a module marked
`world_per_module`, each test in a savepoint of it."""

from __future__ import annotations

import pytest
from goods_fixtures import planned_day_with_goods
from sqlalchemy.orm import Session

from samfard.goods.models import Consignment


@pytest.fixture(scope="module")
def booked_ids(module_session: Session) -> tuple[int, ...]:
    """The small demo day planned with goods along three passengers' legs and planned
    again: built once per database; each test runs in a savepoint of it."""
    ids = tuple(row.id for row in planned_day_with_goods(module_session))
    module_session.commit()
    return ids


@pytest.fixture
def booked(booked_ids: tuple[int, ...], session: Session) -> list[Consignment]:
    """The day's consignments, in the order they were booked, read in the test's session."""
    return [session.get_one(Consignment, i) for i in booked_ids]
