"""Chart geometry (pure) and the Jinja macros drawing it as inline SVG."""

from __future__ import annotations

import re

import pytest

from challenges.services.analytics import charts
from challenges.services.analytics.shapes import BarRow, Chart, DataTable, Panel, Section
from portal import i18n
from portal.templating import build_environment

TABLE = DataTable(columns=["Thing", "Count"], rows=[["A", "1"]])


def bars(rows: list[BarRow], **options) -> Chart:
    return charts.horizontal_bars(
        [Section(title="", rows=rows)],
        title="Title",
        description="Description",
        table=TABLE,
        empty_text="Nothing yet.",
        **options,
    )


def panels(labels: list[str], *series: Panel) -> Chart:
    return charts.column_panels(
        labels, list(series), title="T", description="D", table=TABLE, empty_text="Nothing yet."
    )


def render(chart: Chart, caption: str = "Caption", note: str = "") -> str:
    env = build_environment()
    return str(env.get_template("analytics/_charts.html").module.figure(chart, "c1", caption, note))


def test_bar_lengths_are_proportional_to_the_values():
    chart = bars(
        [
            BarRow(label="Submitted", values=[40], tones=["main"]),
            BarRow(label="Screening", values=[20], tones=["main"]),
            BarRow(label="Evaluation", values=[10], tones=["main"]),
            BarRow(label="Shortlist", values=[0], tones=["main"]),
        ]
    )
    widths = [bar.width for bar in chart.bars]
    assert widths[0] > 100
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.01)
    assert widths[2] == pytest.approx(widths[0] / 4, abs=0.01)
    assert widths[3] == 0
    assert all(bar.x == 0 for bar in chart.bars)
    # Every bar and its value text stay inside the viewBox.
    assert max(bar.width for bar in chart.bars) + 5 + charts.text_width("40") <= charts.WIDTH
    assert [bar.y for bar in chart.bars] == sorted(bar.y for bar in chart.bars)
    assert chart.height >= chart.bars[-1].y + chart.bars[-1].height
    assert [t.text for t in chart.texts if t.size == charts.SMALL] == ["40", "20", "10", "0"]
    assert not chart.empty


def test_grouped_bars_share_one_scale_and_a_legend():
    chart = bars(
        [
            BarRow(label="Logistics", values=[8, 2], tones=["main", "accent"]),
            BarRow(label="Finance", values=[4, 6], tones=["main", "accent"]),
        ],
        legend=[("Participants", "main"), ("Ideas", "accent")],
    )
    by_value = {bar.value: bar.width for bar in chart.bars}
    assert by_value[4] == pytest.approx(by_value[8] / 2, abs=0.01)
    assert by_value[6] == pytest.approx(by_value[8] * 3 / 4, abs=0.01)
    assert [bar.tone for bar in chart.bars] == ["main", "accent", "main", "accent"]
    assert [swatch.text for swatch in chart.legend] == ["Participants", "Ideas"]
    assert min(bar.y for bar in chart.bars) > chart.legend[0].y + 12  # below the legend


def test_notes_follow_the_values():
    chart = bars([BarRow(label="Selected", values=[3], tones=["main"], notes=["25%"])])
    assert "3 (25%)" in [t.text for t in chart.texts]


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [BarRow(label="Submitted", values=[0], tones=["main"])],
        [BarRow(label="A", values=[0, 0], tones=["main", "accent"])],
    ],
)
def test_no_data_draws_an_empty_state_not_an_empty_axis(rows):
    chart = bars(rows)
    assert chart.empty
    assert chart.bars == []
    assert chart.texts == []
    assert chart.rules == []
    html = render(chart)
    assert "Nothing yet." in html
    assert "<svg" not in html
    assert "<table" not in html


def test_long_labels_are_cut_to_one_line_and_kept_whole_in_the_tooltip():
    label = "Facilities, Workplace Services and Sustainable Procurement (EMEA North)"
    chart = bars([BarRow(label=label + "\n second line", values=[5], tones=["main"])])
    shown = chart.texts[0].text
    assert shown.endswith("…")
    assert len(shown) <= charts.LABEL_CHARS
    assert "\n" not in shown
    assert charts.text_width(shown) <= charts.WIDTH
    assert chart.bars[0].label.startswith(label)
    assert charts.truncate("Short") == "Short"
    assert charts.truncate("a  b\tc") == "a b c"


def test_labels_are_escaped_in_the_rendered_svg_and_table():
    evil = '<script>alert("x")</script>'
    chart = charts.horizontal_bars(
        [Section(title="<b>section</b>", rows=[BarRow(label=evil, values=[2], tones=["main"])])],
        title="<i>title</i>",
        description="a & b",
        table=DataTable(columns=["<th>"], rows=[[evil]]),
        empty_text="",
        legend=[("<u>legend</u>", "main")],
    )
    html = render(chart, caption="<em>caption</em>", note="<hr>")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    for raw in ("<b>section</b>", "<i>title</i>", "<u>legend</u>", "<em>caption</em>", "<hr>"):
        assert raw not in html
    assert "&lt;b&gt;section&lt;/b&gt;" in html
    assert "a &amp; b" in html


def test_the_rendered_figure_is_accessible_svg_without_inline_styles():
    chart = bars([BarRow(label="Submitted", values=[4], tones=["main"])])
    html = render(chart, note="A note.")
    assert html.lstrip().startswith("<figure")
    assert "<figcaption" in html
    assert "Caption" in html
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="c1-title"' in svg
    assert 'aria-describedby="c1-desc"' in svg
    assert f'viewBox="0 0 360 {chart.height:g}"' in svg
    assert 'width="100%"' in svg
    assert '<title id="c1-title">Title</title>' in html
    assert '<desc id="c1-desc">Description</desc>' in html
    assert "<details" in html
    assert '<th scope="row">A</th>' in html
    assert "A note." in html
    assert "style=" not in html
    assert 'fill="#2d5a8e"' in html


def test_numbers_are_formatted_in_the_reader_s_language():
    row = [BarRow(label="Votes", values=[1234567], tones=["main"])]
    i18n.set_language("nl")
    try:
        dutch = bars(row, fmt=i18n.format_number)
        tooltip = render(dutch)
    finally:
        i18n.set_language("en")
    english = bars(row, fmt=i18n.format_number)
    assert "1.234.567" in [t.text for t in dutch.texts]
    assert "1,234,567" in [t.text for t in english.texts]
    assert "Votes: 1.234.567" in tooltip


def test_columns_over_time_are_proportional_on_a_round_scale():
    labels = [f"W{n}" for n in range(1, 9)]
    chart = panels(
        labels,
        Panel(title="Ideas", values=[0, 3, 6, 12, 0, 0, 1, 2], tone="main"),
        Panel(title="People", values=[1, 2, 2, 5, 0, 0, 1, 1], tone="line", style="line"),
    )
    assert not chart.empty
    ideas = chart.bars
    assert len(ideas) == 8
    top = charts.nice_top(12)
    assert top == 12
    assert ideas[3].height == pytest.approx(charts.PANEL_HEIGHT)
    assert ideas[2].height == pytest.approx(ideas[3].height / 2)
    assert ideas[1].height == pytest.approx(ideas[3].height / 4)
    assert ideas[0].height == 0
    # Columns stand on one baseline, left to right, inside the plot.
    assert len({round(bar.y + bar.height, 2) for bar in ideas}) == 1
    assert [bar.x for bar in ideas] == sorted(bar.x for bar in ideas)
    assert ideas[0].x >= charts.GUTTER
    assert ideas[-1].x + ideas[-1].width <= charts.WIDTH
    line = chart.lines[0]
    assert len(line.points) == 8
    baseline = max(p.y for p in line.points if p.value == 0)
    peak = next(p for p in line.points if p.value == 5)
    assert baseline - peak.y == pytest.approx(charts.PANEL_HEIGHT)  # 5 is the top of 1..5
    assert line.path.startswith(f"{line.points[0].x:.1f},")
    # The scale is labelled: 0 and the top of each panel.
    texts = [t.text for t in chart.texts]
    assert "12" in texts
    assert "5" in texts
    assert texts.count("0") == 2
    # At most four time labels: the first and the last among them, inside the viewBox.
    axis = [t for t in chart.texts if t.anchor == "middle"]
    assert next(t.text for t in axis) == "W1"
    assert [t.text for t in axis][-1] == "W8"
    assert len(axis) <= charts.MAX_AXIS_LABELS
    assert all(0 <= t.x <= charts.WIDTH for t in axis)


def test_a_single_period_still_draws_and_rendering_has_a_polyline():
    chart = panels(["Mar 2"], Panel(title="People", values=[3], tone="line", style="line"))
    html = render(chart)
    assert "<polyline" in html
    assert html.count("<circle") == 1


@pytest.mark.parametrize(
    ("labels", "values"),
    [([], []), (["W1", "W2"], [0, 0])],
)
def test_an_empty_time_series_is_an_empty_state(labels, values):
    chart = panels(labels, Panel(title="Ideas", values=values, tone="main"))
    assert chart.empty
    assert "<svg" not in render(chart)


@pytest.mark.parametrize(
    ("value", "top"),
    [
        (0, 1),
        (1, 1),
        (4, 4),
        (6, 6),
        (7, 8),
        (9, 10),
        (11, 12),
        (13, 15),
        (42, 50),
        (99, 100),
        (101, 120),
        (2600, 3000),
    ],
)
def test_round_tops(value, top):
    assert charts.nice_top(value) == top


def test_axis_positions_pick_the_ends_and_a_few_between():
    assert charts.axis_positions(0) == []
    assert charts.axis_positions(3) == [0, 1, 2]
    assert charts.axis_positions(52) == [0, 17, 34, 51]
    assert charts.axis_positions(5, most=2) == [0, 4]


def test_a_series_of_zeros_says_so_in_words_instead_of_drawing_empty_axes():
    chart = panels(
        ["W1", "W2", "W3"],
        Panel(title="Ideas", values=[1, 0, 2], tone="main"),
        Panel(title="Comments", values=[0, 0, 0], tone="main", empty_text="No comments."),
    )
    assert not chart.empty
    assert "No comments." in [t.text for t in chart.texts]
    assert len(chart.bars) == 3  # only the ideas are drawn
    grid = [rule for rule in chart.rules if rule.tone == "grid"]
    assert len(grid) == 1  # one scale: the comments get none
    # The time axis still gets its own line and labels below the last (empty) panel.
    comments_title = next(t for t in chart.texts if t.text == "Comments")
    axis = [t for t in chart.texts if t.anchor == "middle"]
    assert [t.text for t in axis] == ["W1", "W2", "W3"]
    assert all(t.y > comments_title.y for t in axis)
    assert chart.height > max(t.y for t in axis)
