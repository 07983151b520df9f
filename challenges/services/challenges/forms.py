"""The challenge form's fields: reading them into a ChallengeInput and filling them back in.

The scorecard is edited without JavaScript: the form shows the current criteria plus a
few blank rows, each with a position field (to reorder) and a "remove" checkbox.
"""

from __future__ import annotations

from datetime import timedelta

from challenges.services.challenges import money, rules, scorecard
from challenges.services.challenges.views import ChallengeInput, ChallengeView, CriterionInput

FORM_ROWS = scorecard.MAX_CRITERIA + scorecard.BLANK_CRITERIA_ROWS
ROW_FIELDS = ("id", "name", "guidance", "weight", "scale_max", "position", "remove")
MAIN_FIELDS = (
    "title",
    "brief",
    "budget",
    "currency",
    "opens_on",
    "closes_on",
    "tags",
    "blind_screening",
    "winner_by",
    "winner_count",
)


def field_names() -> list[str]:
    """Every field the form may send (anything else is ignored)."""
    rows = [f"criteria-{i}-{name}" for i in range(FORM_ROWS) for name in ROW_FIELDS]
    return [*MAIN_FIELDS, "version", "intent", *rows]


def input_from_form(form: dict[str, str]) -> ChallengeInput:
    """The submitted form as the service's input."""
    rows = [
        CriterionInput(
            id=form.get(f"criteria-{i}-id", ""),
            name=form.get(f"criteria-{i}-name", ""),
            guidance=form.get(f"criteria-{i}-guidance", ""),
            weight=form.get(f"criteria-{i}-weight", ""),
            scale_max=form.get(f"criteria-{i}-scale_max", ""),
            position=form.get(f"criteria-{i}-position", ""),
            remove=bool(form.get(f"criteria-{i}-remove")),
        )
        for i in range(FORM_ROWS)
    ]
    return ChallengeInput(
        title=form.get("title", ""),
        brief=form.get("brief", ""),
        budget=form.get("budget", ""),
        currency=form.get("currency", "") or "EUR",
        opens_on=form.get("opens_on", ""),
        closes_on=form.get("closes_on", ""),
        tags=form.get("tags", ""),
        blind_screening=bool(form.get("blind_screening")),
        winner_by=form.get("winner_by", "") or "jury",
        winner_count=form.get("winner_count", "") or "1",
        criteria=rows,
    )


def _blank(position: int) -> dict[str, str]:
    return {
        "id": "",
        "name": "",
        "guidance": "",
        "weight": "1",
        "scale_max": "5",
        "position": str(position),
        "remove": "",
    }


def rows_with_blanks(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """``rows`` plus blank rows to add criteria, never more than the form can take."""
    free = max(0, min(scorecard.BLANK_CRITERIA_ROWS, scorecard.MAX_CRITERIA - len(rows)))
    rows = rows + [_blank(len(rows) + n + 1) for n in range(free)]
    return rows[:FORM_ROWS]


def values_of(view: ChallengeView, language: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """A stored challenge as form values and scorecard rows (the edit form)."""
    values = {
        "title": view.title,
        "brief": view.brief,
        "budget": money.budget_as_input(view.budget_minor, view.currency, language),
        "currency": view.currency,
        "opens_on": rules.day_of(view.opens_at).isoformat(),
        "closes_on": rules.day_of(view.closes_at).isoformat(),
        "tags": ", ".join(view.tags),
        "blind_screening": "1" if view.blind_screening else "",
        "winner_by": view.winner_by,
        "winner_count": str(view.winner_count),
        "version": str(view.version),
    }
    rows = [
        {
            "id": str(c.id),
            "name": c.name,
            "guidance": c.guidance,
            "weight": str(c.weight),
            "scale_max": str(c.scale_max),
            "position": str(n),
            "remove": "",
        }
        for n, c in enumerate(view.criteria, start=1)
    ]
    return values, rows_with_blanks(rows)


def values_from_form(form: dict[str, str]) -> tuple[dict[str, str], list[dict[str, str]]]:
    """What the person typed, to show the form again (errors, conflicts, previews).

    Rows keep their place, so an error on ``criteria-3-weight`` stays on the fourth row.
    """
    values = {name: form.get(name, "") for name in (*MAIN_FIELDS, "version")}
    rows = [
        {name: form.get(f"criteria-{i}-{name}", "") for name in ROW_FIELDS}
        for i in range(FORM_ROWS)
    ]
    used = [
        i
        for i, row in enumerate(rows)
        if row["id"] or row["name"].strip() or row["guidance"].strip()
    ]
    rows = rows[: used[-1] + 1] if used else []
    for n, row in enumerate(rows, start=1):
        if not (row["id"] or row["name"].strip() or row["guidance"].strip()):
            rows[n - 1] = _blank(n)
    return values, rows_with_blanks(rows)


def new_values(language: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """An empty form: opens today, closes in four weeks, the standard scorecard rows blank."""
    today = rules.day_of(rules.now_utc())
    values = dict.fromkeys((*MAIN_FIELDS, "version"), "")
    values.update(
        currency="EUR",
        winner_by="jury",
        winner_count="1",
        opens_on=today.isoformat(),
        closes_on=(today + timedelta(days=28)).isoformat(),
    )
    return values, rows_with_blanks([])
