"""KPI targets come from the shipped data file; a principal's own target replaces the
default of the same figure, and a bad entry is refused with its place."""

from __future__ import annotations

from decimal import Decimal

import pytest

from samfard.errors import InputError
from samfard.reports.kpi import Kpi
from samfard.reports.targets import parse_targets, targets_for


def test_the_shipped_defaults_judge_punctuality_and_coordination() -> None:
    targets = {t.kpi: t for t in targets_for("23")}
    assert targets[Kpi.PUNCTUALITY].value == Decimal(94)
    assert targets[Kpi.PUNCTUALITY].higher_is_better
    assert targets[Kpi.COORDINATION_RATE].value == Decimal("1.3")
    assert not targets[Kpi.DEVIATIONS_PER_1000].higher_is_better
    assert all(t.comment for t in targets.values())


def test_a_principals_own_target_replaces_the_default() -> None:
    tables = parse_targets(
        {
            "default": [{"kpi": "punctuality", "value": "94", "higher_is_better": True}],
            "2380": [{"kpi": "punctuality", "value": "97", "higher_is_better": True}],
        }
    )
    assert [t.value for t in tables["2380"]] == [Decimal(97)]
    assert [t.value for t in tables["default"]] == [Decimal(94)]


def test_a_bad_entry_names_its_place() -> None:
    with pytest.raises(InputError, match=r"\[default\] entry 1"):
        parse_targets({"default": [{"kpi": "happiness", "value": "1", "higher_is_better": True}]})
