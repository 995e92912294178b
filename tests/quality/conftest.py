"""The quality world, built once for each module that is marked `world_per_module`, and
the `world` fixture its modules share."""

from __future__ import annotations

from datetime import time

import pytest
from quality_world import QualityWorld, build_quality_world
from sqlalchemy.orm import Session

from samfard.clock import FixedClock
from samfard.timeutil import local


@pytest.fixture(scope="module")
def quality_world_once(module_session: Session) -> QualityWorld:
    """A planned day takes seconds to load and plan; a module's tests read it and each
    test's changes are rolled back to the savepoint it started from."""
    world = build_quality_world(module_session)
    module_session.commit()
    return world


@pytest.fixture
def world(quality_world_once: QualityWorld, clock: FixedClock) -> QualityWorld:
    """The world at 18:00 on its service day, when the day's trips are done and a
    deviation about them can be reported; a module may give its own `world` instead."""
    clock.current = local(quality_world_once.booking.service_date, time(18, 0))
    return quality_world_once
