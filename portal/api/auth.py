"""JSON API: sign in and out, the current user, personal access tokens."""

from __future__ import annotations

from datetime import datetime

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from portal import auth, sessions, users
from portal.controllers.account import issue_token
from portal.errors import NotFound
from portal.guards import PUBLIC
from portal.i18n import gettext as _
from portal.validation import parse_id
from portal.web import context_of


class LoginBody(msgspec.Struct, frozen=True):
    """Credentials for ``POST /api/v1/auth/login``."""

    email: str = msgspec.field(default="")
    password: str = msgspec.field(default="")


class MeOut(msgspec.Struct, frozen=True):
    """The signed-in user."""

    id: int
    email: str
    display_name: str
    role: str
    department_id: int | None
    department: str
    language: str
    created_at: datetime


class LoginOut(msgspec.Struct, frozen=True):
    """Answer to a successful sign-in: who, and the CSRF token for cookie-based writes."""

    user: MeOut
    csrf_token: str


class ProfileBody(msgspec.Struct, frozen=True):
    """Changes to one's own profile; omitted fields keep their value."""

    display_name: str | None = None
    department_id: int | None = None
    language: str | None = None


class TokenBody(msgspec.Struct, frozen=True):
    """A new personal access token's name."""

    name: str = ""


class TokenOut(msgspec.Struct, frozen=True):
    """A personal access token; ``token`` is only present right after creation."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    token: str | None = None


def _me(view: users.UserView) -> MeOut:
    return MeOut(
        id=view.id,
        email=view.email,
        display_name=view.display_name,
        role=view.role,
        department_id=view.department_id,
        department=view.department,
        language=view.language,
        created_at=view.created_at,
    )


def _token(view: sessions.TokenView, secret: str | None = None) -> TokenOut:
    return TokenOut(
        id=view.id,
        name=view.name,
        prefix=view.prefix,
        created_at=view.created_at,
        last_used_at=view.last_used_at,
        token=secret,
    )


class AuthApi(Controller):
    """``/api/v1/auth``."""

    path = "/api/v1/auth"
    tags = ["auth"]  # noqa: RUF012

    @post("/login", opt=PUBLIC, status_code=HTTP_200_OK)
    async def login(self, request: Request, data: JSONBody[LoginBody]) -> LoginOut:
        """Sign in with e-mail and password; sets the session cookie."""
        ctx = context_of(request)
        user, token = await auth.sign_in(
            data.email,
            data.password,
            address=ctx.client_ip,
            user_agent=request.headers.get("user-agent", ""),
            settings=ctx.settings,
            replacing=ctx.session_token,
        )
        ctx.begin_session(token)
        return LoginOut(user=_me(await users.get_user(user.id)), csrf_token=ctx.csrf_token)

    @post("/logout", status_code=HTTP_204_NO_CONTENT)
    async def logout(self, request: Request) -> None:
        """End the current session (token clients: nothing to end, still 204)."""
        ctx = context_of(request)
        if ctx.auth_kind == "session":
            await auth.sign_out(ctx.session_token)
            ctx.finish_session()


class UsersApi(Controller):
    """``/api/v1/users``."""

    path = "/api/v1/users"
    tags = ["users"]  # noqa: RUF012

    @get("/me")
    async def me(self, request: Request) -> MeOut:
        """The signed-in user."""
        user = context_of(request).user
        assert user is not None
        return _me(await users.get_user(user.id))

    @patch("/me")
    async def update_me(self, request: Request, data: JSONBody[ProfileBody]) -> MeOut:
        """Change display name, department or language."""
        user = context_of(request).user
        assert user is not None
        current = await users.get_user(user.id)
        changes = users.ProfileInput(
            display_name=current.display_name if data.display_name is None else data.display_name,
            department_id=str(
                current.department_id if data.department_id is None else data.department_id
            ),
            language=current.language if data.language is None else data.language,
        )
        return _me(await users.update_profile(user.id, changes))

    @get("/me/tokens")
    async def list_tokens(self, request: Request) -> list[TokenOut]:
        """The user's active personal access tokens."""
        user = context_of(request).user
        assert user is not None
        return [_token(view) for view in await sessions.list_tokens(user.id)]

    @post("/me/tokens", status_code=HTTP_201_CREATED)
    async def create_token(self, request: Request, data: JSONBody[TokenBody]) -> TokenOut:
        """Create a token; its secret is in the answer once and never again."""
        user = context_of(request).user
        assert user is not None
        view, secret = await issue_token(user.id, data.name)
        return _token(view, secret)

    @delete("/me/tokens/{token_id:str}", status_code=HTTP_204_NO_CONTENT)
    async def revoke_token(self, request: Request, token_id: FromPath[str]) -> None:
        """Revoke one of the user's tokens."""
        user = context_of(request).user
        assert user is not None
        number = parse_id(token_id)
        if number is None or not await sessions.revoke_token(user.id, number):
            raise NotFound(_("That token does not exist."))
