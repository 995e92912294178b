"""Fixtures for rule tests: the shipped rulebooks, loaded once."""

from __future__ import annotations

import pytest

from samfard.rules import RulebookSet, shipped_rulebooks


@pytest.fixture(scope="session")
def rulebooks() -> RulebookSet:
    return shipped_rulebooks()
