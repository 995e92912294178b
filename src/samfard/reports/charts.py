"""Small SVG charts for the monthly report, written by hand.

Hand-written SVG keeps the report free of a plotting dependency and of JavaScript, renders
the same in every browser and in an e-mail, and is plain text a test can read. Each chart
carries a <title> and a <desc> listing its values, for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

Value = Decimal | int | None
Series = tuple[str, Sequence[Value]]

PALETTE = ("#1f5f8b", "#e07b39", "#3f8f4f", "#8e5ea2", "#b8a226", "#6b6b6b")
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 36, 56


def _nice_max(peak: Decimal) -> Decimal:
    """The smallest 1, 2 or 5 times a power of ten at or above the peak (axis top)."""
    if peak <= 0:
        return Decimal(1)
    step = Decimal(1)
    while step * 10 <= peak:
        step *= 10
    while step > peak * 10:
        step /= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= peak:
            return step * factor
    raise AssertionError("factor 10 always reaches the peak")


def _number(value: Decimal) -> str:
    """'125 000', '12,50': a non-breaking space between thousands, a decimal comma."""
    decimals = 0 if value == value.to_integral() else 2
    return f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")


def _frame(title: str, unit: str, top: Decimal, categories: Sequence[str], body: list[str]) -> str:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_number(value))} {escape(unit)}</text>"
        )
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    for i, name in enumerate(categories):
        x = LEFT + slot * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
            f"{escape(name)}</text>"
        )
    parts += body
    return "\n".join(parts) + "\n</svg>\n"


def _legend(series: Sequence[Series]) -> list[str]:
    out = []
    for i, (name, _) in enumerate(series):
        x = LEFT + i * 150
        y = HEIGHT - 18
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{x + 14}" y="{y}">{escape(name)}</text>')
    return out


def _desc(series: Sequence[Series], categories: Sequence[str], unit: str) -> str:
    items = []
    for name, values in series:
        shown = ", ".join(
            f"{c}: {'–' if v is None else _number(Decimal(v))} {unit}"
            for c, v in zip(categories, values, strict=True)
        )
        items.append(f"{name}: {shown}")
    return f"<desc>{escape('; '.join(items))}</desc>"


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str,
    stacked: bool = False,
) -> str:
    """Bars per category, one per series side by side, or stacked. None draws no bar."""
    for name, values in series:
        if len(values) != len(categories):
            raise ValueError(f"series {name} has {len(values)} values for {len(categories)}")
    if stacked:
        peaks = [
            sum((Decimal(vs[i] or 0) for _, vs in series), Decimal(0))
            for i in range(len(categories))
        ]
    else:
        peaks = [Decimal(v) for _, vs in series for v in vs if v is not None]
    top = _nice_max(max(peaks, default=Decimal(0)))
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bar_w = slot * 0.7 / (1 if stacked else max(len(series), 1))
    body = [_desc(series, categories, "")]
    for i in range(len(categories)):
        base = Decimal(0)
        for j, (_, values) in enumerate(series):
            value = values[i]
            if value is None:
                continue
            h = float(Decimal(value) / top) * plot_h
            x = LEFT + slot * i + slot * 0.15 + (0 if stacked else bar_w * j)
            y = TOP + plot_h - h - float(base / top) * plot_h
            if stacked:
                base += Decimal(value)
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"/>'
            )
    return _frame(title, unit, top, categories, body + _legend(series))


def line_chart(
    title: str, categories: Sequence[str], series: Sequence[Series], *, unit: str
) -> str:
    """One line per series over the categories; None leaves a gap in the line."""
    for name, values in series:
        if len(values) != len(categories):
            raise ValueError(f"series {name} has {len(values)} values for {len(categories)}")
    peak = max((Decimal(v) for _, vs in series for v in vs if v is not None), default=Decimal(0))
    top = _nice_max(peak)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    body = [_desc(series, categories, unit)]
    for j, (_, values) in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        segment: list[str] = []
        for i, value in enumerate([*values, None]):
            if value is None:
                if len(segment) > 1:
                    body.append(
                        f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                        f'points="{" ".join(segment)}"/>'
                    )
                segment = []
                continue
            x = LEFT + slot * (i + 0.5)
            y = TOP + plot_h - float(Decimal(value) / top) * plot_h
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    return _frame(title, unit, top, categories, body + _legend(series))
