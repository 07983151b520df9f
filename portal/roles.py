"""The roles a user can hold and what each implies."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """One role per user; admin implies every other role's powers."""

    EMPLOYEE = "employee"
    MODERATOR = "moderator"
    REVIEWER = "reviewer"
    MANAGER = "manager"
    ADMIN = "admin"


ROLE_VALUES: tuple[str, ...] = tuple(role.value for role in Role)


def has_role(user_role: str, *allowed: Role) -> bool:
    """True when ``user_role`` is one of ``allowed`` (admins pass every check)."""
    return user_role == Role.ADMIN or user_role in allowed


def role_label(role: str) -> str:
    """The role's name in the current language."""
    from portal.i18n import gettext as _

    labels = {
        Role.EMPLOYEE: _("employee"),
        Role.MODERATOR: _("moderator"),
        Role.REVIEWER: _("reviewer"),
        Role.MANAGER: _("manager"),
        Role.ADMIN: _("admin"),
    }
    return labels.get(role, role)  # type: ignore[call-overload]
