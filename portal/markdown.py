"""Render user-written Markdown to sanitised HTML; the only source of Markup from user text."""

from __future__ import annotations

import functools
import html
import re

import markdown
import nh3
from markupsafe import Markup

__all__ = [
    "MAX_MARKDOWN_BYTES",
    "MarkdownTooLarge",
    "render_markdown",
    "render_plain_excerpt",
]

MAX_MARKDOWN_BYTES = 50_000

# Python-Markdown rescans the rest of the text for every unclosed "[" or "](", every
# "<!--" after unclosed inline tags and every abbreviation, and CPython's html.parser for
# every unclosed "<tag": 50 kB of "[" takes minutes. _parse_cost() over-estimates that
# work in linear time; this budget keeps the slowest accepted input near half a second.
_MAX_PARSE_COST = 2_500_000

_EXTENSIONS = ("abbr", "fenced_code", "tables", "sane_lists")

_ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "b", "i", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img",
        "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "abbr",
    }
)  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
}
# Tags dropped together with everything inside them: their content is code, raw text
# or drawing markup, never prose the author meant to show.
_CLEAN_CONTENT_TAGS = frozenset(
    {
        "script", "style", "svg", "math", "iframe", "noscript", "noembed", "noframes",
        "template", "textarea", "select", "title", "xmp", "plaintext",
    }
)  # fmt: skip

_sanitise = functools.partial(
    nh3.clean,
    tags=set(_ALLOWED_TAGS),
    clean_content_tags=set(_CLEAN_CONTENT_TAGS),
    attributes=_ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener noreferrer",
    strip_comments=True,
)
_strip_all_tags = functools.partial(nh3.clean, tags=set(), attributes={}, link_rel=None)

_COST_TOKEN_RE = re.compile(r"[\[\]()>]|<[!?]|</?[A-Za-z][A-Za-z0-9-]*")
_ABBR_DEFINITION_RE = re.compile(r"^[ ]{0,3}\*\[", re.MULTILINE)
_TRAILING_PUNCTUATION = " ,;:.!?-–—"


class MarkdownTooLarge(ValueError):
    """Markdown input is over MAX_MARKDOWN_BYTES or too costly to parse."""


def render_markdown(text: str) -> Markup:
    """Render Markdown to sanitised HTML, raising MarkdownTooLarge for oversized input."""
    encoded = text.encode("utf-8", errors="replace")  # lone surrogates become "?"
    if len(encoded) > MAX_MARKDOWN_BYTES:
        raise MarkdownTooLarge(
            f"Markdown is {len(encoded)} bytes; the limit is {MAX_MARKDOWN_BYTES}."
        )
    text = encoded.decode("utf-8")
    if _parse_cost(text) > _MAX_PARSE_COST:
        raise MarkdownTooLarge("Markdown has too many unclosed brackets or tags to render.")
    # A fresh Markdown instance per call: instances keep per-document state and are not
    # thread safe, and building one costs ~0.1 ms against ~0.3 ms for a short render.
    converter = markdown.Markdown(extensions=list(_EXTENSIONS), output_format="html")
    return Markup(_sanitise(converter.convert(text)))  # noqa: S704 - sanitised by nh3


def render_plain_excerpt(text: str, limit: int = 200) -> str:
    """Render Markdown to plain text cut on a word boundary, for lists and e-mail.

    The result is not escaped; let the template or mail library escape it.

    Args:
        text: Markdown source, subject to the same limits as render_markdown().
        limit: Maximum length of the result in characters, including the "…".

    Raises:
        MarkdownTooLarge: The input is over the size or parse-cost limit.
        ValueError: ``limit`` is less than 1.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    plain = html.unescape(_strip_all_tags(str(render_markdown(text))))
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    cut = plain[: limit - 1]
    if not plain[limit - 1].isspace():
        head, space, _ = cut.rpartition(" ")
        if space and head:
            cut = head
    return cut.rstrip(_TRAILING_PUNCTUATION) + "…"


def _parse_cost(text: str) -> int:
    """Over-estimate, in characters scanned, Python-Markdown's super-linear work on text."""
    end = len(text)
    cost = 0
    brackets: list[int] = []  # open "[": each rescans to its "]"
    parens: list[int] = []  # open "(": each "](" rescans to its ")"; -1 for plain "("
    tags: list[int] = []  # "<x" with no ">" yet: each rescans to the next ">"
    open_tags: dict[str, int] = {}  # each "<!--" regex-searches the rest once per open tag
    open_total = 0
    for match in _COST_TOKEN_RE.finditer(text):
        mark, pos = match.group(), match.start()
        if mark == "[":
            brackets.append(pos)
        elif mark == "]":
            if brackets:
                cost += pos - brackets.pop()
        elif mark == "(":
            parens.append(pos if text[pos - 1 : pos] == "]" else -1)
        elif mark == ")":
            if parens and (start := parens.pop()) >= 0:
                cost += pos - start
        elif mark == ">":
            cost += len(tags) * pos - sum(tags)
            tags.clear()
        else:
            tags.append(pos)
            if mark == "<!":
                if text.startswith("<!--", pos):
                    cost += open_total * (end - pos) // 100  # a C regex: ~100x cheaper per char
            elif mark.startswith("</"):
                name = mark[2:].lower()
                if open_tags.get(name):
                    open_tags[name] -= 1
                    open_total -= 1
            elif mark != "<?":
                name = mark[1:].lower()
                open_tags[name] = open_tags.get(name, 0) + 1
                open_total += 1
    cost += sum(end - pos for pos in brackets)
    cost += sum(end - pos for pos in parens if pos >= 0)
    cost += sum(end - pos for pos in tags)
    # The abbr extension matches every abbreviation against the whole document.
    cost += len(_ABBR_DEFINITION_RE.findall(text)) * end // 10
    return cost
