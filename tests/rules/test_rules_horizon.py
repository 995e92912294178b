"""The booking horizon comes from the rulebook in force, or Samfard's default."""

from __future__ import annotations

from datetime import date

from samfard.booking.horizon import DEFAULT_HORIZON_DAYS, horizon_for

TODAY = date(2026, 11, 20)


def test_rulebooks_name_their_horizon() -> None:
    assert horizon_for("22", "sjukresa", today=TODAY).days == 180
    assert horizon_for("22", "sjukresa", today=TODAY).source == "rulebooks/22/sjukresa.toml"
    assert horizon_for("2281", "fardtjanst", today=TODAY).days == 90


def test_without_a_horizon_in_the_rulebook_the_default_applies() -> None:
    assert horizon_for("23", "sjukresa", today=TODAY).days == DEFAULT_HORIZON_DAYS
    assert horizon_for("2380", "riksfardtjanst", today=TODAY).days == DEFAULT_HORIZON_DAYS
    assert horizon_for("23", "no-such-service", today=TODAY).days == DEFAULT_HORIZON_DAYS
