"""Engine plumbing: which rulebook applies, services without rules, local dates, and input
validation of the facts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from rule_fixtures import leg, person, trip

from samfard.errors import InputError, RuleError
from samfard.rules import (
    AssessmentRequest,
    Companion,
    CompanionKind,
    Leg,
    Permit,
    RulebookSet,
    Service,
    assess,
    load_rulebooks,
)
from samfard.rules.loader import SHIPPED_ROOT


def test_a_municipality_riksfardtjanst_file_overrides_the_national_one(tmp_path: Path) -> None:
    root = tmp_path / "rulebooks"
    national = (SHIPPED_ROOT / "SE" / "riksfardtjanst.toml").read_text(encoding="utf-8")
    for folder, text in (
        ("SE", national),
        (
            "2380",
            national.replace('principal = "SE"', 'principal = "2380"').replace(
                'fee_kr = "105"', 'fee_kr = "95"'
            ),
        ),
    ):
        (root / folder).mkdir(parents=True)
        (root / folder / "riksfardtjanst.toml").write_text(text, encoding="utf-8")
    books = load_rulebooks(root)
    traveller = person("2380", permits=(Permit(Service.RIKSFARDTJANST, "2380", date(2026, 1, 1)),))
    decision = assess(
        AssessmentRequest(
            traveller, trip(Service.RIKSFARDTJANST, "2380", (leg(90, destination="0180"),))
        ),
        books,
    )
    assert decision.legs[0].fee_ore == 9500
    assert decision.rulebooks[0].file == "rulebooks/2380/riksfardtjanst.toml"


def test_a_principal_without_the_services_rulebook_is_a_rule_error(
    rulebooks: RulebookSet,
) -> None:
    """Every service has rules now; a principal that does not run it has no rulebook."""
    request = AssessmentRequest(
        person("2380"), trip(Service.ANROPSSTYRD_LINJETRAFIK, "2380", (leg(5),))
    )
    with pytest.raises(RuleError, match="no anropsstyrd_linjetrafik rulebook for principal"):
        assess(request, rulebooks)


def test_trip_day_is_the_swedish_local_date() -> None:
    """23:30 UTC on 3 March is 00:30 on 4 March in Stockholm: the 4th selects the version."""
    late = Leg("outward", datetime(2026, 3, 3, 23, 30, tzinfo=UTC), Decimal(5), "2380", "2380")
    assert trip(Service.SJUKRESA, "23", (late,)).day == date(2026, 3, 4)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (
            lambda: Leg("there", datetime(2026, 3, 4, tzinfo=UTC), Decimal(1), "a", "a"),
            "leg.direction",
        ),
        (lambda: Leg("outward", datetime(2026, 3, 4), Decimal(1), "a", "a"), "leg.depart_at"),
        (lambda: leg(-1), "leg.distance_km"),
        (lambda: person("2380", age=-2), "traveller.age"),
        (lambda: Companion(CompanionKind.CHILD), "companion.age"),
        (
            lambda: Permit(Service.FARDTJANST, "2280", date(2026, 2, 1), date(2026, 1, 1)),
            "permit.valid_until",
        ),
        (lambda: trip(Service.SJUKRESA, "23", ()), "trip.legs"),
    ],
)
def test_bad_facts_name_their_field(make: object, field: str) -> None:
    with pytest.raises(InputError) as error:
        make()  # type: ignore[operator]
    assert error.value.field == field
