"""Checking what people write in a lesson: title, the three texts, outcome and tags."""

from __future__ import annotations

import msgspec

from challenges.services.lessons import rules
from challenges.services.tags import parse_tags
from portal.i18n import gettext as _
from portal.markdown import MAX_MARKDOWN_BYTES, MarkdownTooLarge, render_markdown
from portal.validation import FieldErrors, check_line, clean_text


class Content(msgspec.Struct, frozen=True):
    """A lesson's text after checking: ready to store."""

    title: str
    tried: str
    tried_html: str
    happened: str
    happened_html: str
    learned: str
    learned_html: str
    outcome: str
    tags: list[str]


def _labels() -> dict[str, str]:
    return {
        "tried": _("What we tried"),
        "happened": _("What happened"),
        "learned": _("What we learned"),
    }


def _text(errors: FieldErrors, field: str, raw: str) -> tuple[str, str]:
    """A required Markdown text and its sanitised HTML (a field error when empty or too big)."""
    text = clean_text(raw)
    if not text:
        errors.add(field, _("%(label)s is required.", label=_labels()[field]))
        return text, ""
    try:
        return text, str(render_markdown(text))
    except MarkdownTooLarge:
        errors.add(
            field,
            _(
                "This text can be at most %(kb)s KB (or it has too many unclosed brackets).",
                kb=MAX_MARKDOWN_BYTES // 1000,
            ),
        )
        return text, ""


def check_content(
    errors: FieldErrors,
    *,
    title: str,
    tried: str,
    happened: str,
    learned: str,
    outcome: str,
    tags: str,
) -> Content:
    """Check every field, collecting one message per field (the caller raises them)."""
    clean_title = check_line(errors, "title", title, label=_("Title"), max_length=rules.MAX_TITLE)
    tried_text, tried_html = _text(errors, "tried", tried)
    happened_text, happened_html = _text(errors, "happened", happened)
    learned_text, learned_html = _text(errors, "learned", learned)
    chosen = (outcome or "").strip()
    if chosen not in rules.OUTCOMES:
        errors.add("outcome", _("Choose how it turned out."))
    return Content(
        title=clean_title,
        tried=tried_text,
        tried_html=tried_html,
        happened=happened_text,
        happened_html=happened_html,
        learned=learned_text,
        learned_html=learned_html,
        outcome=chosen,
        tags=parse_tags(errors, "tags", tags),
    )
