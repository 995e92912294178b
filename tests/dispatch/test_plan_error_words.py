"""A fault the verifier finds in a running day or a re-plan reaches the controller's alert
in Swedish, counted by kind (`dispatch.words_sv.findings_sv`); the English details go to
the log (the alerts carried them)."""

from __future__ import annotations

from samfard.dispatch.words_sv import VIOLATIONS_SV, findings_sv
from samfard.planning.verifier import Violation, ViolationKind


def test_every_kind_of_finding_has_swedish_words() -> None:
    assert set(VIOLATIONS_SV) == set(ViolationKind)
    found = [
        Violation(ViolationKind.PROMISE, "b1.0", "late"),
        Violation(ViolationKind.CAPACITY, "3", "seats"),
        Violation(ViolationKind.PROMISE, "b2.0", "late"),
    ]
    assert findings_sv(found) == "2 utlovad tid som bryts, 1 fler resenärer än platser"
