"""The shapes a chart is made of, and the rows and panels charts are drawn from.

Plain structs in the user units of an SVG ``viewBox``; :mod:`charts` computes them and the
macros in ``templates/analytics/_charts.html`` draw them.
"""

from __future__ import annotations

import msgspec

FONT = 14.0  # the default text size, in user units


class Bar(msgspec.Struct, frozen=True):
    """A filled rectangle standing for ``value``; ``label`` says what it is (a tooltip)."""

    x: float
    y: float
    width: float
    height: float
    value: int
    tone: str
    label: str


class Text(msgspec.Struct, frozen=True):
    """A line of text; ``anchor`` is SVG's text-anchor (start, middle, end)."""

    x: float
    y: float
    text: str
    anchor: str = "start"
    tone: str = "ink"
    size: float = FONT
    bold: bool = False


class Rule(msgspec.Struct, frozen=True):
    """A straight line: an axis, a tick or a grid line."""

    x1: float
    y1: float
    x2: float
    y2: float
    tone: str = "axis"


class Point(msgspec.Struct, frozen=True):
    """A data point of a line."""

    x: float
    y: float
    value: int
    label: str


class Line(msgspec.Struct, frozen=True):
    """A polyline through data points (drawn with a dot on each)."""

    points: list[Point]
    tone: str

    @property
    def path(self) -> str:
        """The points as SVG's ``points`` attribute wants them."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


class Swatch(msgspec.Struct, frozen=True):
    """One entry of a legend."""

    x: float
    y: float
    tone: str
    text: str


class DataTable(msgspec.Struct, frozen=True):
    """The chart's numbers as a table: its text alternative."""

    columns: list[str]
    rows: list[list[str]]


class Chart(msgspec.Struct, frozen=True):
    """Everything one SVG chart draws, plus what it is and says in words.

    ``empty`` charts draw nothing: the page shows ``empty_text`` instead of bare axes.
    """

    title: str
    description: str
    width: float
    height: float
    bars: list[Bar]
    texts: list[Text]
    rules: list[Rule]
    lines: list[Line]
    legend: list[Swatch]
    table: DataTable
    empty: bool
    empty_text: str

    @property
    def view_box(self) -> str:
        """The SVG ``viewBox``."""
        return f"0 0 {self.width:g} {self.height:g}"


class BarRow(msgspec.Struct, frozen=True):
    """One labelled row of horizontal bars: a value per series, each with its tone.

    ``notes`` (optional, one per value) are added after the formatted value, e.g. "42%".
    """

    label: str
    values: list[int]
    tones: list[str]
    notes: list[str] = msgspec.field(default_factory=list)


class Section(msgspec.Struct, frozen=True):
    """Rows of bars under an optional heading (e.g. the off-ramps below the main line)."""

    title: str
    rows: list[BarRow]


class Panel(msgspec.Struct, frozen=True):
    """One series over time: drawn as columns or as a line (``style``), with its own scale.

    A series of zeros draws no axes: ``empty_text`` says so in words instead.
    """

    title: str
    values: list[int]
    tone: str
    style: str = "bars"
    empty_text: str = ""
