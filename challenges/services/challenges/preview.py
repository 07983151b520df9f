"""The live Markdown preview used by every editor (briefs, idea bodies, comments)."""

from __future__ import annotations

from markupsafe import Markup

from portal.errors import TooLarge
from portal.i18n import gettext as _
from portal.markdown import MAX_MARKDOWN_BYTES, MarkdownTooLarge, render_markdown


def render_preview(text: str) -> Markup:
    """The sanitised HTML of ``text`` exactly as it would be stored; over 50 KB is TooLarge."""
    try:
        return render_markdown(text)
    except MarkdownTooLarge as exc:
        raise TooLarge(
            _("The text is too long to preview: at most %(kb)s KB.", kb=MAX_MARKDOWN_BYTES // 1000)
        ) from exc
