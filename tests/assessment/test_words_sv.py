"""Every reason the rules can give is said in Swedish on the pages and in the letter: the
assessor's queue showed the engine's English ("booked 2026-12-06, 1 weekday(s) before
the trip…", "leg 0: wheelchair_vehicle fee 0 öre")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import samfard.rules
from samfard.assessment.words_sv import (
    reason_about_sv,
    reason_sv,
    reasons_sv,
    summary_sv,
    why_about_sv,
    why_sv,
)

RULES = Path(samfard.rules.__file__).parent
DRAFT_CALLS = ("add", "refuse", "escalate")


def _codes() -> set[str]:
    """The reason codes written in the rules' source (a code built from a name is
    expanded by the names it takes)."""
    codes: set[str] = set()
    for path in RULES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in DRAFT_CALLS
                and node.args
            ):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                codes.add(first.value)
            elif isinstance(first, ast.JoinedStr):  # f"permit.{need}"
                codes.update({"permit.front_seat", "permit.ride_alone"})
            elif isinstance(first, ast.IfExp):
                codes.update(
                    b.value
                    for b in (first.body, first.orelse)
                    if isinstance(b, ast.Constant) and isinstance(b.value, str)
                )
    return {code for code in codes if "." in code}


CODES = sorted(_codes())


def test_the_rules_give_the_codes_this_test_knows() -> None:
    assert len(CODES) > 60 and "fee.band" in CODES and "purpose.sjukresa" in CODES


@pytest.mark.parametrize("code", CODES)
def test_every_reason_code_has_a_swedish_sentence(code: str) -> None:
    english = "leg 1: some english text, 12.5 km: 4500 öre"
    for effect in ("allow", "needs_assessor", "refuse", "info"):
        said = reason_sv({"code": code, "text": english, "effect": effect, "facts": []})
        assert said != english and not re.search(r"\bleg\b|\böre\b", said), (code, said)
        assert said[:1].isupper(), said


# The reader addressed: "du", "din", "ditt", "dina", "dig" (the letter's, not staff's).
SECOND_PERSON = re.compile(r"\b(du|din|ditt|dina|dig)\b", re.IGNORECASE)


@pytest.mark.parametrize("code", CODES)
def test_staff_read_every_reason_about_the_traveller_not_to_them(code: str) -> None:
    """The assessor and the desk's operator are not the traveller: no reason speaks to its
    reader ("Du saknar giltigt tillstånd" at the desk), however the rules give it."""
    english = "leg 1: some english text, 12.5 km: 4500 öre"
    for effect in ("allow", "needs_assessor", "refuse", "info"):
        reason = {"code": code, "text": english, "effect": effect, "facts": []}
        said = reason_about_sv(reason)
        assert not SECOND_PERSON.search(said), (code, said)
        assert said[:1].isupper(), said


def test_the_desks_why_is_about_the_traveller_and_the_letters_speaks_to_them() -> None:
    """`why_about_sv` (the desk) and `why_sv` (Mina resor, the letter) say the same reason
    each to its reader."""
    decision = {"reasons": [{"code": "permit.missing", "text": "no permit", "effect": "refuse"}]}
    assert why_about_sv(decision, "denied") == [
        "Resenären saknar giltigt tillstånd för färdtjänst eller riksfärdtjänst."
    ]
    assert why_sv(decision, "denied") == [
        "Du saknar giltigt tillstånd för färdtjänst eller riksfärdtjänst."
    ]


def test_figures_of_a_leg_are_said_in_swedish() -> None:
    fee = {"code": "fee.band", "text": "leg 0: 49.6 km is in band 47.0-53.9 km: 11300 öre",
           "facts": [["distance_km", "49.6"]]}  # fmt: skip
    assert reason_sv(fee) == "Resa 1: 49,6 km: egenavgift 113,00 kr."
    chosen = {"code": "mode.chosen", "text": "wheelchair_vehicle, the cheapest mode that fits",
              "facts": [["requested", "taxi"]]}  # fmt: skip
    assert reason_sv(chosen) == "Färdsätt: rullstolsfordon."
    free = {"code": "fee.patient_free", "text": "leg 0: patients up to 19 pay no fee"}
    assert reasons_sv([free, free | {"text": "leg 1: patients up to 19 pay no fee"}]) == [
        "Barn och unga betalar ingen egenavgift."
    ]


def test_the_facts_line_is_said_in_swedish() -> None:
    summary = (
        "sjukresa paid by 22 on 2026-12-07: 2 leg(s), 24.6 km, purpose doctor_visit, "
        "mode cheapest, traveller aged 44 from 2281, 1 companion(s)"
    )
    assert summary_sv(summary) == (
        "Sjukresa som huvudman 22 betalar, 2026-12-07: 2 resor, 24,6 km, syfte läkarbesök, "
        "färdsätt billigaste, resenären 44 år från kommun 2281, 1 medresenärer."
    )
    assert summary_sv("hidden: protected identity") == "Dolt: skyddad identitet."
