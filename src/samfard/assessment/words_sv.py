"""The assessment in Swedish: services, modes, each reason of a decision, the facts line.

The engine's reasons are stable codes with English texts for developers and logs; every
page and letter says them in Swedish, from the code and the facts the reason carries.
A few figures live only in the English text (the leg, the fee in öre, the distance), and
are read from it here: the texts are the engine's own and change with it, and a text
that gives no figure leaves the sentence without it, never wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from samfard.course.words import PURPOSES_SV as CARE_PURPOSES_SV
from samfard.dates_sv import date_sv
from samfard.money import format_kr
from samfard.rules.facts import Mode
from samfard.rules.in_force import SERVICES_SV, rulebook_sv
from samfard.rules.loader import shipped_rulebooks

MODES_SV = {
    "public_transport": "buss eller tåg",
    "train": "tåg",
    "own_car": "egen bil",
    "taxi": "taxi",
    "wheelchair_vehicle": "rullstolsfordon",
    "stretcher_vehicle": "liggande transport",
    "flight": "flyg",
}

# The care purposes in the course's words, and the purposes of other trips.
PURPOSES_SV = {
    **CARE_PURPOSES_SV,
    "referral": "remiss till annan vårdgivare",
    "shopping": "inköp",
    "leisure": "fritid",
    "visit": "besök hos någon",
    "work": "arbete",
}

NEEDS_SV = {
    "wheelchair": "rullstol",
    "stretcher": "bår",
    "rollator": "rollator",
    "front_seat": "framsäte",
    "ride_alone": "ensamåkning",
    "guide_dog": "ledarhund",
    "oxygen": "syrgas",
}

# The sentence for each reason code, by prefix; {leg} is "Resa 1: " where the reason is one
# leg's, {kr} the amount the text names, {km} its distance, other names the reason's facts.
REASONS_SV = {
    "accommodation.offered": "Billigaste färdsättet skulle avgå {departure} och komma hem "
    "{home}: övernattning betalas.",
    "area.inside": "Resan går inom ditt färdtjänstområde.",
    "area.outside": "Resan går utanför ditt färdtjänstområde; riksfärdtjänst kan gälla.",
    "area.quota_used": "Årets resor utanför färdtjänstområdet är redan använda ({used}).",
    "area.quota": "Resan går utanför färdtjänstområdet och ryms i årets antal sådana resor.",
    "authorisation.no_certificate": (
        "Resan kräver ett sjukreseintyg som vårdenheten har skrivit i förväg, och något "
        "giltigt intyg från en behörig intygsutfärdare finns inte."
    ),
    "authorisation.certificate": "Du har ett giltigt sjukreseintyg för färdsättet.",
    "authorisation.needs_decision": "Färdsättet kräver ett beslut av en handläggare.",
    "authorisation.decision": "Du har ett gällande beslut om färdsättet.",
    "booking.after_deadline": "Resan beställdes efter sista beställningstid "
    "({deadline_min} minuter före avgång).",
    "booking.late": "Resan beställdes senare än reglerna kräver.",
    "claim.too_late": "Ersättningen söktes för sent ({claimed_on}).",
    "companion.child_patient": "Medresenären åker utan avgift: patienten är {patient_age} år.",
    "companion.escort_free": "Ledsagaren åker utan avgift.",
    "companion.escort_not_in_permit": "Tillståndet har ingen ledsagare; en handläggare avgör.",
    "companion.fellow_passenger_not_in_permit": (
        "Tillståndet medger ingen medresenär; en handläggare avgör."
    ),
    "companion.fee": "Medresenären betalar {kr} per enkelresa.",
    "companion.free_disability": "Medresenären åker utan avgift: patienten har en "
    "funktionsnedsättning som reglerna anger.",
    "companion.free_patient_over_age": "Medresenären åker utan avgift: patienten är "
    "{patient_age} år.",
    "companion.needs_decision": "En medresenär kräver ett beslut.",
    "companion.pays_as_holder": "Medresenären betalar som tillståndshavaren.",
    "cost.asylum_account": "Boende på asylboende: resan bokförs på asylkontot.",
    "destination.foreign_needs_referral": "Resor till vården i Norge betalas bara med remiss.",
    "destination.foreign_referral": "Remiss till vård i Norge: hemregionens avgifter gäller.",
    "destination.nearest": "Du reser till närmaste vårdenhet av sitt slag.",
    "destination.referral": "Du reser med remiss till en vårdenhet längre bort.",
    "destination.as_nearest": "Resan ersätts som om du rest till närmaste vårdenhet.",
    "eligibility.far_from_stop": "Det är {km} km till närmaste hållplats.",
    "eligibility.near_stop": "Närmaste hållplats är bara {km} km bort; närtrafik är för den "
    "som bor längre från en hållplats.",
    "fee.band": "{leg}{km} km: egenavgift {kr}.",
    "fee.bus_fare": "{leg}egenavgiften räknas på bussens taxa: {kr}.",
    "fee.ceiling": (
        "Högkostnadsskyddet begränsar din egenavgift: du betalar högst det som återstår "
        "upp till taket."
    ),
    "fee.child_holder": "{leg}barn och unga betalar reducerad egenavgift: {kr}.",
    "fee.fare_band": "{leg}ordinarie biljettpris för {km} km: {kr}.",
    "fee.leg": "{leg}egenavgift {kr}.",
    "fee.no_band": "{leg}inget avgiftsband täcker {km} km; en handläggare avgör.",
    "fee.outside_area": "{leg}{km} km utanför färdtjänstområdet: {kr}.",
    "fee.patient_free": "Barn och unga betalar ingen egenavgift.",
    "fee.reduced": "{leg}den som är under 26 år eller studerar betalar reducerad avgift: {kr}.",
    "fee.reimbursement": "{leg}ersättning för resa med egen bil, {km} km.",
    "hours.night": "Ingen färdtjänst körs mellan {night}.",
    "hours.outside_window": "Resan ligger utanför trafiktiden ({windows}).",
    "line.departure": "{leg}linje {line}, avgång enligt tidtabell.",
    "line.full": "{leg}linje {line} har inga lediga platser den avgången.",
    "line.no_departure": "{leg}ingen avgång med anropsstyrd linje går då; välj en avgång "
    "ur tidtabellen: {offered}.",
    "line.other_authority": "{leg}linje {line} körs av en annan trafikhuvudman.",
    "mode.none_fits": "Inget färdsätt som betalas passar dina behov.",
    "mode.not_allowed": "Det begärda färdsättet betalas inte eller passar inte dina behov.",
    "needs.ride_alone": "Ensamåkning beviljas bara av medicinska skäl, efter bedömning.",
    "permit.missing": "Du saknar giltigt tillstånd för färdtjänst eller riksfärdtjänst.",
    "permit.not_resident": "Färdtjänst betalas av kommunen där du är folkbokförd.",
    "permit.valid": "Du har ett giltigt tillstånd.",
    "permit.special_vehicle": "Ditt tillstånd gäller specialfordon (till exempel "
    "rullstolsbil), inte vanlig taxi.",
    "principal.not_home": "Resan betalas av den region eller kommun där du är folkbokförd.",
    "purpose.not_reimbursed": "Besöket är inte en sådan vård som regionen ersätter resor till.",
    "purpose.unlisted": "Besökets syfte finns inte i reglerna; en handläggare bedömer det.",
    "purpose.missing": "Resans syfte saknas.",
    "purpose.reimbursed": "Besöket är sådan vård som regionen ersätter resor till.",
    "purpose.sjukresa": (
        "Resor till vård är sjukresor som regionen betalar, inte färdtjänst eller "
        "riksfärdtjänst. Beställ resan som sjukresa."
    ),
    "route.not_to_nearest_stop": "{leg}närtrafik går mellan dörren och närmaste hållplats.",
    "trip.within_municipality": (
        "Riksfärdtjänst gäller resor mellan kommuner. Inom en kommun kan färdtjänst gälla."
    ),
}

# A permit condition asked for but not granted, or granted (permit.front_seat, .ride_alone,
# and the vehicle's: .allergy_free, .guide_dog).
CONDITIONS_SV = {
    "front_seat": "plats i framsätet",
    "ride_alone": "ensamåkning",
    "allergy_free": "allergisanerat fordon",
    "guide_dog": "ledarhund i fordonet",
}

TRANSIT_SV = {
    "possible": "Kan resa kollektivt",
    "not_possible": "Ingen kollektivtrafik inom reglerna",
    "exempt": "Intyg, beslut eller tillstånd säger att resenären inte kan resa kollektivt",
    "unchecked": "Kollektivtrafiken är inte prövad mot en tidtabell",
}

_LEG = re.compile(r"^leg (\d+)")
_ORE = re.compile(r"(\d+) öre")
_KM = re.compile(r"(\d+(?:\.\d+)?) km")
_OFFERED = re.compile(r"book a timetabled departure \((.*)\)$")
_WINDOWS = re.compile(r"outside the service windows (.*)$")
_NIGHT = re.compile(r"no service between (\d\d:\d\d) and (\d\d:\d\d)")
_SUMMARY = re.compile(
    r"^(?P<service>\w+) paid by (?P<principal>\S+) on (?P<day>\S+): (?P<legs>\d+) leg\(s\), "
    r"(?P<km>[\d.]+) km, purpose (?P<purpose>\S+), mode (?P<mode>\S+), traveller aged "
    r"(?P<age>\d+) from (?P<home>\S+), (?P<companions>\d+) companion\(s\)$"
)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "–"


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


def _figures(reason: Mapping[str, Any]) -> _Blank:
    """The reason's facts and the figures of its text, ready for a sentence."""
    text = str(reason.get("text", ""))
    values = _Blank({str(k): str(v) for k, v in reason.get("facts") or []})
    leg = _LEG.match(text)
    values["leg"] = f"Resa {int(leg.group(1)) + 1}: " if leg else ""
    ore = _ORE.findall(text)
    if ore:
        values["kr"] = format_kr(int(ore[-1]))
    windows, night = _WINDOWS.search(text), _NIGHT.search(text)
    if windows:
        values["windows"] = windows.group(1).replace("-", "–")
    if night:
        values["night"] = f"{night.group(1)} och {night.group(2)}"
    offered = _OFFERED.search(text)
    if offered:
        values["offered"] = offered.group(1).replace("none that day", "ingen den dagen")
    km = values.get("distance_km") or next(iter(_KM.findall(text)), None)
    if km:
        values["km"] = km.replace(".", ",")
    return values


def _sentence(template: str, values: _Blank) -> str:
    sentence = template.format_map(values)
    if values["leg"] and template.startswith("{leg}"):
        rest = sentence.removeprefix(values["leg"])
        return values["leg"] + rest[:1].upper() + rest[1:] if rest else sentence
    return sentence[:1].upper() + sentence[1:]


def reason_sv(reason: Mapping[str, Any]) -> str:
    """The Swedish sentence for a stored reason (its rule is cited beside it, not in it)."""
    return _reason_in(reason, REASONS_SV)


def _reason_in(reason: Mapping[str, Any], templates: Mapping[str, str]) -> str:
    """A stored reason's sentence from `templates` (the traveller's or staff's)."""
    code = str(reason.get("code", ""))
    transit = transit_reason_sv(reason)
    if transit is not None:
        return transit
    if code == "booking.late":
        late = _late_sv(dict(reason.get("facts") or []))
        if late is not None:
            return late
    if code == "mode.chosen":  # the text begins with the mode chosen
        chosen = MODES_SV.get(str(reason.get("text", "")).split(",")[0].split(";")[0])
        return f"Färdsätt: {chosen}." if chosen else "Färdsättet är valt efter reglerna."
    condition = CONDITIONS_SV.get(code.removeprefix("permit."))
    if condition is not None:
        if reason.get("effect") == "needs_assessor":
            return f"{condition.capitalize()} är begärt men ingår inte i tillståndet."
        return f"Tillståndet medger {condition}."
    template = next((sv for key, sv in templates.items() if code.startswith(key)), None)
    if template is None:
        return str(reason.get("text", code))
    return _sentence(template, _figures(reason))


# Which booking rule a late booking broke, said so that the desk can tell the caller
# (all four read "Resan beställdes senare än reglerna kräver" until the walk-through of
# the seventh session of 2026-12-06); reasons stored before have no `late_rule`.
LATE_SV = {
    "hours_ahead": "Resan beställdes {booked_on} kl. {booked_time}, mindre än {hours} före "
    "avresan kl. {start}.",
    "weekdays": "Resan beställdes {booked_on}, {ahead} före resdagen; reglerna kräver minst "
    "{needed} (helgdagar räknas inte).",
    "previous_weekday": "Resan beställdes {booked_on}, efter {last_day}, sista vardagen före "
    "resdagen.",
    "desk_hours": "Resan beställdes kl. {booked_time}, utanför beställningstiden {opens}–{closes}.",
}


def _late_sv(facts: dict[str, str]) -> str | None:
    template = LATE_SV.get(facts.get("late_rule", ""))
    if template is None:
        return None
    values = _Blank(facts)
    for name in ("booked_on", "last_day"):
        if name in facts:
            values[name] = date_sv(date.fromisoformat(facts[name]), "long")
    for name, one, many in (("hours", "timme", "timmar"), ("ahead", "vardag", "vardagar")):
        if name in facts:
            values[name] = f"{facts[name]} {one if facts[name] == '1' else many}"
    return template.format_map(values)


def reasons_sv(reasons: list[Mapping[str, Any]]) -> list[str]:
    """Each reason's sentence once, in order: a rule said of every leg reads as one line."""
    return list(dict.fromkeys(reason_sv(r) for r in reasons))


def why_sv(decision: Mapping[str, Any] | None, status: str) -> list[str]:
    """Why the rules did not approve, in Swedish, once each, said to the traveller (Mina
    resor, the letter): what refused a denied trip, what sent another to an assessor."""
    return _why(decision, status, reasons_sv)


def why_about_sv(decision: Mapping[str, Any] | None, status: str) -> list[str]:
    """`why_sv` for staff, about the traveller ("Resenären saknar giltigt tillstånd …"):
    the booking desk's operator reads it, and "Du saknar …" spoke to the operator, not of
    the traveller (a walk-through of the demo, 2026-12-06)."""
    return _why(decision, status, reasons_about_sv)


def _why(
    decision: Mapping[str, Any] | None,
    status: str,
    sentences: Callable[[list[Mapping[str, Any]]], list[str]],
) -> list[str]:
    effect = "refuse" if status == "denied" else "needs_assessor"
    held = [r for r in (decision or {}).get("reasons") or [] if r.get("effect") == effect]
    if not held and effect == "needs_assessor" and (decision or {}).get("error_field"):
        # The rules could not assess at all (assessment.service.waiting_for_error).
        return [UNASSESSABLE_SV]
    return sentences(held)


UNASSESSABLE_SV = (
    "Reglerna kan inte bedöma resan: en uppgift de behöver saknas. En handläggare bedömer "
    "den och beräknar egenavgiften."
)


def summary_sv(summary: str, names: Mapping[str, str] | None = None) -> str:
    """The decision's one-line summary of the facts (`rules.engine.input_summary`) in
    Swedish; a summary hidden for a protected identity says so. `names` (principal and
    municipality codes to their names, as the principals register holds them) names the
    payer and the home municipality, which the summary gives only by code."""
    if summary.startswith("hidden"):
        return "Dolt: skyddad identitet."
    found = _SUMMARY.match(summary)
    if found is None:
        return summary
    f = found.groupdict()
    purpose = PURPOSES_SV.get(f["purpose"], f["purpose"]) if f["purpose"] != "-" else "inget"
    mode = "billigaste" if f["mode"] == "cheapest" else MODES_SV.get(f["mode"], f["mode"])
    known = names or {}
    payer = known.get(f["principal"]) or f"huvudman {f['principal']}"
    home = known.get(f["home"]) or f"kommun {f['home']}"
    return (
        f"{SERVICES_SV.get(f['service'], f['service']).capitalize()} som {payer} "
        f"betalar, {f['day']}: {f['legs']} resor, "
        f"{f['km'].replace('.', ',')} km, syfte {purpose}, färdsätt {mode}, resenären "
        f"{f['age']} år från {home}, {f['companions']} medresenärer."
    )


# Staff read about the traveller, not to them: the sentences above that speak to the
# traveller (the letter's "Du", "ditt") in the third person, for the assessor's page and
# the booking desk (tests/assessment/test_reasons_about_traveller.py checks that every
# sentence speaking to the reader has one here).
ABOUT_TRAVELLER_SV = {
    "area.inside": "Resan går inom resenärens färdtjänstområde.",
    "area.outside": "Resan går utanför resenärens färdtjänstområde; riksfärdtjänst kan gälla.",
    "authorisation.certificate": "Resenären har ett giltigt sjukreseintyg för färdsättet.",
    "authorisation.decision": "Resenären har ett gällande beslut om färdsättet.",
    "destination.nearest": "Resmålet är närmaste vårdenhet av sitt slag.",
    "destination.referral": "Resenären reser med remiss till en vårdenhet längre bort.",
    "destination.as_nearest": "Resan ersätts som om resenären rest till närmaste vårdenhet.",
    "fee.ceiling": (
        "Högkostnadsskyddet begränsar resenärens egenavgift: resenären betalar högst det som "
        "återstår upp till taket."
    ),
    "mode.none_fits": "Inget färdsätt som betalas passar resenärens behov.",
    "mode.not_allowed": "Det begärda färdsättet betalas inte eller passar inte resenärens behov.",
    "permit.missing": "Resenären saknar giltigt tillstånd för färdtjänst eller riksfärdtjänst.",
    "permit.not_resident": "Färdtjänst betalas av kommunen där resenären är folkbokförd.",
    "permit.valid": "Resenären har ett giltigt tillstånd.",
    "permit.special_vehicle": "Resenärens tillstånd gäller specialfordon (till exempel "
    "rullstolsbil), inte vanlig taxi.",
    "principal.not_home": "Resan betalas av den region eller kommun där resenären är folkbokförd.",
}
# Every code keeps its place in REASONS_SV (codes are matched by prefix, in order).
STAFF_REASONS_SV = {**REASONS_SV, **ABOUT_TRAVELLER_SV}


def reason_about_sv(reason: Mapping[str, Any]) -> str:
    """A stored reason's sentence for staff (the assessor, the desk): about the traveller,
    in the third person ("Resmålet är närmaste vårdenhet av sitt slag."), where the letter
    says "Du"."""
    return _reason_in(reason, STAFF_REASONS_SV)


def reasons_about_sv(reasons: list[Mapping[str, Any]]) -> list[str]:
    """Each reason's sentence for staff once, in order (as `reasons_sv`)."""
    return list(dict.fromkeys(reason_about_sv(r) for r in reasons))


def and_sv(items: Sequence[str]) -> str:
    """'a, b och c': a list as a Swedish sentence says it."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} och {items[-1]}"


# What a change of a booking may touch (`decision.changed`), as the assessor reads it.
CHANGED_SV = {"needs": "behov", "companions": "medföljande", "purpose": "ärende"}


def changed_sv(fields: Sequence[str]) -> str:
    """The fields a change touched, in Swedish: 'behov och medföljande'; a leg's new time
    (`legs[0].pickup_at`) is 'tid', said once however many legs moved."""
    words = [
        "tid" if str(name).startswith("legs[") else CHANGED_SV.get(str(name), "annat")
        for name in fields
    ]
    return and_sv(list(dict.fromkeys(words)))


def companions_sv(companions: Sequence[Mapping[str, Any]]) -> str:
    """A booking's companions by kind, as the desk books them: '1 ledsagare, 2 medföljande
    vuxna och 2 barn (5 och 8 år)'; 'inga' without any."""
    kinds = [str(c.get("kind", "")) for c in companions]
    escorts, adults = kinds.count("escort"), kinds.count("fellow_passenger")
    ages = sorted(
        int(c["age"]) for c in companions if c.get("kind") == "child" and c.get("age") is not None
    )
    children = kinds.count("child")
    others = len(kinds) - escorts - adults - children
    parts = []
    if escorts:
        parts.append(f"{escorts} ledsagare")
    if adults:
        parts.append(f"{adults} medföljande {'vuxen' if adults == 1 else 'vuxna'}")
    if children:
        years = f" ({and_sv([str(age) for age in ages])} år)" if ages else ""
        parts.append(f"{children} barn{years}")
    if others:
        parts.append(f"{others} {'annan medresenär' if others == 1 else 'andra medresenärer'}")
    return and_sv(parts) or "inga"


# The parts of a rulebook a reason cites (its key, `versions[1].modes[3].authorisation`),
# in words: the first name of a key is a section of the rulebook, the later ones its fields.
RULE_SECTIONS_SV = {
    "accommodation": "övernattning",
    "administered_by": "administreras av",
    "area": "färdtjänstområde",
    "asylum": "boende på asylboende",
    "booking": "beställning",
    "ceiling": "högkostnadsskydd",
    "children": "barn",
    "companions": "medresenärer",
    "destination": "resmål",
    "eligibility": "rätt till närtrafik",
    "fare": "biljettpris",
    "fee": "egenavgift",
    "foreign_referrals": "remisser till vård i Norge",
    "modes": "färdsätt",
    "night": "nattuppehåll",
    "no_show": "uteblivna resor",
    "note": "anmärkning",
    "outside_area": "resor utanför området",
    "patient": "patientens avgift",
    "public_transport": "kollektivtrafik först",
    "purposes": "syften",
    "reduction": "reducerad avgift",
    "ride_alone": "ensamåkning",
    "service": "trafiktid",
    "source": "källa",
    "tolerance": "tidstolerans",
    "valid_from": "giltig från",
}
RULE_FIELDS_SV = {
    "amount_kr": "belopp",
    "arrive_before_min": "framme före besöket",
    "authorisation": "intyg eller beslut som krävs",
    "bands": "avståndsband",
    "below_age": "under en ålder",
    "by_previous_weekday": "senast vardagen före",
    "claim_within_months": "tid att söka ersättning",
    "cost_centre": "kostnadsställe",
    "counts_toward_ceiling": "räknas mot högkostnadsskyddet",
    "desk_closes": "beställningen stänger",
    "desk_opens": "beställningen öppnar",
    "destination_place": "vårdenhet",
    "end": "slut",
    "ends": "slutar",
    "escort_free": "ledsagare utan avgift",
    "farther_unit_with_referral": "vårdenhet längre bort med remiss",
    "fee_kr": "avgift",
    "fellow_passenger_pays_as_holder": "medresenär betalar som tillståndshavaren",
    "free_companions_of_child": "medresenärer utan avgift för barn",
    "free_to_age": "avgiftsfritt upp till en ålder",
    "free_when_patient_over_age": "avgiftsfritt när patienten är äldre",
    "free_when_patient_to_age": "avgiftsfritt när patienten är ung",
    "free_with_specified_disability": "avgiftsfritt vid angiven funktionsnedsättning",
    "holder_reduced_below_age": "reducerad avgift under en ålder",
    "holder_reduced_share": "reducerad avgift för barn och unga",
    "home_after": "hemkomst senast",
    "kind": "slag",
    "leave_before": "avresa tidigast",
    "listed_at_place": "listning",
    "max_days_ahead": "längst i förväg",
    "max_extra_ride_min": "längsta omresetid",
    "max_extra_ride_min_by_purpose": "längsta omresetid per syfte",
    "max_extra_ride_min_outside_home": "längsta omresetid utanför hemkommunen",
    "max_km": "högst km",
    "max_transfers": "byten",
    "max_travel_time_ratio": "restid jämfört med bil",
    "max_wait_min": "längsta väntan",
    "max_walk_m": "gångavstånd",
    "min_distance_to_stop_km": "minsta avstånd till hållplats",
    "min_hours_ahead": "beställning i förväg",
    "min_km": "minst km",
    "min_minutes_before_departure": "beställning före avgång",
    "min_weekdays_ahead": "vardagar i förväg",
    "minimum_kr": "lägsta avgift",
    "mode": "färdsätt",
    "modes": "färdsätt",
    "multiple": "gånger busstaxan",
    "municipalities": "kommuner",
    "nearest_unit_only": "bara närmaste vårdenhet",
    "needs_decision": "beslut krävs",
    "not_reimbursed": "ersätts inte",
    "note": "anmärkning",
    "object": "kostnadsobjekt",
    "own_child_free_to_age": "egna barn utan avgift",
    "own_child_reduced_share": "egna barn med reducerad avgift",
    "own_child_reduced_to_age": "egna barn med reducerad avgift upp till en ålder",
    "period": "period",
    "pickup_after_min": "hämtning efter utlovad tid",
    "pickup_before_min": "hämtning före utlovad tid",
    "places": "platser",
    "policy": "regel",
    "rate_kr_per_km": "pris per km",
    "ratio_floor_min": "restid minst",
    "refund_ticket": "biljetten ersätts",
    "reimbursed": "ersätts",
    "reimbursed_beyond_km": "ersätts bortom km",
    "reimbursement_kr_per_km": "ersättning per km",
    "resolution_km": "avrundning av km",
    "share": "andel",
    "source": "källa",
    "special_vehicle_min_hours_ahead": "specialfordon i förväg",
    "start": "början",
    "starts": "börjar",
    "students": "studerande",
    "trips_per_year": "resor per år",
    "waiting_included": "väntetid räknas in",
    "windows": "tider",
}
_VERSION = re.compile(r"^versions\[(\d+)\]\.?")
_PART = re.compile(r"^(?P<name>[a-z_]+)(?:\[(?P<index>\d+)\])?$")


def _version_of(file: str, key: str, valid_from: object) -> object | None:
    """The rulebook version a citation points at (by its index, else its date), if shipped."""
    book = next((b for b in shipped_rulebooks().books if b.file == file), None)
    if book is None:
        return None
    index = _VERSION.match(key)
    if index is not None and int(index.group(1)) < len(book.versions):
        return book.versions[int(index.group(1))]
    return next((v for v in book.versions if str(v.valid_from) == str(valid_from)), None)


def _item_sv(value: object) -> str | None:
    """An entry of a rulebook's list in words: a mode, a purpose, a distance band."""
    mode = getattr(value, "mode", value)
    if isinstance(mode, Mode):
        return MODES_SV.get(mode.value)
    if isinstance(value, str):
        return PURPOSES_SV.get(value)
    low, high = getattr(value, "min_km", None), getattr(value, "max_km", None)
    if low is not None:
        return f"{low}–{high} km".replace(".", ",") if high is not None else f"från {low} km"
    return None


def rule_part_sv(file: str, key: str, valid_from: object) -> str:
    """The part of a rulebook a citation's key points at, in words ('färdsätt
    (rullstolsfordon): intyg eller beslut som krävs'); '' for the version as a whole. A
    reader is never shown the key: a name without words is left out."""
    node = _version_of(file, key, valid_from)
    said = []
    for depth, part in enumerate(p for p in _VERSION.sub("", key).split(".") if p):
        found = _PART.match(part)
        words = (RULE_SECTIONS_SV if depth == 0 else RULE_FIELDS_SV).get(
            found["name"] if found else ""
        )
        if found is None or words is None:
            break
        node = getattr(node, found["name"], None)
        if found["index"] is not None:
            index = int(found["index"])
            entries = node if isinstance(node, tuple | list) else ()
            node = entries[index] if index < len(entries) else None
            words += f" ({_item_sv(node) or f'nr {index + 1}'})"
        said.append(words)
    return ": ".join(said)


def citation_sv(citation: Mapping[str, Any]) -> str:
    """A reason's rule in words: the rulebook by service, principal and version, and the
    part of it ('Regler för sjukresa, Region Jämtland Härjedalen, från 2021-05-01,
    färdsätt (taxi): avgift'); never the file or the key."""
    file, valid_from = str(citation.get("file", "")), citation.get("valid_from")
    book = rulebook_sv(file, valid_from, first=True)
    part = rule_part_sv(file, str(citation.get("key", "")), valid_from)
    return f"{book}, {part}" if part else book


# What a rulebook value rests on: its source tag ([S], [S-old], [O:X], [G], rulebook files'
# headers), as the assessor weighs it.
_SOURCE_TAG = re.compile(r"^\[(?P<tag>[^\]]+)\]")
BORROWED_FROM_SV = {
    "Närtrafik elsewhere": "närtrafik i andra län",
    "Jämtland RKM municipalities": "kommunerna i Länstrafiken i Jämtland",
}


def source_sv(source: object) -> str | None:
    """The kind of source a rule's value has, in Swedish (None without a tag)."""
    found = _SOURCE_TAG.match(str(source or ""))
    if found is None:
        return None
    tag = found["tag"]
    if tag.startswith("O:"):
        lender = BORROWED_FROM_SV.get(tag[2:], tag[2:])
        return f"värdet är lånat från {lender}; huvudmannens eget är inte känt"
    return {
        "S": "huvudmannens egna regler",
        "S-old": "huvudmannens tidigare regler",
        "G": "antaget värde, ännu inte bekräftat av huvudmannen",
    }.get(tag)
