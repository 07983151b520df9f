"""Chart geometry: pure functions turning numbers and labels into shapes for inline SVG.

Nothing here knows about HTTP, the database or markup. A function takes numbers, labels
(already translated) and a number formatter, and returns a :class:`Chart`: bars, text,
rules (axes, ticks) and lines in the user units of a ``viewBox`` ``WIDTH`` wide. The Jinja
macros in ``templates/analytics/_charts.html`` draw it; Jinja's autoescape makes every
label safe there, so no markup is ever built in Python.

Sizes are chosen for phones: the viewBox is about as wide as a 360 px screen, so text of
``FONT`` units stays readable there; wider screens lay the charts out side by side.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from challenges.services.analytics import shapes
from challenges.services.analytics.shapes import (
    Bar,
    Chart,
    DataTable,
    Line,
    Panel,
    Point,
    Rule,
    Section,
    Swatch,
    Text,
)

WIDTH = 360.0
FONT = shapes.FONT
SMALL = 12.5
LABEL_CHARS = 40  # a label line is cut (with "…") beyond this many characters
# Horizontal bars.
BAR_HEIGHT = 15.0
BAR_GAP = 4.0
ROW_GAP = 10.0
# Column panels (participation over time).
GUTTER = 40.0  # room left of the plot for the 0 and top tick labels
PANEL_HEIGHT = 64.0
PANEL_TITLE = 22.0
PANEL_GAP = 18.0
EMPTY_PANEL = 12.0  # the room a panel of zeros takes below its title
AXIS_LABELS = 26.0
MAX_AXIS_LABELS = 4

Formatter = Callable[[int], str]


def truncate(label: str, limit: int = LABEL_CHARS) -> str:
    """``label`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(label.split())
    if len(flat) <= limit:
        return flat
    return flat[: max(limit - 1, 1)].rstrip() + "…"


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of how wide ``text`` is drawn (no font metrics on the server)."""
    return len(text) * size * 0.62


def nice_top(value: int) -> int:
    """A round top for a scale that holds ``value`` (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, …)."""
    if value <= 1:
        return 1
    if value <= 6:
        return value
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        top = step * magnitude
        if top >= value and top == int(top):
            return int(top)
    return 10 * magnitude  # pragma: no cover - the loop always ends by 10 × magnitude


def scaled(value: int, top: int, length: float) -> float:
    """The length standing for ``value`` on a scale where ``top`` is ``length`` long."""
    if top <= 0 or value <= 0:
        return 0.0
    return round(length * min(value, top) / top, 2)


def axis_positions(count: int, most: int = MAX_AXIS_LABELS) -> list[int]:
    """Which of ``count`` periods get an axis label: the first, the last and a few evenly
    spaced between, at most ``most``."""
    if count <= 0:
        return []
    if count <= most:
        return list(range(count))
    return sorted({round(step * (count - 1) / (most - 1)) for step in range(most)})


def horizontal_bars(
    sections: Sequence[Section],
    *,
    title: str,
    description: str,
    table: DataTable,
    empty_text: str,
    legend: Sequence[tuple[str, str]] = (),
    fmt: Formatter = str,
) -> Chart:
    """Rows of horizontal bars on one scale: a label line above each row's bars, each bar
    followed by its value. Bar lengths are proportional to the values."""
    rows = [row for section in sections for row in section.rows]
    values = [value for row in rows for value in row.values]
    if not values or max(values) <= 0:
        return _empty(title, description, table, empty_text)
    top = max(values)
    value_texts = [
        [
            _value_text(fmt, v, row.notes[i] if i < len(row.notes) else "")
            for i, v in enumerate(row.values)
        ]
        for row in rows
    ]
    reserve = max(text_width(text) for texts in value_texts for text in texts) + 8
    length = max(WIDTH - reserve, WIDTH / 3)
    bars: list[Bar] = []
    texts: list[Text] = []
    swatches: list[Swatch] = []
    y = 0.0
    if legend:
        x = 0.0
        for name, tone in legend:
            swatches.append(Swatch(x=x, y=y + 2, tone=tone, text=truncate(name, 24)))
            x += 18 + text_width(truncate(name, 24), SMALL) + 14
        y += 24
    row_index = 0
    for section in sections:
        if not section.rows:
            continue
        if section.title:
            if y > 0:
                y += 6
            texts.append(
                Text(x=0, y=y + FONT, text=truncate(section.title), tone="muted", bold=True)
            )
            y += FONT + 9
        for row in section.rows:
            texts.append(Text(x=0, y=y + FONT, text=truncate(row.label)))
            y += FONT + 6
            for value, tone, text in zip(
                row.values, row.tones, value_texts[row_index], strict=True
            ):
                width = scaled(value, top, length)
                bars.append(
                    Bar(
                        x=0,
                        y=y,
                        width=width,
                        height=BAR_HEIGHT,
                        value=value,
                        tone=tone,
                        label=row.label,
                    )
                )
                texts.append(Text(x=width + 5, y=y + BAR_HEIGHT - 3, text=text, size=SMALL))
                y += BAR_HEIGHT + BAR_GAP
            y += ROW_GAP - BAR_GAP
            row_index += 1
    return Chart(
        title=title,
        description=description,
        width=WIDTH,
        height=round(y, 2),
        bars=bars,
        texts=texts,
        rules=[],
        lines=[],
        legend=swatches,
        table=table,
        empty=False,
        empty_text=empty_text,
    )


def column_panels(
    labels: Sequence[str],
    panels: Sequence[Panel],
    *,
    title: str,
    description: str,
    table: DataTable,
    empty_text: str,
    fmt: Formatter = str,
) -> Chart:
    """Small multiples over time: one panel per series, stacked, sharing the time axis.

    Each panel has its own scale from 0 to a round top (both labelled); columns or a line's
    points sit in one slot per period, heights proportional to the values.
    """
    count = len(labels)
    if count == 0 or all(max(panel.values, default=0) <= 0 for panel in panels):
        return _empty(title, description, table, empty_text)
    plot = WIDTH - GUTTER
    slot = plot / count
    canvas = _Canvas()
    texts, rules = canvas.texts, canvas.rules
    y = 0.0
    axis_y: float | None = None
    for panel in panels:
        values = list(panel.values)[:count] + [0] * max(count - len(panel.values), 0)
        texts.append(Text(x=0, y=y + FONT, text=truncate(panel.title), bold=True))
        if max(values) <= 0:  # words, not an empty axis
            texts.append(
                Text(
                    x=GUTTER,
                    y=y + PANEL_TITLE + SMALL,
                    text=truncate(panel.empty_text or fmt(0)),
                    tone="muted",
                    size=SMALL,
                )
            )
            y += PANEL_TITLE + EMPTY_PANEL + PANEL_GAP
            axis_y = None
            continue
        axis_y = _plot(canvas, panel, values, labels, y + PANEL_TITLE, slot, fmt)
        y = axis_y + PANEL_GAP
    if axis_y is None:  # the last panel had nothing to draw: the time axis gets its own line
        axis_y = y - PANEL_GAP + 4
        rules.append(Rule(x1=GUTTER, y1=axis_y, x2=WIDTH, y2=axis_y, tone="axis"))
    for i in axis_positions(count):
        centre = GUTTER + slot * (i + 0.5)
        label = truncate(labels[i], 14)
        half = text_width(label, SMALL) / 2
        rules.append(Rule(x1=round(centre, 2), y1=axis_y, x2=round(centre, 2), y2=axis_y + 4))
        x = min(max(centre, GUTTER + half), WIDTH - half)
        texts.append(
            Text(
                x=round(x, 2), y=axis_y + 17, text=label, anchor="middle", tone="muted", size=SMALL
            )
        )
    return Chart(
        title=title,
        description=description,
        width=WIDTH,
        height=round(axis_y + AXIS_LABELS, 2),
        bars=canvas.bars,
        texts=canvas.texts,
        rules=canvas.rules,
        lines=canvas.lines,
        legend=[],
        table=table,
        empty=False,
        empty_text=empty_text,
    )


@dataclass
class _Canvas:
    """The shapes of a chart being drawn."""

    bars: list[Bar] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def _plot(
    canvas: _Canvas,
    panel: Panel,
    values: list[int],
    labels: Sequence[str],
    plot_top: float,
    slot: float,
    fmt: Formatter,
) -> float:
    """Draw one panel's scale and its columns or line below ``plot_top``; returns its baseline."""
    top = nice_top(max(values))
    bottom = plot_top + PANEL_HEIGHT
    canvas.rules.append(Rule(x1=GUTTER, y1=plot_top, x2=WIDTH, y2=plot_top, tone="grid"))
    canvas.rules.append(Rule(x1=GUTTER, y1=bottom, x2=WIDTH, y2=bottom, tone="axis"))
    for level, at in ((top, plot_top), (0, bottom)):
        canvas.texts.append(
            Text(x=GUTTER - 6, y=at + 4, text=fmt(level), anchor="end", tone="muted", size=SMALL)
        )
    if panel.style == "line":
        points = [
            Point(
                x=round(GUTTER + slot * (i + 0.5), 2),
                y=round(bottom - scaled(value, top, PANEL_HEIGHT), 2),
                value=value,
                label=labels[i],
            )
            for i, value in enumerate(values)
        ]
        canvas.lines.append(Line(points=points, tone=panel.tone))
        return bottom
    width = max(round(slot * 0.7, 2), 1.0)
    for i, value in enumerate(values):
        height = scaled(value, top, PANEL_HEIGHT)
        canvas.bars.append(
            Bar(
                x=round(GUTTER + slot * i + (slot - width) / 2, 2),
                y=round(bottom - height, 2),
                width=width,
                height=height,
                value=value,
                tone=panel.tone,
                label=labels[i],
            )
        )
    return bottom


def _value_text(fmt: Formatter, value: int, note: str) -> str:
    return f"{fmt(value)} ({note})" if note else fmt(value)


def _empty(title: str, description: str, table: DataTable, empty_text: str) -> Chart:
    return Chart(
        title=title,
        description=description,
        width=WIDTH,
        height=0.0,
        bars=[],
        texts=[],
        rules=[],
        lines=[],
        legend=[],
        table=table,
        empty=True,
        empty_text=empty_text,
    )
