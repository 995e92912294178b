"""Only certified issuers' certificates count: unknown, untrained or lapsed issuers are
refused with the reason, as a pure check."""

from __future__ import annotations

from datetime import date

import pytest

from samfard.rules import Certificate, Issuer, Mode, check_issuer

ISSUED = date(2026, 3, 1)


def certificate(unit: str) -> Certificate:
    return Certificate(unit, ISSUED, ISSUED, date(2026, 6, 1), (Mode.TAXI,))


@pytest.mark.parametrize(
    ("issuer", "accepted", "reason"),
    [
        (Issuer("VC Timrå", date(2025, 1, 1), date(2027, 1, 1)), True, "certified until"),
        (Issuer("VC Timrå", None, date(2027, 1, 1)), False, "had not passed the issuer course"),
        (Issuer("VC Timrå", date(2026, 3, 2), date(2027, 1, 1)), False, "had not passed"),
        (Issuer("VC Timrå", date(2024, 1, 1), date(2026, 2, 28)), False, "lapsed on 2026-02-28"),
        (Issuer("VC Timrå", date(2024, 1, 1), None), False, "lapsed"),
        (Issuer("VC Kramfors", date(2024, 1, 1), date(2027, 1, 1)), False, "not a registered"),
    ],
)
def test_issuer_check(issuer: Issuer, accepted: bool, reason: str) -> None:
    check = check_issuer(certificate("VC Timrå"), [issuer])
    assert check.accepted is accepted
    assert reason in check.reason
