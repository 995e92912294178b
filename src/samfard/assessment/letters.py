"""The decision letter (beslutsbrev) to the traveller, in Swedish, as a small HTML page.

A person must be able to read what was decided, why, what it costs and how to appeal,
without knowing the rulebooks. The engine's reasons are stable codes with English text;
the codes the traveller cares about are given Swedish sentences here, and every reason
still names the rule it rests on, so a case officer can look it up. Text is escaped: names
and addresses come from the register and are never trusted as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import Any

from samfard.money import format_kr
from samfard.timeutil import STOCKHOLM

SERVICES_SV = {
    "sjukresa": "sjukresa",
    "fardtjanst": "färdtjänst",
    "riksfardtjanst": "riksfärdtjänst",
    "nartrafik": "närtrafik",
    "anropsstyrd_linjetrafik": "anropsstyrd linjetrafik",
}

MODES_SV = {
    "public_transport": "buss eller tåg",
    "train": "tåg",
    "own_car": "egen bil",
    "taxi": "taxi",
    "wheelchair_vehicle": "rullstolsfordon",
    "stretcher_vehicle": "liggande transport",
    "flight": "flyg",
}

# Swedish sentences for the reasons a traveller is told about, by reason code prefix.
REASONS_SV = {
    "purpose.not_reimbursed": "Besöket är inte en sådan vård som regionen ersätter resor till.",
    "purpose.unlisted": "Besökets syfte finns inte i reglerna; en handläggare bedömer det.",
    "purpose.missing": "Resans syfte saknas.",
    "purpose.reimbursed": "Besöket är sådan vård som regionen ersätter resor till.",
    "purpose.sjukresa": (
        "Resor till vård är sjukresor som regionen betalar, inte färdtjänst eller "
        "riksfärdtjänst. Beställ resan som sjukresa."
    ),
    "trip.within_municipality": (
        "Riksfärdtjänst gäller resor mellan kommuner. Inom en kommun kan färdtjänst gälla."
    ),
    "principal.not_home": "Resan betalas av den region eller kommun där du är folkbokförd.",
    "authorisation.no_certificate": (
        "Resan kräver ett sjukreseintyg som vårdenheten har skrivit i förväg, och något "
        "giltigt intyg från en behörig intygsutfärdare finns inte."
    ),
    "authorisation.certificate": "Du har ett giltigt sjukreseintyg för färdsättet.",
    "authorisation.needs_decision": "Färdsättet kräver ett beslut av en handläggare.",
    "authorisation.decision": "Du har ett gällande beslut om färdsättet.",
    "booking.late": "Resan beställdes senare än reglerna kräver.",
    "destination.nearest": "Du reser till närmaste vårdenhet av sitt slag.",
    "destination.referral": "Du reser med remiss till en vårdenhet längre bort.",
    "destination.as_nearest": "Resan ersätts som om du rest till närmaste vårdenhet.",
    "fee.ceiling": (
        "Högkostnadsskyddet begränsar din egenavgift: du betalar högst det som återstår "
        "upp till taket."
    ),
    "fee.patient_free": "Barn och unga betalar ingen egenavgift.",
    "mode.none_fits": "Inget färdsätt som betalas passar dina behov.",
    "mode.not_allowed": "Det begärda färdsättet betalas inte eller passar inte dina behov.",
    "permit.missing": "Du saknar giltigt tillstånd för färdtjänst eller riksfärdtjänst.",
    "permit.valid": "Du har ett giltigt tillstånd.",
    "permit.special_vehicle": "Ditt tillstånd gäller specialfordon (till exempel "
    "rullstolsbil), inte vanlig taxi.",
    "needs.ride_alone": "Ensamåkning beviljas bara av medicinska skäl, efter bedömning.",
    "companion.needs_decision": "En medresenär kräver ett beslut.",
    "area.outside": "Resan går utanför ditt färdtjänstområde.",
    "area.inside": "Resan går inom ditt färdtjänstområde.",
    "hours.outside_window": "Resan ligger utanför trafiktiden.",
}


TRANSIT_SV = {
    "possible": "Kan resa kollektivt",
    "not_possible": "Ingen kollektivtrafik inom reglerna",
    "exempt": "Intyg, beslut eller tillstånd säger att resenären inte kan resa kollektivt",
    "unchecked": "Kollektivtrafiken är inte prövad mot en tidtabell",
}


def transit_reason_sv(reason: Mapping[str, Any]) -> str | None:
    """A public-transport reason in Swedish with each leg's journey or why there is none
    ("Kan resa kollektivt: utresa: buss 45 08:05–09:40, 1 byte; …"); None for others."""
    code = str(reason.get("code", ""))
    head = TRANSIT_SV.get(code.removeprefix("public_transport."))
    if not code.startswith("public_transport.") or head is None:
        return None
    facts = dict(reason.get("facts") or [])
    legs = "; ".join(
        f"{'utresa' if name == 'outward' else 'retur'}: {facts[name]}"
        for name in ("outward", "homeward")
        if facts.get(name)
    )
    return f"{head}: {legs}" if legs else head


def transit_sv(decision: Mapping[str, Any]) -> list[str]:
    """The public-transport check of a stored decision in Swedish, a line per verdict."""
    lines = (transit_reason_sv(r) for r in decision.get("reasons") or [])
    return [line for line in lines if line is not None]


@dataclass(frozen=True)
class LetterLeg:
    departure: datetime
    origin: str
    destination: str


def reason_sv(reason: Mapping[str, Any]) -> str:
    """The Swedish sentence for a stored reason, with the rule it rests on."""
    code = str(reason.get("code", ""))
    text = transit_reason_sv(reason) or next(
        (sv for key, sv in REASONS_SV.items() if code.startswith(key)), None
    )
    citation = reason.get("citation") or {}
    rule = f" (regel: {citation['file']}, {citation['key']})" if citation else ""
    if text is None:
        return f"{reason.get('text', code)}{rule}"
    return f"{text}{rule}"


def _verdict(status: str) -> str:
    if status == "denied":
        return "Din ansökan om resa har avslagits."
    if status == "requested":
        return "Din resa väntar på bedömning av en handläggare. Du får ett nytt beslut."
    if status == "cancelled":
        return "Resan är avbokad."
    return "Din resa är beviljad."


def _fees(decision: Mapping[str, Any]) -> str:
    legs = decision.get("legs") or []
    if not legs:
        return "<p>Ingen egenavgift är beräknad för resan.</p>"
    rows = "".join(
        f"<tr><td>{'Utresa' if leg['direction'] == 'outward' else 'Returresa'}</td>"
        f"<td>{escape(MODES_SV.get(leg['mode'], leg['mode']))}</td>"
        f"<td>{format_kr(int(leg['fee_ore']))}</td></tr>"
        for leg in legs
    )
    total = format_kr(int(decision.get("fee_ore", 0)))
    return (
        "<table><tr><th>Resa</th><th>Färdsätt</th><th>Egenavgift</th></tr>"
        f"{rows}<tr><th colspan=2>Att betala</th><th>{total}</th></tr></table>"
    )


def render_letter(
    *,
    reference: str,
    service: str,
    principal_name: str,
    traveller_name: str,
    status: str,
    decision: Mapping[str, Any],
    legs: Sequence[LetterLeg],
    written_on: date,
) -> str:
    """The decision letter as a complete HTML document."""
    service_sv = SERVICES_SV.get(service, service)
    shown = [
        r
        for r in decision.get("reasons") or []
        if r.get("effect") in ("refuse", "needs_assessor") or r.get("code") in REASONS_SV
    ]
    reasons = "".join(f"<li>{escape(reason_sv(r))}</li>" for r in shown)
    reasons += "".join(
        f"<li>{escape(text)}</li>"
        for text in decision.get("needs_assessor_because") or []
        if not shown and text
    )
    person = decision.get("assessor") or {}
    assessor = f"<p>Handläggarens motivering: {escape(str(person['reason']))}</p>" if person else ""
    trips = "".join(
        f"<li>{leg.departure.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}: "
        f"{escape(leg.origin)} – {escape(leg.destination)}</li>"
        for leg in legs
    )
    mode = decision.get("chosen_mode")
    mode_line = f"<p>Färdsätt: {escape(MODES_SV.get(mode, mode))}</p>" if mode else ""
    return f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8">
<title>Beslut om {escape(service_sv)} {escape(reference)}</title></head>
<body>
<h1>Beslut om {escape(service_sv)}</h1>
<p>{escape(principal_name)}, {written_on.isoformat()}</p>
<p>Till: {escape(traveller_name)}<br>Ärende: {escape(reference)}</p>
<h2>Beslut</h2>
<p>{_verdict(status)}</p>
{mode_line}
<h2>Resor</h2>
<ul>{trips}</ul>
<h2>Egenavgift</h2>
{_fees(decision)}
<h2>Skäl för beslutet</h2>
<ul>{reasons}</ul>
{assessor}
<h2>Hur du överklagar</h2>
<p>Du kan överklaga beslutet till förvaltningsrätten. Skriv vilket beslut du överklagar
och hur du vill att det ändras, och skicka överklagandet till {escape(principal_name)}.
Överklagandet ska ha kommit in inom tre veckor från den dag du fick del av beslutet.</p>
</body></html>
"""
