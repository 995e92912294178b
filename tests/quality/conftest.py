"""The quality world, built once for each module that is marked `world_per_module`."""

from __future__ import annotations

import pytest
from quality_world import QualityWorld, build_quality_world
from sqlalchemy.orm import Session


@pytest.fixture(scope="module")
def quality_world_once(module_session: Session) -> QualityWorld:
    """A planned day takes seconds to load and plan; a module's tests read it and each
    test's changes are rolled back to the savepoint it started from."""
    world = build_quality_world(module_session)
    module_session.commit()
    return world
