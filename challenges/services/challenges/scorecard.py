"""The scorecard editor's rules: which rows count, in which order, within which limits."""

from __future__ import annotations

import msgspec

from challenges.services.challenges.rules import whole_number
from challenges.services.challenges.views import CriterionInput
from portal.i18n import gettext as _
from portal.validation import FieldErrors, clean_line

MAX_CRITERIA = 12
BLANK_CRITERIA_ROWS = 3  # empty scorecard rows the form offers for adding criteria
MAX_CRITERION_NAME = 80
MAX_GUIDANCE = 500
WEIGHTS = range(1, 11)
SCALES = range(3, 11)


class CriterionSpec(msgspec.Struct, frozen=True):
    """A validated scorecard row; ``id`` None means a new criterion."""

    id: int | None
    name: str
    guidance: str
    weight: int
    scale_max: int


def parse_criteria(errors: FieldErrors, rows: list[CriterionInput]) -> list[CriterionSpec]:
    """Scorecard rows → validated criteria in their new order.

    Blank rows and rows ticked "remove" drop out; the rest are ordered by their position
    field (then by their place in the form). Errors go on ``criteria-<row>-<field>``.
    """
    kept: list[tuple[int, int, CriterionSpec]] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        name = clean_line(row.name)
        guidance = clean_line(row.guidance)
        if row.remove or not (name or guidance):
            continue
        prefix = f"criteria-{index}-"
        if not name:
            errors.add(prefix + "name", _("Give this criterion a name, or clear the row."))
        elif len(name) > MAX_CRITERION_NAME:
            errors.add(
                prefix + "name", _("Use at most %(max)s characters.", max=MAX_CRITERION_NAME)
            )
        elif name.casefold() in seen:
            errors.add(prefix + "name", _("Each criterion needs a name of its own."))
        seen.add(name.casefold())
        if len(guidance) > MAX_GUIDANCE:
            errors.add(prefix + "guidance", _("Use at most %(max)s characters.", max=MAX_GUIDANCE))
        weight = whole_number(row.weight, default=1)
        if weight is None or weight not in WEIGHTS:
            errors.add(prefix + "weight", _("Choose a weight from 1 to 10."))
            weight = 1
        scale_max = whole_number(row.scale_max, default=5)
        if scale_max is None or scale_max not in SCALES:
            errors.add(prefix + "scale_max", _("Choose a scale from 3 to 10."))
            scale_max = 5
        position = whole_number(row.position, default=index + 1)
        if position is None:
            errors.add(prefix + "position", _("Use a whole number."))
            position = index + 1
        existing = whole_number(row.id)
        spec = CriterionSpec(
            id=existing if existing and existing > 0 else None,
            name=name,
            guidance=guidance,
            weight=weight,
            scale_max=scale_max,
        )
        kept.append((position, index, spec))
    if len(kept) > MAX_CRITERIA:
        errors.add("criteria", _("A scorecard has at most %(max)s criteria.", max=MAX_CRITERIA))
    return [spec for _position, _index, spec in sorted(kept, key=lambda item: item[:2])]
