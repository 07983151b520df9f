"""Field checks shared by every form and API input; errors collected per field."""

from __future__ import annotations

import re
import unicodedata

from portal.errors import ValidationFailed
from portal.i18n import gettext as _

EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]+$")
MAX_EMAIL_LENGTH = 254
MAX_ID = 2_147_483_647


class FieldErrors:
    """Collects one message per field, then raises them all at once."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        """Remember the first problem found with ``field``."""
        self.fields.setdefault(field, message)

    def raise_if_any(self) -> None:
        """Raise :class:`ValidationFailed` when any field had a problem."""
        if self.fields:
            raise ValidationFailed(_("Please correct the marked fields."), self.fields)


def clean_text(value: str | None) -> str:
    """Normalise Unicode, drop control characters, trim surrounding space."""
    text = unicodedata.normalize("NFC", value or "")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()


def clean_line(value: str | None) -> str:
    """A single line of text: like :func:`clean_text` with runs of space folded."""
    return " ".join(clean_text(value).split())


def check_email(errors: FieldErrors, field: str, value: str | None) -> str:
    """A lower-cased e-mail address, or an error on ``field``."""
    email = clean_line(value).lower()
    if not email:
        errors.add(field, _("Enter your e-mail address."))
    elif len(email) > MAX_EMAIL_LENGTH or not EMAIL_RE.match(email):
        errors.add(field, _("Enter a valid e-mail address, like name@example.com."))
    return email


def check_line(
    errors: FieldErrors, field: str, value: str | None, *, label: str, max_length: int
) -> str:
    """A required single line no longer than ``max_length`` characters."""
    text = clean_line(value)
    if not text:
        errors.add(field, _("%(label)s is required.", label=label))
    elif len(text) > max_length:
        errors.add(
            field,
            _("%(label)s can be at most %(max)s characters.", label=label, max=max_length),
        )
    return text


def check_choice(
    errors: FieldErrors, field: str, value: str | None, choices: tuple[str, ...] | list[str]
) -> str:
    """One of ``choices``, or an error on ``field``."""
    text = clean_line(value)
    if text not in choices:
        errors.add(field, _("Choose one of the options."))
    return text


def parse_id(value: str | int | None) -> int | None:
    """A positive database id from user input, or None."""
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:  # "²".isdigit() is True
        return None
    number = int(text)
    # Ids are 32-bit integer columns on PostgreSQL: a larger number cannot name a record.
    return number if 0 < number <= MAX_ID else None


def password_message(problem: str) -> str:
    """The user-facing text for a password problem code."""
    messages = {
        "too_short": _("Use at least 8 characters."),
        "too_long": _("Use at most 128 characters."),
        "too_common": _("This password is too common; choose one that is harder to guess."),
        "too_personal": _("Do not use your name or e-mail address as your password."),
    }
    return messages.get(problem, _("Choose another password."))
