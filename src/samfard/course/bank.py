"""The course (kurs) in a region's sjukresa rules, written from the rulebook in force.

Every lesson and every question is made from one dated version of the region's rulebook
(rules/rulebooks/<principal>/sjukresa.toml), so a new version changes the text and the
right answers without anyone editing the course. Each question names the rule it tests by
the same key the rules engine cites (`modes[2].fee_kr`, `ceiling.amount_kr`), with the
version's valid_from, so a reviewer can check a question against the file.

Pure: plain data in (a rulebook, the version's day, place names), plain data out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from samfard.course.lessons import Lesson, lessons
from samfard.course.words import (
    AUTHORISATION_SV,
    CERTIFICATION_YEARS,
    MODES_SV,
    PERIOD_SV,
    PURPOSES_SV,
    RIDE_ALONE_SV,
    YES_NO,
    extra_time_sv,
    kr_text,
)
from samfard.rules.facts import Mode
from samfard.rules.loader import Rulebook
from samfard.rules.schema import ModeRule, SjukresaVersion


@dataclass(frozen=True)
class Question:
    """One question of the bank: the options and the index of the right one, and the rule
    (`rule_key` in `file` from `valid_from`) that makes it right."""

    id: str
    module: str
    rule_key: str
    file: str
    valid_from: date
    text: str
    options: tuple[str, ...]
    answer: int

    def __post_init__(self) -> None:
        if not 0 <= self.answer < len(self.options) or len(set(self.options)) != len(self.options):
            raise ValueError(f"question {self.id}: answer must be one of distinct options")


@dataclass(frozen=True)
class Course:
    principal: str
    principal_name: str
    file: str
    valid_from: date
    lessons: tuple[Lesson, ...]
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


def _spread(correct: int, others: tuple[int, ...], step: int) -> tuple[int, ...]:
    """Four distinct non-negative values including `correct`, in ascending order: the
    rule's other values first (plausible mistakes), then steps around the right one."""
    chosen = [correct]
    for value in (*others, correct + step, correct - step, correct + 2 * step, correct * 2):
        if value >= 0 and value not in chosen and len(chosen) < 4:
            chosen.append(value)
    multiple = 3
    while len(chosen) < 4:
        chosen.append(correct + multiple * step)
        multiple += 1
    return tuple(sorted(chosen))


# Where the course's own rules (not a rulebook's) are written down, as questions cite them.
COURSE_RULES = "docs/course.md"


class _Bank:
    """Collects questions for one version; each `ask` names the rule key it tests."""

    def __init__(self, book: Rulebook, valid_from: date) -> None:
        self.book = book
        self.valid_from = valid_from
        self.questions: list[Question] = []

    def ask(self, module: str, key: str, text: str, options: tuple[str, ...], answer: int) -> None:
        variant = sum(1 for q in self.questions if q.rule_key == key)
        self.questions.append(
            Question(
                id=f"{self.book.principal}:{key}:{variant}",
                module=module,
                rule_key=key,
                file=COURSE_RULES if key.startswith("course.") else self.book.file,
                valid_from=self.valid_from,
                text=text,
                options=options,
                answer=answer,
            )
        )

    def yes_no(self, module: str, key: str, text: str, truth: bool) -> None:
        self.ask(module, key, text, YES_NO, 0 if truth else 1)

    def amount(
        self,
        module: str,
        key: str,
        text: str,
        correct: int,
        others: tuple[int, ...],
        *,
        step: int,
        show: Callable[[int], str],
    ) -> None:
        values = _spread(correct, others, step)
        self.ask(module, key, text, tuple(show(v) for v in values), values.index(correct))


def _years(value: int) -> str:
    return f"{value} år"


def _minutes(value: int) -> str:
    return f"{value} minuter"


def _clock(value: int) -> str:
    return f"{value:02d}:00"


def _count(value: int) -> str:
    return str(value)


def _mode_rules(version: SjukresaVersion) -> Iterator[tuple[int, ModeRule]]:
    yield from enumerate(version.modes)


def _questions(book: Rulebook, version: SjukresaVersion, places: Mapping[str, str]) -> _Bank:
    bank = _Bank(book, version.valid_from)
    region = book.principal_name
    fees = tuple(sorted({m.fee_ore for m in version.modes}))
    for i, rule in _mode_rules(version):
        name = MODES_SV[rule.mode]
        module = "avgifter" if rule.authorisation == "none" else "fardsatt"
        bank.amount(
            "avgifter",
            f"modes[{i}].fee_kr",
            f"Vilken egenavgift betalar patienten per enkelresa med {name} i {region}?",
            rule.fee_ore,
            fees + (version.companions.fee_ore,),
            step=5000,
            show=kr_text,
        )
        labels = tuple(AUTHORISATION_SV.values())
        bank.ask(
            module if rule.mode is not Mode.STRETCHER_VEHICLE else "intyg",
            f"modes[{i}].authorisation",
            f"Vad krävs i {region} innan en sjukresa med {name} kan bokas?",
            labels,
            list(AUTHORISATION_SV).index(rule.authorisation),
        )
        bank.yes_no(
            "avgifter",
            f"modes[{i}].counts_toward_ceiling",
            f"Räknas egenavgiften för {name} in i högkostnadsskyddet i {region}?",
            rule.counts_toward_ceiling,
        )
    for purpose in version.purposes.reimbursed:
        module = "dialys" if purpose == "dialysis" else "sjukresa"
        bank.yes_no(
            module,
            "purposes.reimbursed",
            f"Ersätter {region} resor till {PURPOSES_SV.get(purpose, purpose)}?",
            True,
        )
    for purpose in version.purposes.not_reimbursed:
        bank.yes_no(
            "sjukresa",
            "purposes.not_reimbursed",
            f"Ersätter {region} resor till {PURPOSES_SV.get(purpose, purpose)}?",
            False,
        )
    ceiling = version.ceiling
    bank.amount(
        "avgifter",
        "ceiling.amount_kr",
        f"Hur högt är högkostnadsskyddet för sjukresor i {region}?",
        ceiling.amount_ore,
        (160000, 165000, 240000),
        step=50000,
        show=kr_text,
    )
    periods = tuple(PERIOD_SV)
    bank.ask(
        "avgifter",
        "ceiling.period",
        f"Över vilken period räknas högkostnadsskyddet i {region}?",
        tuple(PERIOD_SV[p] for p in periods),
        periods.index(ceiling.period),
    )
    _companion_questions(bank, version, region)
    patient = version.patient
    if patient.free_to_age is not None:
        bank.amount(
            "avgifter",
            "patient.free_to_age",
            f"Till och med vilken ålder reser en patient utan egenavgift i {region}?",
            patient.free_to_age,
            (17, 18, 20),
            step=1,
            show=_years,
        )
    dest = version.destination
    bank.yes_no(
        "sjukresa",
        "destination.nearest_unit_only",
        f"Ersätter {region} i första hand resan till närmaste vårdenhet som regionen anvisar?",
        dest.nearest_unit_only,
    )
    bank.yes_no(
        "sjukresa",
        "destination.farther_unit_with_referral",
        f"Ersätts en resa till en vårdenhet längre bort när patienten har remiss dit, i {region}?",
        dest.farther_unit_with_referral,
    )
    acc = version.accommodation
    bank.amount(
        "sjukresa",
        "accommodation.leave_before",
        "Logi kan betalas när det billigaste färdsättet kräver avresa före klockan …",
        acc.leave_before.hour,
        (4, 6, 7),
        step=1,
        show=_clock,
    )
    bank.amount(
        "sjukresa",
        "accommodation.home_after",
        "… eller hemkomst efter klockan:",
        acc.home_after.hour,
        (21, 22, 0),
        step=1,
        show=_clock,
    )
    tol = version.tolerance
    dialysis_ride = tol.max_extra_ride_min_by_purpose.get("dialysis", tol.max_extra_ride_min)
    extra_time = extra_time_sv(tol.waiting_included)
    bank.amount(
        "dialys",
        "tolerance.max_extra_ride_min_by_purpose",
        f"Hur lång får {extra_time} högst vara för en dialyspatient?",
        dialysis_ride,
        (30, 60, 90),
        step=15,
        show=_minutes,
    )
    bank.amount(
        "fardsatt",
        "tolerance.max_extra_ride_min",
        f"Hur lång får {extra_time} högst vara för andra patienter?",
        tol.max_extra_ride_min,
        (45, 60, 120),
        step=15,
        show=_minutes,
    )
    bank.amount(
        "dialys",
        "tolerance.pickup_before_min",
        "Hur många minuter före utlovad tid får fordonet hämta patienten?",
        tol.pickup_before_min,
        (5, 10, 30),
        step=5,
        show=_minutes,
    )
    policies = tuple(RIDE_ALONE_SV)
    bank.ask(
        "fardsatt",
        "ride_alone.policy",
        f"Vad gäller i {region} när en patient vill åka ensam i taxin?",
        tuple(RIDE_ALONE_SV[p] for p in policies),
        policies.index(version.ride_alone.policy),
    )
    if version.booking is not None and version.booking.min_weekdays_ahead:
        bank.amount(
            "fardsatt",
            "booking.min_weekdays_ahead",
            "Hur många vardagar i förväg måste en taxisjukresa senast bokas?",
            version.booking.min_weekdays_ahead,
            (0, 1, 3),
            step=1,
            show=_count,
        )
    _norway_questions(bank, version, region, places)
    _certificate_questions(bank, version, region)
    return bank


def _companion_questions(bank: _Bank, version: SjukresaVersion, region: str) -> None:
    comp = version.companions
    bank.yes_no(
        "medresenar",
        "companions.needs_decision",
        f"Behöver en medresenär ett beslut av handläggare i {region}?",
        comp.needs_decision,
    )
    bank.amount(
        "medresenar",
        "companions.fee_kr",
        f"Vilken avgift betalar en medresenär per enkelresa i {region}?",
        comp.fee_ore,
        (0, 10000, 20000),
        step=2500,
        show=kr_text,
    )
    if comp.free_when_patient_over_age is not None:
        bank.amount(
            "medresenar",
            "companions.free_when_patient_over_age",
            "Medresenären reser utan avgift när patienten är äldre än …",
            comp.free_when_patient_over_age,
            (65, 75, 80),
            step=5,
            show=_years,
        )
    bank.yes_no(
        "medresenar",
        "companions.free_with_specified_disability",
        "Reser medresenären utan avgift när patienten har en specificerad funktionsnedsättning?",
        comp.free_with_specified_disability,
    )
    if comp.free_when_patient_to_age is not None:
        bank.amount(
            "medresenar",
            "companions.free_companions_of_child",
            f"Hur många medresenärer får ett barn (till och med {comp.free_when_patient_to_age} "
            "år) ha med utan avgift?",
            comp.free_companions_of_child,
            (0, 2, 3),
            step=1,
            show=_count,
        )


def _norway_questions(
    bank: _Bank, version: SjukresaVersion, region: str, places: Mapping[str, str]
) -> None:
    referrals = version.foreign_referrals
    bank.yes_no(
        "norge",
        "foreign_referrals",
        f"Har {region} särskilda regler för remisser till sjukhus i Norge?",
        bool(referrals),
    )
    for i, ref in enumerate(referrals):
        hospital = places.get(ref.destination_place, ref.destination_place)
        listed = places.get(ref.listed_at_place, ref.listed_at_place)
        bank.yes_no(
            "norge",
            f"foreign_referrals[{i}].listed_at_place",
            f"Gäller regeln för remiss till {hospital} patienter listade på {listed}?",
            True,
        )
        centres = (ref.cost_centre, *{r.cost_centre + "0" for r in referrals}, "2300", "9999")
        options = tuple(dict.fromkeys(centres))[:4]
        bank.ask(
            "norge",
            f"foreign_referrals[{i}].cost_centre",
            f"Vilket kostnadsställe bär resor på remiss till {hospital}?",
            options,
            0,
        )
        bank.yes_no(
            "norge",
            f"foreign_referrals[{i}].source",
            f"Betalar patienten samma egenavgifter som för en resa inom {region} vid remiss "
            f"till {hospital}?",
            True,
        )


def _certificate_questions(bank: _Bank, version: SjukresaVersion, region: str) -> None:
    needing = [m.mode for m in version.modes if m.authorisation == "certificate"]
    bank.yes_no(
        "intyg",
        "course.issuer",
        "Får en medarbetare som inte har en giltig certifiering från kursen utfärda sjukreseintyg?",
        False,
    )
    bank.amount(
        "intyg",
        "course.certification_years",
        "Hur länge gäller certifieringen efter godkänd kurs?",
        CERTIFICATION_YEARS,
        (1, 3, 5),
        step=1,
        show=_years,
    )
    bank.yes_no(
        "intyg",
        "course.revocation",
        "Kan ett återkallat sjukreseintyg användas för en ny bokning?",
        False,
    )
    bank.yes_no(
        "intyg",
        "course.in_advance",
        "Måste sjukreseintyget vara utfärdat senast den dag resan bokas?",
        True,
    )
    if needing:
        for mode in needing:
            index = next(i for i, m in enumerate(version.modes) if m.mode is mode)
            bank.yes_no(
                "intyg",
                f"modes[{index}].authorisation",
                f"Räcker ett giltigt sjukreseintyg för att {MODES_SV[mode]} ska beviljas "
                f"utan handläggare i {region}?",
                True,
            )


def build_course(book: Rulebook, day: date, places: Mapping[str, str]) -> Course:
    """The course for the version of `book` in force on `day`."""
    _, version = book.version_on(day)
    if not isinstance(version, SjukresaVersion):
        raise ValueError(f"{book.file} is not a sjukresa rulebook")
    bank = _questions(book, version, places)
    return Course(
        principal=book.principal,
        principal_name=book.principal_name,
        file=book.file,
        valid_from=version.valid_from,
        lessons=lessons(book, version, places),
        questions=tuple(bank.questions),
    )
