"""The course's lessons: one per module, every sentence written from rule values of the
rulebook version in force (so a new version rewrites the lesson). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from samfard.course.words import (
    AUTHORISATION_SV,
    CERTIFICATION_YEARS,
    MODES_SV,
    MODULES,
    PERIOD_SV,
    PURPOSES_SV,
    RIDE_ALONE_SV,
    extra_time_sv,
    kr_text,
)
from samfard.rules.loader import Rulebook
from samfard.rules.schema import SjukresaVersion


@dataclass(frozen=True)
class Lesson:
    """One module's text: paragraphs in Swedish, each written from rule values."""

    key: str
    title: str
    paragraphs: tuple[str, ...]


def lessons(book: Rulebook, v: SjukresaVersion, places: Mapping[str, str]) -> tuple[Lesson, ...]:
    region = book.principal_name
    titles = dict(MODULES)
    paid = ", ".join(PURPOSES_SV.get(p, p) for p in v.purposes.reimbursed)
    unpaid = ", ".join(PURPOSES_SV.get(p, p) for p in v.purposes.not_reimbursed)
    text: dict[str, list[str]] = {key: [] for key, _ in MODULES}
    text["sjukresa"] += [
        f"En sjukresa är en resa till eller från vård som {region} ersätter enligt lagen om "
        "resekostnadsersättning vid sjukresor. Regionen där patienten är folkbokförd betalar.",
        f"Ersätts: {paid}. Ersätts inte: {unpaid}.",
        "Resan ersätts till närmaste vårdenhet som regionen anvisar"
        + (
            ", och till en enhet längre bort när patienten har remiss dit."
            if v.destination.farther_unit_with_referral
            else "."
        ),
        f"Logi betalas när det billigaste färdsättet kräver avresa före "
        f"{v.accommodation.leave_before:%H:%M} eller hemkomst efter "
        f"{v.accommodation.home_after:%H:%M}.",
    ]
    for rule in v.modes:
        text["fardsatt"].append(
            f"{MODES_SV[rule.mode].capitalize()}: egenavgift {kr_text(rule.fee_ore)} per "
            f"enkelresa. Krävs: {AUTHORISATION_SV[rule.authorisation].lower()}."
        )
    text["fardsatt"] += [
        "Kollektivtrafik eller egen bil är utgångspunkten; taxi, rullstolsfordon och liggande "
        "transport är för den som av medicinska skäl inte kan resa på annat sätt.",
        RIDE_ALONE_SV[v.ride_alone.policy] + ".",
    ]
    if v.booking is not None and v.booking.min_weekdays_ahead:
        text["fardsatt"].append(
            f"Taxisjukresor bokas senast {v.booking.min_weekdays_ahead} vardagar i förväg."
        )
    c = v.companions
    text["medresenar"] += [
        "En medresenär kräver beslut av handläggare."
        if c.needs_decision
        else "En medresenär kräver inget särskilt beslut.",
        f"Medresenären betalar {kr_text(c.fee_ore)} per enkelresa.",
    ]
    if c.free_when_patient_over_age is not None:
        text["medresenar"].append(
            f"Ingen avgift när patienten är äldre än {c.free_when_patient_over_age} år"
            + (
                " eller har en specificerad funktionsnedsättning."
                if c.free_with_specified_disability
                else "."
            )
        )
    if c.free_when_patient_to_age is not None:
        text["medresenar"].append(
            f"Ett barn till och med {c.free_when_patient_to_age} år har med "
            f"{c.free_companions_of_child} medresenär utan avgift."
        )
    t = v.tolerance
    dialysis = t.max_extra_ride_min_by_purpose.get("dialysis", t.max_extra_ride_min)
    text["dialys"] += [
        "Dialys är behandling som regionen ersätter resor till; patienten reser ofta tre "
        "gånger i veckan, och resorna bokas som en återkommande serie.",
        f"{extra_time_sv(t.waiting_included).capitalize()} får vara högst {dialysis} minuter "
        f"för dialys (annars {t.max_extra_ride_min} minuter); fordonet får hämta "
        f"{t.pickup_before_min} minuter före till {t.pickup_after_min} minuter efter utlovad tid.",
        *(
            ["Väntan på mottagningen före besöket och på en hämtning senare än beställt räknas in."]
            if t.waiting_included
            else []
        ),
        "Dialysresorna räknas in i högkostnadsskyddet, som snart nås av den som reser ofta.",
    ]
    text["avgifter"] += [
        f"Högkostnadsskyddet är {kr_text(v.ceiling.amount_ore)} per "
        f"{PERIOD_SV[v.ceiling.period]}; därefter reser patienten utan egenavgift.",
        *(
            f"{MODES_SV[m.mode].capitalize()}: {kr_text(m.fee_ore)}"
            + ("" if m.counts_toward_ceiling else " (räknas inte in i högkostnadsskyddet)")
            + (
                f"; ersättning {kr_text(int(m.reimbursement_ore_per_km))}/km"
                if m.reimbursement_ore_per_km is not None
                else ""
            )
            + "."
            for m in v.modes
        ),
    ]
    if v.patient.free_to_age is not None:
        text["avgifter"].append(
            f"Patienter till och med {v.patient.free_to_age} år betalar ingen egenavgift."
        )
    if v.foreign_referrals:
        for ref in v.foreign_referrals:
            text["norge"].append(
                f"Remiss till {places.get(ref.destination_place, ref.destination_place)} för "
                f"patienter listade på {places.get(ref.listed_at_place, ref.listed_at_place)}: "
                f"samma egenavgifter som inom regionen, kostnadsställe {ref.cost_centre}, "
                f"objekt {ref.cost_object}."
            )
    else:
        text["norge"].append(
            f"{region} har inga särskilda regler för remisser till Norge; en sådan resa "
            "bedöms av handläggare."
        )
    needing = [MODES_SV[m.mode] for m in v.modes if m.authorisation == "certificate"]
    deciding = [MODES_SV[m.mode] for m in v.modes if m.authorisation == "central_decision"]
    text["intyg"] += [
        "Bara den som klarat kursen och har en giltig certifiering får utfärda "
        f"sjukreseintyg; certifieringen gäller i {CERTIFICATION_YEARS} år.",
        (
            f"Sjukreseintyg ger rätt till {', '.join(needing)} utan handläggare."
            if needing
            else f"I {region} räcker inte ett intyg: {', '.join(deciding)} kräver beslut av "
            "den centrala bedömningsfunktionen, som läser intyget som underlag."
        ),
        "Intyget skrivs i förväg för en patient och ett besök: tillåtet färdsätt, om det "
        "gäller både dit och hem, och de datum det gäller.",
        "Återkalla intyget när det medicinska behovet upphör; ett återkallat intyg används "
        "inte för nya bokningar.",
    ]
    return tuple(Lesson(key, titles[key], tuple(text[key])) for key, _ in MODULES)
