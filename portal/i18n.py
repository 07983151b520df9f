"""English and Dutch: Babel catalogues, the request's language, and formatting helpers."""

from __future__ import annotations

import io
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, negotiate_locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import LazyProxy, NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
LANGUAGES: dict[str, str] = {"en": "English", "nl": "Nederlands"}
DEFAULT_LANGUAGE = "en"

_current_language: ContextVar[str] = ContextVar("vonk_language", default=DEFAULT_LANGUAGE)


@cache
def translations_for(language: str) -> NullTranslations:
    """The compiled catalogue for ``language`` (English is the source language)."""
    po_path = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # compiled in memory, so a stale .mo can never be served
    buffer.seek(0)
    return Translations(fp=buffer)


def set_language(language: str) -> None:
    """Make ``language`` the language of the current request or task."""
    _current_language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def get_language() -> str:
    """The language of the current request or task."""
    return _current_language.get()


def gettext(message: str, **variables: Any) -> str:
    """Translate ``message`` into the current language, then fill ``%(name)s`` variables."""
    text = translations_for(get_language()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """Translate a message whose form depends on ``n``."""
    text = translations_for(get_language()).ngettext(singular, plural, n)
    variables.setdefault("num", n)
    return text % variables


def lazy_gettext(message: str, **variables: Any) -> LazyProxy:
    """A translation evaluated when rendered, for module-level constants."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


_ = gettext


def pick_language(
    user_language: str | None, cookie_language: str | None, accept_language: str | None
) -> str:
    """The user's setting, else their language cookie, else the browser's preference."""
    for choice in (user_language, cookie_language):
        if choice in LANGUAGES:
            return choice
    if accept_language:
        preferred = _parse_accept_language(accept_language)
        found = negotiate_locale(preferred, list(LANGUAGES), sep="-")
        if found:
            return found.split("-")[0]
    return DEFAULT_LANGUAGE


def _parse_accept_language(header: str) -> list[str]:
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        piece = part.strip()
        if not piece:
            continue
        tag, _sep, params = piece.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip().lower()))
    return [tag.split("-")[0] for _q, _i, tag in sorted(ranked) if tag and tag != "*"]


def format_when(value: datetime | None, style: str = "medium") -> str:
    """A date and time in the current language."""
    if value is None:
        return ""
    return format_datetime(value, format=style, locale=get_language())


def format_day(value: datetime | None, style: str = "medium") -> str:
    """A date in the current language."""
    if value is None:
        return ""
    return format_date(value, format=style, locale=get_language())


def format_number(value: float | int) -> str:
    """A number with the current language's separators."""
    return format_decimal(value, locale=get_language())


def language_names() -> Iterable[tuple[str, str]]:
    """(code, own name) pairs for language pickers."""
    return LANGUAGES.items()


def locale_for(language: str) -> Locale:
    """The Babel locale of ``language``."""
    return Locale.parse(language)
