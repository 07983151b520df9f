"""A person's own settings: profile, language, password, personal access tokens."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal import sessions, users
from portal.errors import NotFound, ValidationFailed
from portal.forms import page, read_form
from portal.i18n import gettext as _
from portal.validation import FieldErrors, check_line, parse_id
from portal.web import LANGUAGE_COOKIE, context_of


async def settings_page(
    request: Request,
    *,
    status_code: int = 200,
    profile_errors: dict[str, str] | None = None,
    password_errors: dict[str, str] | None = None,
    token_errors: dict[str, str] | None = None,
    new_token: str = "",
    values: dict[str, str] | None = None,
) -> Template:
    """Render the settings page with whatever errors the last action produced."""
    user = context_of(request).user
    assert user is not None
    return page(
        "portal/settings.html",
        status_code=status_code,
        me=await users.get_user(user.id),
        departments=await users.list_departments(),
        tokens=await sessions.list_tokens(user.id),
        profile_errors=profile_errors or {},
        password_errors=password_errors or {},
        token_errors=token_errors or {},
        new_token=new_token,
        values=values or {},
    )


async def issue_token(user_id: int, raw_name: str) -> tuple[sessions.TokenView, str]:
    """Validate a token name and the per-user cap, then create the token."""
    errors = FieldErrors()
    name = check_line(errors, "name", raw_name, label=_("Token name"), max_length=80)
    if await sessions.count_tokens(user_id) >= sessions.MAX_TOKENS_PER_USER:
        errors.add("name", _("You have too many tokens. Revoke one you no longer use."))
    errors.raise_if_any()
    return await sessions.create_token(user_id, name)


class AccountController(Controller):
    """Settings pages; every action redirects back with a message."""

    path = "/settings"
    include_in_schema = False

    @get("/", name="settings")
    async def show(self, request: Request) -> Template:
        """Profile, password and token settings."""
        return await settings_page(request)

    @post("/profile")
    async def save_profile(self, request: Request) -> Template | Redirect:
        """Save name, department and language."""
        form = await read_form(request, "display_name", "department_id", "language")
        ctx = context_of(request)
        assert ctx.user is not None
        try:
            updated = await users.update_profile(ctx.user.id, users.ProfileInput(**form))
        except ValidationFailed as exc:
            return await settings_page(
                request, status_code=422, profile_errors=exc.fields, values=form
            )
        if updated.language:
            ctx.cookie(LANGUAGE_COOKIE, updated.language, max_age=365 * 24 * 3600)
        ctx.flash("success", _("Your profile has been saved."))
        return Redirect("/settings", status_code=303)

    @post("/password")
    async def save_password(self, request: Request) -> Template | Redirect:
        """Change the password; every other session of this person ends."""
        form = await read_form(request, "current_password", "new_password")
        ctx = context_of(request)
        assert ctx.user is not None
        try:
            await users.change_password(
                ctx.user.id,
                form["current_password"],
                form["new_password"],
                keep_session_id=ctx.session_id,
            )
        except ValidationFailed as exc:
            return await settings_page(request, status_code=422, password_errors=exc.fields)
        ctx.flash("success", _("Your password has been changed. Other sessions were signed out."))
        return Redirect("/settings", status_code=303)

    @post("/tokens")
    async def create_token(self, request: Request) -> Template:
        """Create a personal access token and show its secret once."""
        form = await read_form(request, "name")
        ctx = context_of(request)
        assert ctx.user is not None
        try:
            _view, secret = await issue_token(ctx.user.id, form["name"])
        except ValidationFailed as exc:
            return await settings_page(request, status_code=422, token_errors=exc.fields)
        return await settings_page(request, new_token=secret)

    @post("/tokens/{token_id:str}/revoke")
    async def revoke_token(self, request: Request, token_id: FromPath[str]) -> Redirect:
        """Revoke one of one's own tokens."""
        ctx = context_of(request)
        assert ctx.user is not None
        number = parse_id(token_id)
        if number is None or not await sessions.revoke_token(ctx.user.id, number):
            raise NotFound(_("That token does not exist."))
        ctx.flash("success", _("The token has been revoked."))
        return Redirect("/settings#tokens", status_code=303)
