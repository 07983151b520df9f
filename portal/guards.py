"""Route guards: deny by default, open only what is marked public, check roles."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from portal.i18n import gettext as _
from portal.roles import Role, has_role

PUBLIC = {"public": True}


def require_sign_in(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """App-wide guard: every route needs a signed-in user unless marked ``opt=PUBLIC``."""
    if handler.opt.get("public"):
        return
    if connection.scope.get("user") is None:
        raise NotAuthorizedException(_("Sign in to continue."))


def require_role(*roles: Role):
    """A guard allowing only the given roles (and admins)."""

    def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        user = connection.scope.get("user")
        if user is None:
            raise NotAuthorizedException(_("Sign in to continue."))
        if not has_role(user.role, *roles):
            raise PermissionDeniedException(_("You do not have access to this page."))

    guard.__name__ = "require_" + "_or_".join(role.value for role in roles)
    return guard


require_admin = require_role(Role.ADMIN)
