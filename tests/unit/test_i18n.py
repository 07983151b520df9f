"""Translations: the Dutch catalogue is complete and current, templates hold no text outside it,
and the language helpers pick a language and format dates and numbers per locale."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from portal import i18n
from portal.roles import role_label
from portal.templating import build_environment

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"
NL_PO = ROOT / "portal" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
TEMPLATES_DIR = ROOT / "templates"

# The keywords `make messages` passes to pybabel extract (-k lazy_gettext -k ngettext:1,2).
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "ngettext": (1, 2)}
# Directories never scanned. Unlike babel's default filter this keeps "_"-prefixed folders:
# templates/_macros holds translatable strings too.
SKIPPED_DIRS = {"node_modules", "var", "__pycache__", "test-artifacts", "build"}

PLACEHOLDER = re.compile(r"%\(([^)]*)\)")
# Letters a template may show without a translation: the brand name only.
ALLOWED_WORDS = {"Vonk"}
LETTERS = re.compile(r"[^\W\d_]+")
USER_VISIBLE_ATTRIBUTES = (
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-placeholder",
    "aria-roledescription",
    "aria-valuetext",
    "title",
    "alt",
    "label",
)
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
JINJA_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
HTML_TAG = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
ATTRIBUTE = re.compile(
    r"(?<![\w-])(" + "|".join(map(re.escape, USER_VISIBLE_ATTRIBUTES)) + r")\s*=\s*"
    r"(?:\"([^\"]*)\"|'([^']*)')",
    re.IGNORECASE,
)
JINJA_MARK = "\x00"  # stands in for a {{ … }} / {% … %} while attributes are checked

WHEN = datetime(2026, 3, 5, 14, 7, tzinfo=UTC)


# --- helpers -----------------------------------------------------------------------------


def _ids(message_id: str | tuple[str, ...]) -> tuple[str, ...]:
    return message_id if isinstance(message_id, tuple) else (message_id,)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _formats(text: str, names: set[str]) -> bool:
    """True when ``text % {...}`` works (Jinja always %-formats a translation)."""
    try:
        text % {name: "x" for name in names}
    except (ValueError, TypeError, KeyError):
        return False
    return True


def _templates() -> list[Path]:
    return sorted(TEMPLATES_DIR.rglob("*.html"))


def _keep_dir(path: str) -> bool:
    name = Path(path).name
    return not name.startswith(".") and name not in SKIPPED_DIRS


def _extract_from_source() -> tuple[dict[str, str], set[str]]:
    """Messages in the code as `make messages` finds them: {msgid: where}, and scanned files."""
    with BABEL_CFG.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(BABEL_CFG))
    method_map = [
        (pattern, "jinja2.ext:babel_extract" if method == "jinja2" else method)
        for pattern, method in method_map
    ]
    scanned: set[str] = set()

    def seen(filename: str, _method: str, _options: dict) -> None:
        scanned.add(filename)

    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        callback=seen,
        directory_filter=_keep_dir,
    ):
        for msgid in _ids(message):
            if msgid:
                found.setdefault(msgid, f"{filename}:{lineno}")
    return found, scanned


def _visible_text(source: str) -> str:
    """A template's text nodes: no Jinja, HTML comments, scripts, styles or tags."""
    text = JINJA_COMMENT.sub("", source)
    text = JINJA_TAG.sub(" ", text)
    text = HTML_COMMENT.sub(" ", text)
    text = SCRIPT_OR_STYLE.sub(" ", text)
    text = HTML_TAG.sub(" ", text)
    return html.unescape(text)


def _stray_words(text: str) -> list[str]:
    return [word for word in LETTERS.findall(text) if word not in ALLOWED_WORDS]


def _untranslated_attributes(source: str) -> list[str]:
    """User-visible attributes whose value is literal text rather than a Jinja expression."""
    text = JINJA_COMMENT.sub("", source)
    text = JINJA_TAG.sub(JINJA_MARK, text)
    text = HTML_COMMENT.sub("", text)
    problems = []
    for match in ATTRIBUTE.finditer(text):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        if value.replace(JINJA_MARK, "").strip():
            problems.append(f'{match.group(1)}="{value.replace(JINJA_MARK, "{{…}}")}"')
    return problems


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nl_catalog() -> Catalog:
    with NL_PO.open("rb") as handle:
        return read_po(handle, locale="nl")


@pytest.fixture
def language() -> Iterator[object]:
    """Call ``language("nl")`` in a test; the default language is restored afterwards."""
    yield i18n.set_language
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def dutch(language) -> None:
    language("nl")


# --- the catalogue -----------------------------------------------------------------------


def test_dutch_catalogue_is_complete(nl_catalog):
    problems = []
    messages = [message for message in nl_catalog if message.id]
    assert len(messages) > 100, "the Dutch catalogue looks empty"
    for message in messages:
        english = _ids(message.id)
        dutch = _ids(message.string)
        label = english[0]
        if message.fuzzy:
            problems.append(f"fuzzy: {label!r}")
        if message.pluralizable and len(dutch) != nl_catalog.num_plurals:
            problems.append(f"needs {nl_catalog.num_plurals} plural forms: {label!r}")
        for index, translation in enumerate(dutch):
            if not translation or not translation.strip():
                problems.append(f"untranslated: {label!r}")
                continue
            # Dutch has English's two forms: [0] pairs with msgid, [1] with msgid_plural.
            source = english[min(index, len(english) - 1)]
            wanted = _placeholders(source)
            if _placeholders(translation) != wanted:
                problems.append(
                    f"placeholders differ: {label!r} has {sorted(wanted)}, "
                    f"{translation!r} has {sorted(_placeholders(translation))}"
                )
            elif _formats(source, wanted) and not _formats(translation, wanted):
                problems.append(f"not a valid %-format string: {translation!r}")
    assert not problems, "\n".join(problems)


def test_dutch_catalogue_passes_babel_checks(nl_catalog):
    errors = [
        f"{_ids(message.id)[0]!r}: {'; '.join(map(str, message_errors))}"
        for message, message_errors in nl_catalog.check()
    ]
    assert not errors, "\n".join(errors)


def test_catalogue_is_up_to_date_with_the_code(nl_catalog):
    extracted, scanned = _extract_from_source()
    missing_templates = {str(path.relative_to(ROOT)) for path in _templates()} - scanned
    assert not missing_templates, f"templates the extractor never read: {missing_templates}"
    assert len(extracted) > 100, "extraction found almost nothing; is babel.cfg right?"
    translated = {msgid for message in nl_catalog if message.id for msgid in _ids(message.id)}
    missing = sorted(
        f"{msgid!r} ({where})" for msgid, where in extracted.items() if msgid not in translated
    )
    assert not missing, "run make messages and translate:\n" + "\n".join(missing)


# --- templates ---------------------------------------------------------------------------


def test_templates_are_found():
    assert len(_templates()) >= 5


@pytest.mark.parametrize("template", _templates(), ids=lambda path: str(path.relative_to(ROOT)))
def test_template_text_is_translatable(template):
    source = template.read_text(encoding="utf-8")
    stray = _stray_words(_visible_text(source))
    assert not stray, f"wrap in {{{{ _(...) }}}} and translate: {stray}"
    literal = _untranslated_attributes(source)
    assert not literal, f"use {{{{ _(...) }}}} in these attributes: {literal}"


def test_template_checker_spots_untranslated_text():
    source = """{# a comment #}<!doctype html><title>{% block t %}{% endblock %} · Vonk</title>
<script>const hello = "world";</script><style>p { color: red }</style><!-- note -->
<p>{{ _("Fine") }} &amp; → … Vonk</p>
<img alt="" src="x.svg"><input placeholder="{{ _('Search…') }}" title='{{ t }}'>"""
    assert _stray_words(_visible_text(source)) == []
    assert _untranslated_attributes(source) == []
    bad = """<p>Welcome {{ name }}</p><a aria-label="Home" href="/">x</a>
<input placeholder='{{ q }} more'><img alt="Logo">"""
    assert _stray_words(_visible_text(bad)) == ["Welcome", "x"]
    assert _untranslated_attributes(bad) == [
        'aria-label="Home"',
        'placeholder="{{…}} more"',
        'alt="Logo"',
    ]


# --- picking the language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "cookie", "header", "expected"),
    [
        ("nl", "en", "en-US,en;q=0.9", "nl"),
        ("en", "nl", "nl-NL,nl;q=0.9", "en"),
        (None, "nl", "en-US,en;q=0.9", "nl"),
        (None, "en", "nl", "en"),
        ("", "", "nl", "nl"),
        ("de", "xx", "nl-NL", "nl"),
        (None, None, "nl-NL,nl;q=0.9,en;q=0.8", "nl"),
        (None, None, "nl-BE", "nl"),
        (None, None, "NL", "nl"),
        (None, None, "de-DE,fr;q=0.5", "en"),
        (None, None, "en-GB,en;q=0.9,nl;q=0.8", "en"),
        (None, None, "de;q=1.0, nl;q=0.7, en;q=0.3", "nl"),
        (None, None, "en;q=0.2, nl;q=0.9", "nl"),
        (None, None, "", "en"),
        (None, None, None, "en"),
    ],
)
def test_pick_language_prefers_setting_then_cookie_then_browser(user, cookie, header, expected):
    assert i18n.pick_language(user, cookie, header) == expected


@pytest.mark.parametrize(
    "header",
    [
        ",,,",
        ";",
        ";q=1",
        "*",
        "*;q=0.1",
        "nl;q=",
        "nl;q=abc",
        "nl;q=1e999",
        "nl;q=nan",
        "nl;;;q=1;;",
        "q=0.5",
        "-",
        "--,-nl,nl-",
        "\x00\xff\u202e",
        "💥;q=1,ü-ß",
        "nl" * 5000,
        ",".join(["x-y-z;q=0.1"] * 500),
        "en\r\nnl",
    ],
)
def test_pick_language_survives_garbage_headers(header):
    assert i18n.pick_language(None, None, header) in i18n.LANGUAGES


def test_pick_language_ignores_garbage_settings_and_cookies():
    assert i18n.pick_language("nl\x00", "<script>", "nl") == "nl"
    assert i18n.pick_language("NL ", "'; drop", None) == "en"


# --- translating -------------------------------------------------------------------------


def test_gettext_in_dutch_fills_placeholders(dutch):
    assert i18n.gettext("Sign in") == "Inloggen"
    assert i18n.gettext("Sign out") == "Uitloggen"
    assert i18n.gettext("Hello, %(name)s", name="Anna") == "Hallo, Anna"
    assert (
        i18n.gettext("%(label)s can be at most %(max)s characters.", label="Naam", max=80)
        == "Naam mag maximaal 80 tekens lang zijn."
    )
    assert i18n.gettext("No such message, %(x)s", x=1) == "No such message, 1"


def test_ngettext_in_dutch_picks_the_plural_form(dutch):
    assert i18n.ngettext("%(num)s person", "%(num)s people", 1) == "1 persoon"
    assert i18n.ngettext("%(num)s person", "%(num)s people", 0) == "0 personen"
    assert i18n.ngettext("%(num)s person", "%(num)s people", 7) == "7 personen"
    assert i18n.ngettext("%(num)s person found", "%(num)s people found", 2) == "2 personen gevonden"


def test_lazy_gettext_follows_the_current_language(language):
    text = i18n.lazy_gettext("Settings")
    language("en")
    assert str(text) == "Settings"
    language("nl")
    assert str(text) == "Instellingen"


def test_role_labels_in_dutch(dutch):
    assert [role_label(role) for role in ("employee", "moderator", "reviewer", "manager")] == [
        "medewerker",
        "moderator",
        "beoordelaar",
        "manager",
    ]
    assert role_label("admin") == "beheerder"


def test_english_is_the_source_language(language):
    language("en")
    assert i18n.gettext("Sign in") == "Sign in"
    assert i18n.ngettext("%(num)s person", "%(num)s people", 1) == "1 person"
    assert i18n.ngettext("%(num)s person", "%(num)s people", 2) == "2 people"


def test_unknown_language_falls_back_to_english(language):
    language("de")
    assert i18n.get_language() == "en"
    assert i18n.gettext("Sign in") == "Sign in"


def test_templates_translate_and_escape(dutch):
    template = build_environment().from_string(
        "{{ _('Hello, %(name)s', name=who) }} | "
        "{{ ngettext('%(num)s person', '%(num)s people', n) }} | {{ _('Audit log') }}"
    )
    assert template.render(who="<b>Anna</b>", n=3) == (
        "Hallo, &lt;b&gt;Anna&lt;/b&gt; | 3 personen | Auditlog"
    )


# --- formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("nl", 1234.5, "1.234,5"),
        ("en", 1234.5, "1,234.5"),
        ("nl", 1234567, "1.234.567"),
        ("en", 1234567, "1,234,567"),
        ("nl", 0.5, "0,5"),
        ("nl", -42, "-42"),
    ],
)
def test_format_number(language, lang, value, expected):
    language(lang)
    assert i18n.format_number(value) == expected


def test_format_day(language):
    language("nl")
    assert i18n.format_day(WHEN, "long") == "5 maart 2026"
    assert i18n.format_day(WHEN, "short") == "05-03-2026"
    assert i18n.format_day(None) == ""
    language("en")
    assert i18n.format_day(WHEN, "long") == "March 5, 2026"
    assert i18n.format_day(WHEN, "short") == "3/5/26"


def test_format_when(language):
    language("nl")
    dutch = i18n.format_when(WHEN, "short")
    assert "05-03-2026" in dutch
    assert "14:07" in dutch
    assert "maart" in i18n.format_when(WHEN, "long")
    assert i18n.format_when(None) == ""
    language("en")
    english = i18n.format_when(WHEN, "short")
    assert "3/5/26" in english
    assert "2:07" in english
    assert "PM" in english
