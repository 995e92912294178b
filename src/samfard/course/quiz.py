"""A quiz drawn from the question bank, and its grading: pure, the seed given.

The draw takes questions from every module in turn (round robin over shuffled modules),
so a quiz never skips a part of the rules; the same seed gives the same quiz. A pass needs
PASS_PERCENT of the answers right; certification then lasts CERTIFICATION_YEARS.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from samfard.course.bank import Course, Question
from samfard.course.words import CERTIFICATION_YEARS, PASS_PERCENT


def draw(course: Course, *, seed: int, size: int) -> tuple[str, ...]:
    """`size` question ids (or the whole bank if smaller), spread over the modules."""
    rng = random.Random(seed)
    by_module: dict[str, list[Question]] = {}
    for question in course.questions:
        by_module.setdefault(question.module, []).append(question)
    pools = [by_module[key] for key in sorted(by_module)]
    for pool in pools:
        rng.shuffle(pool)
    rng.shuffle(pools)
    chosen: list[str] = []
    while len(chosen) < min(size, len(course.questions)):
        for pool in pools:
            if pool and len(chosen) < size:
                chosen.append(pool.pop().id)
    return tuple(chosen)


@dataclass(frozen=True)
class Graded:
    correct: int
    total: int
    wrong: tuple[str, ...]  # ids of the questions answered wrong or not at all

    @property
    def percent(self) -> int:
        return 0 if self.total == 0 else self.correct * 100 // self.total

    @property
    def passed(self) -> bool:
        return self.total > 0 and self.correct * 100 >= PASS_PERCENT * self.total


def grade(course: Course, question_ids: Sequence[str], answers: Mapping[str, int]) -> Graded:
    """Count right answers; a question missing from the bank (should not happen: the bank
    is rebuilt from the same rulebook version) counts as wrong."""
    wrong: list[str] = []
    for question_id in question_ids:
        question = course.question(question_id)
        if question is None or answers.get(question_id) != question.answer:
            wrong.append(question_id)
    return Graded(len(question_ids) - len(wrong), len(question_ids), tuple(wrong))


def certified_until(passed_on: date) -> date:
    """The last day of a certification that starts on `passed_on` (two years less a day)."""
    try:
        end = passed_on.replace(year=passed_on.year + CERTIFICATION_YEARS)
    except ValueError:  # 29 February
        end = passed_on.replace(year=passed_on.year + CERTIFICATION_YEARS, day=28)
    return end - timedelta(days=1)
