"""Fixtures shared by the dispatch modules marked `world_per_module`."""

from __future__ import annotations

import pytest
from dispatch_fixtures import plan_demo_day
from sqlalchemy.orm import Session


@pytest.fixture(scope="module")
def planned(module_session: Session) -> None:
    """The demo day loaded and planned, built once per database; each test runs in a
    savepoint of it (a module may build its own `planned`, such as with an account)."""
    plan_demo_day(module_session)
    module_session.commit()
