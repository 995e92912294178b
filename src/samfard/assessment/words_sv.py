"""The assessment in Swedish: services, modes, each reason of a decision, the facts line.

The engine's reasons are stable codes with English texts for developers and logs; every
page and letter says them in Swedish, from the code and the facts the reason carries.
A few figures live only in the English text (the leg, the fee in öre, the distance), and
are read from it here: the texts are the engine's own and change with it, and a text
that gives no figure leaves the sentence without it, never wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from samfard.course.words import PURPOSES_SV as CARE_PURPOSES_SV
from samfard.money import format_kr
from samfard.rules.in_force import SERVICES_SV

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

# A permit condition asked for but not granted, or granted (permit.front_seat, .ride_alone).
CONDITIONS_SV = {"front_seat": "plats i framsätet", "ride_alone": "ensamåkning"}

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
    code = str(reason.get("code", ""))
    transit = transit_reason_sv(reason)
    if transit is not None:
        return transit
    if code == "mode.chosen":  # the text begins with the mode chosen
        chosen = MODES_SV.get(str(reason.get("text", "")).split(",")[0].split(";")[0])
        return f"Färdsätt: {chosen}." if chosen else "Färdsättet är valt efter reglerna."
    condition = CONDITIONS_SV.get(code.removeprefix("permit."))
    if condition is not None:
        if reason.get("effect") == "needs_assessor":
            return f"{condition.capitalize()} är begärt men ingår inte i tillståndet."
        return f"Tillståndet medger {condition}."
    template = next((sv for key, sv in REASONS_SV.items() if code.startswith(key)), None)
    if template is None:
        return str(reason.get("text", code))
    return _sentence(template, _figures(reason))


def reasons_sv(reasons: list[Mapping[str, Any]]) -> list[str]:
    """Each reason's sentence once, in order: a rule said of every leg reads as one line."""
    return list(dict.fromkeys(reason_sv(r) for r in reasons))


def why_sv(decision: Mapping[str, Any] | None, status: str) -> list[str]:
    """Why the rules did not approve, in Swedish, once each: what refused a denied trip,
    what sent another to an assessor."""
    effect = "refuse" if status == "denied" else "needs_assessor"
    held = [r for r in (decision or {}).get("reasons") or [] if r.get("effect") == effect]
    return reasons_sv(held)


def summary_sv(summary: str) -> str:
    """The decision's one-line summary of the facts (`rules.engine.input_summary`) in
    Swedish; a summary hidden for a protected identity says so."""
    if summary.startswith("hidden"):
        return "Dolt: skyddad identitet."
    found = _SUMMARY.match(summary)
    if found is None:
        return summary
    f = found.groupdict()
    purpose = PURPOSES_SV.get(f["purpose"], f["purpose"]) if f["purpose"] != "-" else "inget"
    mode = "billigaste" if f["mode"] == "cheapest" else MODES_SV.get(f["mode"], f["mode"])
    return (
        f"{SERVICES_SV.get(f['service'], f['service']).capitalize()} som huvudman "
        f"{f['principal']} betalar, {f['day']}: {f['legs']} resor, "
        f"{f['km'].replace('.', ',')} km, syfte {purpose}, färdsätt {mode}, resenären "
        f"{f['age']} år från kommun {f['home']}, {f['companions']} medresenärer."
    )
