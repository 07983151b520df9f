"""Words the search pages show for index values: result types, outcomes, facets, match places."""

from __future__ import annotations

from typing import Any

from challenges.services.challenges.labels import outcome_label, stage_label, state_label
from portal.i18n import gettext as _

FACET_ORDER = ("kind", "challenge", "stage", "tag", "outcome", "year")
# The query parameter behind each facet (``kind`` is ``type`` in URLs and the API).
FACET_PARAMS = {
    "kind": "type",
    "challenge": "challenge",
    "stage": "stage",
    "tag": "tag",
    "outcome": "outcome",
    "year": "year",
}


def kind_label(kind: str) -> str:
    """The badge of one result: Idea, Challenge or Lesson."""
    labels = {"idea": _("Idea"), "challenge": _("Challenge"), "lesson": _("Lesson")}
    return labels.get(kind, kind)


def kind_plural(kind: str) -> str:
    """A type in the type filter: Ideas, Challenges, Lessons."""
    labels = {"idea": _("Ideas"), "challenge": _("Challenges"), "lesson": _("Lessons")}
    return labels.get(kind, kind)


def facet_title(key: str) -> str:
    """The heading of one filter group."""
    titles = {
        "kind": _("Type"),
        "challenge": _("Challenge"),
        "stage": _("Stage"),
        "tag": _("Tag"),
        "outcome": _("Outcome"),
        "year": _("Year"),
    }
    return titles.get(key, key)


def facet_value_label(key: str, value: str, titles: dict[str, str] | None = None) -> str:
    """One value of a filter group as people read it (a challenge by its title)."""
    if key == "kind":
        return kind_plural(value)
    if key == "stage":
        return stage_label(value)
    if key == "outcome":
        return outcome_label(value)
    if key == "challenge":
        title = (titles or {}).get(value, "")
        return title or value.replace("-", " ").capitalize()
    return value


def matched_label(place: str) -> str:
    """Why a result is listed: the part of it the words were found in."""
    labels = {
        "title": _("Matched in the title"),
        "summary": _("Matched in the summary"),
        "body": _("Matched in the text"),
        "tags": _("Matched in the tags"),
        "discussion": _("Matched in a comment"),
    }
    return labels.get(place, "")


def chosen_keys(request: Any) -> list[str]:
    """The filters a search request uses, in display order."""
    return [key for key in FACET_ORDER if getattr(request, key, "")]


def facet_keys(facets: dict[str, list[Any]]) -> list[str]:
    """The filter groups that have values to offer, in display order."""
    return [key for key in FACET_ORDER if facets.get(key)]


def template_helpers() -> dict[str, Any]:
    """Helpers every search template uses."""
    return {
        "kind_label": kind_label,
        "state_label": state_label,
        "facet_title": facet_title,
        "facet_value_label": facet_value_label,
        "matched_label": matched_label,
        "chosen_keys": chosen_keys,
        "facet_keys": facet_keys,
        "facet_params": FACET_PARAMS,
    }
