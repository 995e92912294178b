"""No template prints a date the machine's way in text a person reads: a visible date goes
through `sv_date` ("7 december 2026", "måndag 7 december 2026") or `sv_datetime`; ISO
(`isoformat()`) belongs in attributes (href, value of a date field, data-) only. The
booking desk's card said "2026-12-07 hämtas 08:00" where the preview said "måndag 7
december 2026" (a walk-through of the demo, 2026-12-06)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

import samfard.web
from samfard.timeutil import STOCKHOLM
from samfard.web.templating import sv_date, sv_datetime

TEMPLATES = Path(samfard.web.__file__).parent / "templates"
EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
# The machine's date formats: ISO by method, by strftime, or by asking the filter for it.
MACHINE = re.compile(r"isoformat\(\)|strftime\(|sv_date\(\s*['\"]iso['\"]")
# A date field's value is ISO on purpose (the field reads it back; its hint gives the form).
FIELD_MACROS = ("ui.date_input(",)


def _in_a_tag(text: str, at: int) -> bool:
    """Whether position `at` is inside a tag (an attribute), not in the text between."""
    before = text[:at]
    return before.rfind("<") > before.rfind(">")


def _machine_dates_in_text(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = []
    for expression in EXPRESSION.finditer(text):
        body = expression.group(1)
        if not MACHINE.search(body) or body.strip().startswith(FIELD_MACROS):
            continue
        if not _in_a_tag(text, expression.start()):
            line = text.count("\n", 0, expression.start()) + 1
            found.append(f"{path.relative_to(TEMPLATES)}:{line}: {{{{{body.strip()}}}}}")
    return found


TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))


def test_the_scan_sees_the_templates_and_tells_text_from_attributes() -> None:
    assert len(TEMPLATE_FILES) > 40
    page = '<a href="/trafik?datum={{ day.isoformat() }}">{{ day.isoformat() }}</a>'
    inside, outside = (m.start() for m in EXPRESSION.finditer(page))
    assert _in_a_tag(page, inside) and not _in_a_tag(page, outside)


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_prints_an_iso_date_as_text(path: Path) -> None:
    assert _machine_dates_in_text(path) == []


def test_the_date_filters_say_dates_in_words() -> None:
    """`sv_date` alone is the long form, as a sentence says it; `sv_datetime` too."""
    assert sv_date(date(2026, 12, 7)) == "7 december 2026"
    assert sv_date(date(2026, 12, 7), "day") == "måndag 7 december 2026"
    assert sv_date(date(2026, 12, 7), "month") == "december 2026"
    at = datetime(2026, 12, 2, 7, 5, tzinfo=STOCKHOLM)
    assert sv_datetime(at) == "2 december 2026 kl. 07:05"
