"""How /intyg and /enheter speak of certificates and issuers: when a certificate holds,
said as days, and who issued it, by name as the register stores it, never by the
account's login name."""

from __future__ import annotations

from datetime import date

from samfard.care import certificates
from samfard.care.schemas import CareCertificatePublic
from samfard.course.service import PLACEHOLDER_HSA, Expiring
from samfard.course.words import MODES_SV
from samfard.dates_sv import date_sv
from samfard.rules.facts import Mode
from samfard.travellers.models import Certificate, RegisteredVia


def mode_choices() -> list[tuple[str, str]]:
    """The modes a care certificate allows, as (value, Swedish name) in the form's order."""
    return [
        (m.value, MODES_SV[m].capitalize())
        for m in (
            Mode.PUBLIC_TRANSPORT,
            Mode.TAXI,
            Mode.WHEELCHAIR_VEHICLE,
            Mode.STRETCHER_VEHICLE,
        )
    ]


def issued_sv(certificate: CareCertificatePublic | None, today: date) -> str:
    """What the nurse is told once a certificate is issued: from and to which day it holds,
    said as days ("tisdag 8 december 2026"), not "from now" of one that begins tomorrow.
    Only of a certificate the unit's list shows (the page's address names it)."""
    if certificate is None:
        return "Sjukreseintyget är utfärdat."
    first = date_sv(certificate.valid_from, "day")
    if certificate.valid_from <= today:
        first = f"i dag, {first}"
    return (
        f"Sjukreseintyget är utfärdat för {certificate.traveller_name} och gäller från och "
        f"med {first} till och med {date_sv(certificate.valid_until, 'day')}, för nya bokningar."
    )


def issuer_sv(certificate: CareCertificatePublic | Certificate) -> str:
    """Who issued a certificate, in the page's words: the issuer's name as the register
    stores it, else their role and unit. One the booking centre registered (a paper
    certificate, `registered_via` "centre") says so beside the issuer it names, since
    /intyg said "registrerat av Sjuksköterska vid …" of the centre's work. Only that one:
    every certificate with no account stored on it was said to be the centre's, a care
    unit's through the register API too; where who registered it is not recorded (before
    migration 0026) the issuer alone is named. Never the account's login name."""
    name = (
        certificate.issuer_name
        if isinstance(certificate, CareCertificatePublic)
        else certificates.issuer_name(certificate)
    )
    if certificate.registered_via == RegisteredVia.CENTRE:
        return f"{name}, registrerat av {CENTRE_SV}" if name else CENTRE_SV
    return name or f"intygsutfärdare vid {certificate.unit}"


CENTRE_SV = "beställningscentralen"


def expiring_sv(rows: list[Expiring]) -> list[dict[str, object]]:
    """The certifications about to lapse as /enheter shows them. An issuer the course
    created for an account made without a name holds the login as name and the placeholder
    HSA-id `SAMFARD-<login>`: said as the role ("intygsutfärdare") and as no HSA-id, not as
    "vard-sundsvalls-sjukhus-2" twice."""
    shown = []
    for row in rows:
        placeholder = row.hsa_id.startswith(PLACEHOLDER_HSA)
        login = row.hsa_id.removeprefix(PLACEHOLDER_HSA) if placeholder else None
        shown.append(
            {
                "unit": row.unit,
                "name": "intygsutfärdare (namn saknas)" if row.name == login else row.name,
                "hsa_id": "inte i HSA-katalogen" if placeholder else row.hsa_id,
                "certified_until": row.certified_until,
                "days_left": row.days_left,
            }
        )
    return shown


def status_sv(certificate: CareCertificatePublic, today: date) -> str | None:
    """Why a certificate of the list can no longer be revoked ("Återkallat 20 november 2026",
    "Utgånget 30 november 2026": its last day has passed, it approves nothing), or None for one
    that holds, which the list offers to revoke. Expired ones offered "Återkalla"."""
    if certificate.revoked_at is not None:
        return f"Återkallat {date_sv(certificate.revoked_at, 'long')}"
    if certificate.valid_until < today:
        return f"Utgånget {date_sv(certificate.valid_until, 'long')}"
    return None


def listed_sv(shown: int, total: int, search: str) -> str:
    """How much of the unit's list the page shows: it stopped at 200 without a word. The
    search is not repeated in the sentence (it stands in its field): words from the
    address would let a link make the page say anything (tests/web/test_query_messages.py)."""
    if search and not total:
        return "Inga av enhetens intyg gäller en patient som matchar sökningen."
    found = " som matchar sökningen" if search else ""
    if shown < total:
        return (
            f"{shown} av {total} intyg{found} visas, senaste först. Sök på personnummer eller "
            "namn för att hitta ett äldre."
        )
    return f"{total} intyg{found}, senaste först."
