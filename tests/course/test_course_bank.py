"""The question bank and the quiz, pure: made from the rulebook, seeded, graded at 80 %."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from samfard.course.bank import build_course
from samfard.course.quiz import certified_until, draw, grade
from samfard.course.words import MODULES
from samfard.rules.facts import Service
from samfard.rules.loader import Rulebook, shipped_rulebooks
from samfard.rules.schema import SjukresaVersion

DAY = date(2026, 12, 1)


def book(principal: str) -> Rulebook:
    return shipped_rulebooks().get(principal, Service.SJUKRESA)


@pytest.mark.parametrize("principal", ["22", "23"])
def test_each_region_has_forty_questions_over_every_module_each_citing_a_rule(
    principal: str,
) -> None:
    course = build_course(book(principal), DAY, {})
    assert len(course.questions) >= 40
    assert {q.module for q in course.questions} == {key for key, _ in MODULES}
    assert len({q.id for q in course.questions}) == len(course.questions)
    for q in course.questions:
        own = q.rule_key.startswith("course.")
        assert q.file == ("docs/course.md" if own else f"rulebooks/{principal}/sjukresa.toml")
        assert q.valid_from == course.valid_from
        assert 0 <= q.answer < len(q.options)
    assert [lesson.key for lesson in course.lessons] == [key for key, _ in MODULES]
    assert all(lesson.paragraphs for lesson in course.lessons)


def test_a_new_rule_version_changes_the_text_and_the_right_answer() -> None:
    """Raise the ceiling in a new version: the lesson and the answer follow the data."""
    original = book("23")
    _, current = original.version_on(DAY)
    assert isinstance(current, SjukresaVersion)
    raised = current.model_copy(
        update={
            "valid_from": date(2027, 1, 1),
            "ceiling": current.ceiling.model_copy(update={"amount_ore": 300000}),
        }
    )
    newer = dataclasses.replace(original, versions=(*original.versions, raised))
    before = build_course(newer, DAY, {})
    after = build_course(newer, date(2027, 1, 2), {})
    question = after.question("23:ceiling.amount_kr:0")
    assert question is not None and question.options[question.answer] == "3\u00a0000 kr"
    old = before.question("23:ceiling.amount_kr:0")
    assert old is not None and old.options[old.answer] == "2\u00a0400 kr"
    assert any("3\u00a0000 kr" in p for p in after.lessons[4].paragraphs)
    assert after.valid_from == date(2027, 1, 1)


@pytest.mark.parametrize("principal", ["22", "23"])
def test_the_extra_ride_time_is_taught_as_covering_waiting_where_the_rule_says_so(
    principal: str,
) -> None:
    """Both regions' rule is 'extra ride time plus waiting': the dialysis lesson and the
    question say so; a version without waiting in its budget says omresetid alone."""
    original = book(principal)
    course = build_course(original, DAY, {})
    dialysis = next(lesson for lesson in course.lessons if lesson.key == "dialys")
    assert any("omresetid och väntetid sammanlagt" in p.lower() for p in dialysis.paragraphs)
    question = course.question(f"{principal}:tolerance.max_extra_ride_min_by_purpose:0")
    assert question is not None and "omresetid och väntetid sammanlagt" in question.text
    _, current = original.version_on(DAY)
    assert isinstance(current, SjukresaVersion)
    ride_only = current.model_copy(
        update={
            "valid_from": date(2027, 1, 1),
            "tolerance": current.tolerance.model_copy(update={"waiting_included": False}),
        }
    )
    newer = dataclasses.replace(original, versions=(*original.versions, ride_only))
    after = build_course(newer, date(2027, 1, 2), {})
    question = after.question(f"{principal}:tolerance.max_extra_ride_min_by_purpose:0")
    assert question is not None and "väntetid" not in question.text
    dialysis = next(lesson for lesson in after.lessons if lesson.key == "dialys")
    assert not any("väntetid" in p for p in dialysis.paragraphs)


def test_the_region_rules_decide_the_answer_taxi_needs_a_certificate_only_in_vasternorrland() -> (
    None
):
    vn = build_course(book("22"), DAY, {})
    jh = build_course(book("23"), DAY, {})
    taxi_vn = next(q for q in vn.questions if q.rule_key == "modes[2].authorisation")
    taxi_jh = next(q for q in jh.questions if q.rule_key == "modes[2].authorisation")
    assert "sjukreseintyg" in taxi_vn.options[taxi_vn.answer]
    assert "bedömningsfunktionen" in taxi_jh.options[taxi_jh.answer]


def test_the_same_seed_draws_the_same_quiz_and_every_module_is_asked() -> None:
    course = build_course(book("22"), DAY, {})
    first = draw(course, seed=7, size=20)
    assert first == draw(course, seed=7, size=20)
    assert first != draw(course, seed=8, size=20)
    assert len(set(first)) == 20
    modules = {q.module for q in course.questions if q.id in first}
    assert modules == {key for key, _ in MODULES}


def test_eighty_percent_passes_and_seventy_five_does_not() -> None:
    course = build_course(book("23"), DAY, {})
    ids = draw(course, seed=3, size=20)
    right = {i: q.answer for i in ids if (q := course.question(i)) is not None}
    sixteen = dict(list(right.items())[:16])
    fifteen = dict(list(right.items())[:15])
    assert grade(course, ids, sixteen).passed
    assert grade(course, ids, sixteen).percent == 80
    assert not grade(course, ids, fifteen).passed
    assert len(grade(course, ids, fifteen).wrong) == 5


def test_certification_lasts_two_years_less_a_day() -> None:
    assert certified_until(date(2026, 12, 1)) == date(2028, 11, 30)
    assert certified_until(date(2028, 2, 29)) == date(2030, 2, 27)
