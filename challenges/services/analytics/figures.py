"""The analytics page's three charts, in the reader's language: funnel, participation over
time, participation by department. Pure: numbers in (from :mod:`read`), charts out."""

from __future__ import annotations

import msgspec
from babel.numbers import format_percent

from challenges.services.analytics import charts, rules
from challenges.services.analytics.shapes import BarRow, Chart, DataTable, Panel, Section
from challenges.services.analytics.views import ChallengeAnalytics, DepartmentShare, Timeline
from portal.i18n import format_number, get_language, ngettext
from portal.i18n import gettext as _

DEPARTMENT_ROWS = 12  # beyond this, the smallest departments share one "other" row

MAIN = "main"
OFF = "off"
ACCENT = "accent"
LINE = "line"


class Figures(msgspec.Struct, frozen=True):
    """The three charts of the analytics page."""

    funnel: Chart
    timeline: Chart
    departments: Chart


def draw(analytics: ChallengeAnalytics) -> Figures:
    """The charts for ``analytics``, labelled in the current language."""
    return Figures(
        funnel=funnel_chart(analytics),
        timeline=timeline_chart(analytics.timeline),
        departments=departments_chart(analytics.departments),
    )


def _percent(share: float) -> str:
    return format_percent(share, locale=get_language())


def funnel_chart(analytics: ChallengeAnalytics) -> Chart:
    """Ideas that reached each stage of the main line, then the off-ramps."""
    funnel = analytics.funnel
    steps = funnel.steps
    off_ramps = [ramp for ramp in funnel.off_ramps if ramp.ideas]
    left = sum(ramp.ideas for ramp in funnel.off_ramps)
    table = DataTable(
        columns=[_("Stage"), _("Ideas"), _("Share of all ideas")],
        rows=[[step.label, format_number(step.ideas), _percent(step.share)] for step in steps]
        + [
            [
                _("Left: %(stage)s", stage=ramp.label),
                format_number(ramp.ideas),
                _percent(ramp.ideas / funnel.total if funnel.total else 0.0),
            ]
            for ramp in funnel.off_ramps
        ],
    )
    by_stage = {step.stage: step.ideas for step in steps}
    description = _(
        "Of %(total)s ideas: %(screened)s reached screening, %(shortlisted)s the shortlist, "
        "%(selected)s selected, %(implemented)s implemented; %(left)s left the pipeline.",
        total=format_number(funnel.total),
        screened=format_number(by_stage.get("screening", 0)),
        shortlisted=format_number(by_stage.get("shortlist", 0)),
        selected=format_number(by_stage.get("selected", 0)),
        implemented=format_number(by_stage.get("implemented", 0)),
        left=format_number(left),
    )
    sections = [
        Section(
            title="",
            rows=[
                BarRow(
                    label=step.label,
                    values=[step.ideas],
                    tones=[MAIN],
                    notes=[_percent(step.share)],
                )
                for step in steps
            ],
        ),
        Section(
            title=_("Left the pipeline"),
            rows=[BarRow(label=ramp.label, values=[ramp.ideas], tones=[OFF]) for ramp in off_ramps],
        ),
    ]
    return charts.horizontal_bars(
        sections,
        title=_("Ideas per stage"),
        description=description,
        table=table,
        empty_text=_("No ideas yet: the funnel fills up as ideas come in and move on."),
        fmt=format_number,
    )


def _period_heading(granularity: str) -> str:
    return {rules.WEEK: _("Week of"), rules.MONTH: _("Month")}.get(granularity, _("Year"))


def timeline_chart(timeline: Timeline) -> Chart:
    """New ideas, comments and votes (columns) and distinct participants (a line) per period."""
    periods = timeline.periods
    table = DataTable(
        columns=[
            _period_heading(timeline.granularity),
            _("New ideas"),
            _("Comments"),
            _("Votes"),
            _("Participants"),
        ],
        rows=[
            [
                period.long_label,
                format_number(period.ideas),
                format_number(period.comments),
                format_number(period.votes),
                format_number(period.participants),
            ]
            for period in periods
        ],
    )
    description = ""
    if periods:
        busiest = max(periods, key=lambda period: (period.participants, period.starts_on))
        values = {
            "first": periods[0].long_label,
            "last": periods[-1].long_label,
            "peak": format_number(busiest.participants),
            "when": busiest.long_label,
        }
        if timeline.granularity == rules.WEEK:
            description = _(
                "Weekly from the week of %(first)s to the week of %(last)s. Most people took "
                "part in the week of %(when)s: %(peak)s.",
                **values,
            )
        elif timeline.granularity == rules.MONTH:
            description = _(
                "Monthly from %(first)s to %(last)s. Most people took part in %(when)s: %(peak)s.",
                **values,
            )
        else:
            description = _(
                "Yearly from %(first)s to %(last)s. Most people took part in %(when)s: %(peak)s.",
                **values,
            )
    return charts.column_panels(
        [period.label for period in periods],
        [
            Panel(
                title=_("New ideas"),
                values=[p.ideas for p in periods],
                tone=MAIN,
                empty_text=_("No new ideas in this time."),
            ),
            Panel(
                title=_("Comments"),
                values=[p.comments for p in periods],
                tone=MAIN,
                empty_text=_("No comments in this time."),
            ),
            Panel(
                title=_("Votes"),
                values=[p.votes for p in periods],
                tone=MAIN,
                empty_text=_("No votes in this time."),
            ),
            Panel(
                title=_("Participants"),
                values=[p.participants for p in periods],
                tone=LINE,
                style="line",
                empty_text=_("Nobody took part in this time."),
            ),
        ],
        title=_("Participation over time"),
        description=description,
        table=table,
        empty_text=_("Nobody has taken part yet: no ideas, comments or votes."),
        fmt=format_number,
    )


def _chart_rows(departments: list[DepartmentShare]) -> list[tuple[str, int, int]]:
    rows = [(d.name, d.participants, d.ideas) for d in departments]
    if len(rows) <= DEPARTMENT_ROWS:
        return rows
    shown, rest = rows[: DEPARTMENT_ROWS - 1], rows[DEPARTMENT_ROWS - 1 :]
    other = ngettext("%(num)s other department", "%(num)s other departments", len(rest))
    return [*shown, (other, sum(r[1] for r in rest), sum(r[2] for r in rest))]


def departments_chart(departments: list[DepartmentShare]) -> Chart:
    """Distinct participants and ideas per department, most participants first."""
    table = DataTable(
        columns=[_("Department"), _("Participants"), _("Ideas")],
        rows=[[d.name, format_number(d.participants), format_number(d.ideas)] for d in departments],
    )
    description = ""
    if departments:
        top = departments[0]
        description = ngettext(
            "People from %(num)s department took part; most came from %(name)s (%(people)s).",
            "People from %(num)s departments took part; most came from %(name)s (%(people)s).",
            len(departments),
            name=top.name,
            people=format_number(top.participants),
        )
    return charts.horizontal_bars(
        [
            Section(
                title="",
                rows=[
                    BarRow(label=name, values=[people, ideas], tones=[MAIN, ACCENT])
                    for name, people, ideas in _chart_rows(departments)
                ],
            )
        ],
        title=_("Participation by department"),
        description=description,
        table=table,
        empty_text=_("Nobody has taken part yet, so there is nothing to show per department."),
        legend=[(_("Participants"), MAIN), (_("Ideas"), ACCENT)],
        fmt=format_number,
    )
