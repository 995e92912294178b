"""The Swedish words of the course, and its own rules (certification, pass mark, size).

The rulebooks name modes, purposes and policies by code; the course speaks to care staff in
Swedish, so each code has its words here, in one place.
"""

from __future__ import annotations

from samfard.rules.facts import Mode

MODES_SV = {
    Mode.PUBLIC_TRANSPORT: "buss eller tåg i länet",
    Mode.TRAIN: "tåg utanför länet",
    Mode.OWN_CAR: "egen bil",
    Mode.TAXI: "taxi",
    Mode.WHEELCHAIR_VEHICLE: "rullstolsfordon",
    Mode.STRETCHER_VEHICLE: "liggande transport",
    Mode.FLIGHT: "flyg",
}
PURPOSES_SV = {
    "doctor_visit": "läkarbesök",
    "treatment": "behandling",
    "dialysis": "dialys",
    "xray": "röntgen",
    "sampling": "provtagning",
    "aids_centre": "besök på hjälpmedelscentral",
    "dental_care": "tandvård",
    "lss_habilitation": "habilitering enligt LSS",
    "preventive_care": "förebyggande vård",
    "vaccination": "vaccination",
    "aortic_screening": "screening av bukaorta",
    "mammography": "mammografi",
    "gynaecological_checkup": "gynekologisk cellprovskontroll",
    "fitness_certificate": "intyg om lämplighet (t.ex. körkort)",
    "maternity_clinic": "mödravårdscentral",
    "child_health_clinic": "barnavårdscentral",
    "self_training": "egenträning",
    "patient_education": "patientutbildning",
    "optician": "optiker",
    "wig_fitting": "utprovning av peruk",
}
AUTHORISATION_SV = {
    "none": "Inget särskilt: patienten reser och får ersättning enligt reglerna",
    "central_decision": "Ett beslut av den centrala bedömningsfunktionen (Reseservice)",
    "certificate": "Ett sjukreseintyg som vårdenheten utfärdat i förväg",
}
PERIOD_SV = {
    "rolling_12_months": "tolv månader räknat från första resan",
    "calendar_year": "kalenderår",
}
RIDE_ALONE_SV = {
    "allowed": "Patienten får åka ensam när det behövs",
    "assessor": "Ensamåkning kräver medicinska skäl och ett beslut av handläggare",
    "refused": "Ensamåkning beviljas inte",
}
YES_NO = ("Ja", "Nej")

# The course's own rules, not a rulebook's: how long a certification lasts and how often
# a quiz is passed. They are cited as "course.<key>" in the question bank.
CERTIFICATION_YEARS = 2
PASS_PERCENT = 80
QUIZ_SIZE = 20

# The course's own rules in words, as the result of a quiz names the rule of a question
# (a rulebook's rules are named by `assessment.words_sv.citation_sv`).
COURSE_RULES_SV = {
    "course.issuer": "Kursens regler: bara certifierade intygsutfärdare utfärdar sjukreseintyg",
    "course.certification_years": (
        f"Kursens regler: certifieringen gäller {CERTIFICATION_YEARS} år efter godkänt prov"
    ),
    "course.revocation": "Kursens regler: ett återkallat intyg gäller inte för nya bokningar",
    "course.in_advance": "Kursens regler: sjukreseintyget skrivs i förväg",
}

MODULES = (
    ("sjukresa", "Vad är en sjukresa och vem betalar"),
    ("fardsatt", "Taxi eller kollektivtrafik"),
    ("medresenar", "Medresenärer"),
    ("dialys", "Dialys"),
    ("avgifter", "Avgifter och högkostnadsskydd"),
    ("norge", "Remisser till Norge"),
    ("intyg", "Utfärda och återkalla sjukreseintyg"),
)


def kr_text(ore: int) -> str:
    """Whole kronor as course text writes them: 2 400 kr, 1,85 kr."""
    whole, frac = divmod(ore, 100)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    return f"{grouped} kr" if frac == 0 else f"{grouped},{frac:02d} kr"


def extra_time_sv(waiting_included: bool) -> str:
    """What the extra ride time limit covers, as lessons and questions name it: with
    waiting included (tolerance.waiting_included) the detour and the waiting share it."""
    return "omresetid och väntetid sammanlagt" if waiting_included else "omresetiden"
