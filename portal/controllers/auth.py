"""Sign in, sign out, register, and switch language."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from portal import auth, users
from portal.errors import AuthenticationFailed, Throttled, ValidationFailed
from portal.forms import page, read_form, safe_next
from portal.guards import PUBLIC
from portal.i18n import LANGUAGES
from portal.i18n import gettext as _
from portal.params import NextParam
from portal.web import LANGUAGE_COOKIE, context_of


class AuthController(Controller):
    """Pages for getting in and out."""

    include_in_schema = False

    @get("/login", opt=PUBLIC, name="login")
    async def login_form(self, request: Request, next_url: NextParam = "/") -> Template | Redirect:
        """The sign-in page."""
        if request.scope.get("user") is not None:
            return Redirect(safe_next(next_url), status_code=303)
        return page("portal/login.html", next_url=safe_next(next_url), email="", error="")

    @post("/login", opt=PUBLIC)
    async def login(self, request: Request) -> Template | Redirect:
        """Check credentials; start a fresh session."""
        form = await read_form(request, "email", "password", "next")
        ctx = context_of(request)
        next_url = safe_next(form["next"])
        try:
            user, token = await auth.sign_in(
                form["email"],
                form["password"],
                address=ctx.client_ip,
                user_agent=request.headers.get("user-agent", ""),
                settings=ctx.settings,
                replacing=ctx.session_token,
            )
        except (AuthenticationFailed, Throttled) as exc:
            headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
            return page(
                "portal/login.html",
                status_code=exc.status_code,
                headers=headers,
                next_url=next_url,
                email=form["email"][:254],
                error=exc.message,
            )
        ctx.begin_session(token)
        if user.language:
            ctx.cookie(LANGUAGE_COOKIE, user.language, max_age=365 * 24 * 3600)
        ctx.flash("success", _("Welcome back, %(name)s.", name=user.display_name))
        return Redirect(next_url, status_code=303)

    @post("/logout", name="logout")
    async def logout(self, request: Request) -> Redirect:
        """End the session server-side and forget the cookie."""
        ctx = context_of(request)
        await auth.sign_out(ctx.session_token)
        ctx.finish_session()
        ctx.flash("info", _("You have been signed out."))
        return Redirect("/login", status_code=303)

    @get("/register", opt=PUBLIC, name="register")
    async def register_form(self, request: Request) -> Template | Redirect:
        """The registration page."""
        if request.scope.get("user") is not None:
            return Redirect("/", status_code=303)
        return page(
            "portal/register.html",
            departments=await users.list_departments(),
            values={},
            errors={},
        )

    @post("/register", opt=PUBLIC)
    async def register(self, request: Request) -> Template | Redirect:
        """Create the account, then send the person to sign in.

        A taken address gets exactly the same answer (and costs the same time), so the
        form cannot be used to find out who has an account.
        """
        form = await read_form(request, "email", "display_name", "department_id", "password")
        ctx = context_of(request)
        try:
            await auth.check_registration_allowed(ctx.client_ip, ctx.settings)
            await users.register_user(users.RegisterInput(**form))
        except Throttled as exc:
            return page(
                "portal/register.html",
                status_code=exc.status_code,
                headers={"Retry-After": str(exc.retry_after)},
                departments=await users.list_departments(),
                values={key: value[:300] for key, value in form.items() if key != "password"},
                errors={},
                message=exc.message,
            )
        except ValidationFailed as exc:
            return page(
                "portal/register.html",
                status_code=422,
                departments=await users.list_departments(),
                values={key: value[:300] for key, value in form.items() if key != "password"},
                errors=exc.fields,
                message=exc.message,
            )
        ctx.flash(
            "success",
            _("Your account is ready. Sign in with your e-mail address and password."),
        )
        return Redirect("/login", status_code=303)

    @post("/language", opt=PUBLIC, name="language")
    async def switch_language(self, request: Request) -> Redirect:
        """Remember a language choice (and save it in the profile when signed in)."""
        form = await read_form(request, "language", "next")
        ctx = context_of(request)
        language = form["language"] if form["language"] in LANGUAGES else ctx.language
        ctx.cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600)
        if ctx.user is not None:
            await users.set_language(ctx.user.id, language)
        return Redirect(safe_next(form["next"]), status_code=303)
