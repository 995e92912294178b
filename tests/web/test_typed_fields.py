"""Dates and times are typed, in Swedish forms, whatever the browser's language.

An `<input type="date">` or `type="time"` shows the browser's locale: 12/02/2026 and
08:00 AM in an English Chromium. The pages use text fields with the format in the hint
(`date_input`, `time_input` in _macros.html) and read what was typed on the server.
"""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest

import samfard.web
from samfard.goods.page_form import GoodsForm, parse_form
from samfard.web.shell import FormErrors

TEMPLATES = Path(samfard.web.__file__).parent / "templates"
LOCALE_INPUT = re.compile(r"""type\s*=\s*["']?(date|time|datetime-local|month|week)\b""")


def test_no_page_asks_for_a_date_or_time_in_the_browsers_locale() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if LOCALE_INPUT.search(line)
    ]
    assert found == [], "use ui.date_input / ui.time_input:\n" + "\n".join(found)


def test_the_macros_render_text_fields_with_the_format_visible() -> None:
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    macros = env.get_template("_macros.html").module
    day = str(macros.date_input("dag", "Dag", "2026-12-02", hint="Resdagen"))  # type: ignore[attr-defined]
    clock = str(macros.time_input("fran", "Från", "08:00"))  # type: ignore[attr-defined]
    assert 'type="text"' in day and 'value="2026-12-02"' in day
    assert "ÅÅÅÅ-MM-DD. Resdagen" in day and 'aria-describedby="dag-hint"' in day
    assert 'type="text"' in clock and "TT:MM" in clock and 'autocomplete="off"' in clock


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("08:30", time(8, 30)), ("8.30", time(8, 30)), ("0830", time(8, 30)), ("kl 9", time(9, 0))],
)
def test_goods_times_are_read_as_people_type_them(typed: str, expected: time) -> None:
    errors = FormErrors()
    form = GoodsForm(huvudman="23", fran="1", till="2", dag="2026-12-02", hamtas_fran=typed)
    data = parse_form(form, errors)
    assert errors.get("hamtas-fran") is None, errors.items()
    assert data is not None and data.pickup_from.timetz().replace(tzinfo=None) == expected


def test_a_goods_time_that_cannot_be_read_says_what_to_write() -> None:
    errors = FormErrors()
    parse_form(GoodsForm(dag=date(2026, 12, 2).isoformat(), lamnas_till="25:00"), errors)
    assert errors.get("lamnas-till") == "Ange klockslag, till exempel 08:30"
