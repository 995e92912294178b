"""The decision letter (beslutsbrev) to the traveller, in Swedish, as a small HTML page.

A person must be able to read what was decided, why, what it costs and how to appeal,
without knowing the rulebooks. The engine's reasons are stable codes with English text;
the letter gives what refused the trip and what the traveller cares about as Swedish
sentences (`words_sv`), each once, and names the rules it rests on by their principal and
version; the assessor's page cites each reason's rule. Text is escaped: names and addresses
come from the register and are never trusted as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import Any

from samfard.assessment.words_sv import MODES_SV, reasons_sv, why_sv
from samfard.dates_sv import date_sv
from samfard.money import format_kr
from samfard.rules.decision import companion_fees
from samfard.rules.in_force import SERVICES_SV
from samfard.timeutil import STOCKHOLM

# Reasons that say only that a person must decide: the traveller's answer once one has.
PERSON_MUST_DECIDE = frozenset({"authorisation.needs_decision", "companion.needs_decision"})

# What a traveller is told besides what refused the trip or sent it to an assessor.
LETTER_CODES = (
    "purpose.",
    "trip.within_municipality",
    "principal.not_home",
    "authorisation.",
    "booking.late",
    "destination.nearest",
    "destination.referral",
    "destination.as_nearest",
    "fee.ceiling",
    "fee.patient_free",
    "mode.none_fits",
    "mode.not_allowed",
    "permit.missing",
    "permit.valid",
    "permit.special_vehicle",
    "needs.ride_alone",
    "companion.needs_decision",
    "area.",
    "hours.outside_window",
    "public_transport.",
)


@dataclass(frozen=True)
class LetterLeg:
    """A trip of the letter: the time asked, which is the appointment when one was given."""

    at: datetime
    appointment: bool
    origin: str
    destination: str


def _from_sv(valid_from: object) -> str:
    """The rulebook version's first day in words, as the rest of the letter's dates."""
    try:
        return date_sv(date.fromisoformat(str(valid_from)), "long")
    except ValueError:
        return str(valid_from or "")


def _reason_lines(decision: Mapping[str, Any], status: str) -> list[str]:
    """The decision's reasons for the traveller, each once. A denial gives what refused the
    trip (and, when a person denied it, what sent it to them), not what spoke for it; an
    approval also what a traveller meets (LETTER_CODES). Once decided, a reason that only
    said a person had to decide is left out: `_decided_by` says who did. A person's own
    reason (motivering) closes the list."""
    by_person = decision.get("decided_by") == "assessor"
    held = []
    for r in decision.get("reasons") or []:
        effect, code = r.get("effect"), str(r.get("code", ""))
        if status == "denied":
            wanted = effect == "refuse" or (by_person and effect == "needs_assessor")
        else:
            wanted = effect in ("refuse", "needs_assessor") or code.startswith(LETTER_CODES)
        if wanted and not (status != "requested" and code in PERSON_MUST_DECIDE):
            held.append(r)
    lines = reasons_sv(held) if held or status != "requested" else why_sv(decision, status)
    person = decision.get("assessor") or {}
    if by_person and person.get("reason"):
        lines.append(f"Handläggarens motivering: {person['reason']}")
    return lines


def _decided_by(decision: Mapping[str, Any], status: str) -> str:
    """Who took the decision, in place of reasons saying a person must take it."""
    if decision.get("outcome") in (None, "needs_assessor"):  # waiting, or cancelled so
        waiting = status == "requested"
        return "En handläggare vid beställningscentralen fattar beslutet." if waiting else ""
    if decision.get("decided_by") == "assessor":
        return "Beslutet är fattat av en handläggare vid beställningscentralen."
    return "Beslutet är fattat enligt reglerna, utan handläggare."


def _verdict(status: str) -> str:
    if status == "denied":
        return "Din ansökan om resa har avslagits."
    if status == "requested":
        return "Din resa väntar på bedömning av en handläggare. Du får ett nytt beslut."
    if status == "cancelled":
        return "Resan är avbokad."
    return "Din resa är beviljad."


def _fees(decision: Mapping[str, Any]) -> str:
    """Each leg's fee, and the companions' beside it where they pay (medresenärer pay
    their own fee, outside the traveller's ceiling); the total is what the party pays."""
    legs = decision.get("legs") or []
    if not legs:
        return "<p>Ingen egenavgift är beräknad för resan.</p>"
    companions = companion_fees(decision.get("companions") or ())
    extra = "<th>Medresenärer</th>" if companions else ""
    rows = "".join(
        f"<tr><td>{'Utresa' if leg['direction'] == 'outward' else 'Returresa'}</td>"
        f"<td>{escape(MODES_SV.get(leg['mode'], leg['mode']))}</td>"
        f"<td>{format_kr(int(leg['fee_ore']))}</td>"
        + (f"<td>{format_kr(companions.get(leg['leg_index'], 0))}</td>" if companions else "")
        + "</tr>"
        for leg in legs
    )
    total = format_kr(int(decision.get("fee_ore", 0)) + sum(companions.values()))
    span = 3 if companions else 2
    return (
        f"<table><tr><th>Resa</th><th>Färdsätt</th><th>Egenavgift</th>{extra}</tr>"
        f"{rows}<tr><th colspan={span}>Att betala</th><th>{total}</th></tr></table>"
    )


def render_letter(
    *,
    reference: str,
    service: str,
    principal_name: str,
    traveller_name: str,
    traveller_address: str | None,
    status: str,
    decision: Mapping[str, Any],
    legs: Sequence[LetterLeg],
    written_on: date,
) -> str:
    """The decision letter as a complete HTML document."""
    service_sv = SERVICES_SV.get(service, service)
    lines = _reason_lines(decision, status)
    reasons = "".join(f"<li>{escape(line)}</li>" for line in lines)
    books = decision.get("rulebooks") or []
    grounds = (
        f"<p>Beslutet grundas på reglerna för {escape(service_sv)} hos {escape(principal_name)}, "
        f"i den lydelse som gäller från {escape(_from_sv(books[0].get('valid_from')))}.</p>"
        if books
        else ""
    )
    trips = "".join(
        f"<li>{date_sv(leg.at, 'day')}, "
        f"{'framme senast' if leg.appointment else 'hämtas'} {leg.at.astimezone(STOCKHOLM):%H:%M}: "
        f"{escape(leg.origin)} – {escape(leg.destination)}</li>"
        for leg in legs
    )
    to = escape(traveller_name) + (f"<br>{escape(traveller_address)}" if traveller_address else "")
    mode = None if status == "denied" else decision.get("chosen_mode")  # nothing granted
    mode_line = f"<p>Färdsätt: {escape(MODES_SV.get(mode, mode))}</p>" if mode else ""
    return f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8">
<title>Beslut om {escape(service_sv)} {escape(reference)}</title></head>
<body>
<h1>Beslut om {escape(service_sv)}</h1>
<p>{escape(principal_name)}, {date_sv(written_on, "long")}</p>
<p>Till: {to}</p>
<p>Ärende: {escape(reference)}</p>
<h2>Beslut</h2>
<p>{_verdict(status)}</p>
{mode_line}
<h2>Resor</h2>
<ul>{trips}</ul>
{"" if status == "denied" else "<h2>Egenavgift</h2>" + _fees(decision)}
<h2>Skäl för beslutet</h2>
{f"<ul>{reasons}</ul>" if reasons else ""}
{f"<p>{by}</p>" if (by := _decided_by(decision, status)) else ""}
{grounds}
<h2>Hur du överklagar</h2>
<p>Du kan överklaga beslutet till förvaltningsrätten. Skriv vilket beslut du överklagar
och hur du vill att det ändras, och skicka överklagandet till {escape(principal_name)}.
Överklagandet ska ha kommit in inom tre veckor från den dag du fick del av beslutet.</p>
</body></html>
"""
