"""Administration: people and roles, deactivation, and the audit log."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal import audit, users
from portal.errors import NotFound
from portal.forms import page, read_form, safe_next
from portal.guards import require_admin
from portal.i18n import gettext as _
from portal.params import ActionParam, PageParam, RoleParam, SearchParam
from portal.roles import ROLE_VALUES, role_label
from portal.validation import clean_line, parse_id
from portal.web import context_of


def _user_id(raw: str) -> int:
    number = parse_id(raw)
    if number is None:
        raise NotFound(_("That person does not exist."))
    return number


class AdminController(Controller):
    """Admin-only pages."""

    path = "/admin"
    guards = [require_admin]  # noqa: RUF012 - Litestar reads this class attribute
    include_in_schema = False

    @get("/users", name="admin_users")
    async def list_people(
        self, q: SearchParam = "", role: RoleParam = "", page_number: PageParam = 1
    ) -> Template:
        """Everyone, searchable and filterable by role."""
        if role and role not in ROLE_VALUES:
            from litestar.exceptions import ValidationException

            raise ValidationException(_("Unknown role filter."))
        query = clean_line(q)
        return page(
            "portal/admin_users.html",
            result=await users.list_users(query, role, page_number),
            query=query,
            role=role,
        )

    @post("/users/{user_id:str}/role")
    async def change_role(self, request: Request, user_id: FromPath[str]) -> Redirect:
        """Give someone another role (audited; their sessions get new ids)."""
        form = await read_form(request, "role", "next")
        ctx = context_of(request)
        assert ctx.user is not None
        person = await users.change_role(ctx.user, _user_id(user_id), form["role"], ctx.client_ip)
        ctx.flash(
            "success",
            _("%(name)s is now %(role)s.", name=person.display_name, role=role_label(person.role)),
        )
        return Redirect(safe_next(form["next"], "/admin/users"), status_code=303)

    @post("/users/{user_id:str}/active")
    async def set_active(self, request: Request, user_id: FromPath[str]) -> Redirect:
        """Deactivate or reactivate an account (audited)."""
        form = await read_form(request, "active", "next")
        ctx = context_of(request)
        assert ctx.user is not None
        active = form["active"] == "1"
        person = await users.set_active(ctx.user, _user_id(user_id), active, ctx.client_ip)
        message = (
            _("%(name)s has been reactivated.", name=person.display_name)
            if active
            else _("%(name)s has been deactivated and signed out.", name=person.display_name)
        )
        ctx.flash("success", message)
        return Redirect(safe_next(form["next"], "/admin/users"), status_code=303)

    @get("/audit", name="admin_audit")
    async def audit_log(self, action: ActionParam = "", page_number: PageParam = 1) -> Template:
        """The append-only audit log, newest first."""
        entries, has_next = await audit.list_entries(page_number, clean_line(action))
        return page(
            "portal/admin_audit.html",
            entries=entries,
            has_next=has_next,
            page_number=page_number,
            action=clean_line(action),
        )
