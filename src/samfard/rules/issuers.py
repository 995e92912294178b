"""Only certified issuers may issue travel certificates (intyg): a pure check.

An issuer is certified when its staff passed the course and the certification had not
lapsed on the day the certificate was written. A certificate from anyone else is refused,
and the refusal says which of the two failed so the care unit knows what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from samfard.rules.facts import Certificate, Issuer, Mode


@dataclass(frozen=True)
class IssuerCheck:
    accepted: bool
    reason: str


def check_issuer(certificate: Certificate, issuers: Iterable[Issuer]) -> IssuerCheck:
    """Accept a certificate only from an issuer certified on the day it was issued."""
    unit = certificate.issuer_unit
    issuer = next((i for i in issuers if i.unit == unit), None)
    if issuer is None:
        return IssuerCheck(False, f"{unit} is not a registered certificate issuer")
    if issuer.course_passed_on is None or issuer.course_passed_on > certificate.issued_on:
        return IssuerCheck(
            False,
            f"{unit} had not passed the issuer course when the certificate was issued "
            f"on {certificate.issued_on}",
        )
    if issuer.certified_until is None or issuer.certified_until < certificate.issued_on:
        return IssuerCheck(
            False,
            f"{unit}'s certification lapsed on {issuer.certified_until}, before the "
            f"certificate was issued on {certificate.issued_on}",
        )
    return IssuerCheck(True, f"{unit} is certified until {issuer.certified_until}")


def find_certificate(
    certificates: Iterable[Certificate],
    issuers: Iterable[Issuer],
    *,
    mode: Mode,
    days: tuple[date, ...],
    booked_on: date,
    needs_return: bool,
) -> tuple[Certificate | None, str]:
    """The first certificate that covers the mode, all leg days and the return if needed,
    was issued in advance (on or before the booking day) by a certified issuer.
    Returns it, or None and why the best candidate failed."""
    issuer_list = tuple(issuers)
    why = f"no certificate for {mode.value}"
    for cert in certificates:
        if mode not in cert.modes:
            continue
        if not all(cert.valid_from <= day <= cert.valid_until for day in days):
            why = f"the certificate is valid {cert.valid_from} to {cert.valid_until} only"
            continue
        if cert.issued_on > booked_on:
            why = f"the certificate was issued on {cert.issued_on}, after the booking"
            continue
        if needs_return and not cert.covers_return:
            why = "the certificate does not cover the return trip"
            continue
        check = check_issuer(cert, issuer_list)
        if not check.accepted:
            why = check.reason
            continue
        return cert, check.reason
    return None, why
