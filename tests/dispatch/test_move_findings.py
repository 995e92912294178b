"""A move answers for what it changes: the verifier's findings the stored plan had, word
for word, refuse nothing (a run reported late keeps its broken promises whatever is
moved); a new finding, or an old one the move changed, refuses it."""

from __future__ import annotations

from samfard.dispatch.move_fit import added_findings
from samfard.planning.verifier import Violation, ViolationKind

LATE = Violation(ViolationKind.PROMISE, "b1.0", "pickup at 40200 breaks promise [39000, 39900]")
LATER = Violation(ViolationKind.PROMISE, "b1.0", "pickup at 40800 breaks promise [39000, 39900]")
NEW = Violation(ViolationKind.MAX_RIDE, "b2.0", "rides 3000, limit 2400")


def test_a_finding_the_plan_had_as_it_was_refuses_nothing() -> None:
    assert added_findings([LATE], [LATE]) == ()


def test_a_new_finding_refuses_the_move() -> None:
    assert added_findings([LATE, NEW], [LATE]) == (NEW,)


def test_an_old_finding_the_move_made_worse_refuses_it() -> None:
    assert added_findings([LATER], [LATE]) == (LATER,)


def test_a_finding_the_move_cleared_is_no_concern() -> None:
    assert added_findings([], [LATE, NEW]) == ()
