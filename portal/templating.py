"""The Jinja2 environment: autoescape everywhere, gettext from Babel, page helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from challenges.services.challenges.labels import outcome_label, stage_label
from challenges.services.challenges.money import format_money
from portal import i18n
from portal.markdown import render_markdown
from portal.roles import Role, has_role, role_label

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


def _ctx(context: Any) -> Any:
    return context["request"].scope["state"]["vonk"]


@pass_context
def csrf_token(context: Any) -> str:
    """The CSRF token for forms and htmx headers."""
    return _ctx(context).csrf_token


@pass_context
def current_user(context: Any) -> Any:
    """The signed-in user, or None."""
    return _ctx(context).user


@pass_context
def flashes(context: Any) -> list[tuple[str, str]]:
    """Messages waiting to be shown on this page."""
    return _ctx(context).take_flashes()


@pass_context
def user_has_role(context: Any, *roles: str) -> bool:
    """True when the signed-in user holds one of ``roles`` (admins hold all)."""
    user = _ctx(context).user
    return user is not None and has_role(user.role, *(Role(role) for role in roles))


@pass_context
def url_with(context: Any, **changes: Any) -> str:
    """The current URL with some query parameters replaced (pagination, filters)."""
    request = context["request"]
    params = dict(request.query_params)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def build_environment() -> Environment:
    """A fresh Jinja environment for the app."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    # Jinja's newstyle gettext fills %(name)s itself (escaping the values), so it gets the
    # bare catalogue lookups, not our formatting helpers.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: i18n.translations_for(i18n.get_language()).gettext(message),
        lambda singular, plural, n: i18n.translations_for(i18n.get_language()).ngettext(
            singular, plural, n
        ),
        newstyle=True,
    )
    env.globals.update(
        csrf_token=csrf_token,
        current_user=current_user,
        flashes=flashes,
        user_has_role=user_has_role,
        url_with=url_with,
        get_language=i18n.get_language,
        languages=i18n.LANGUAGES,
        roles=[role.value for role in Role],
        role_label=role_label,
        stage_label=stage_label,
        outcome_label=outcome_label,
        department_options=lambda departments: [(d.id, d.name) for d in departments],
    )
    env.filters.update(
        markdown=render_markdown,
        when=i18n.format_when,
        day=i18n.format_day,
        number=i18n.format_number,
        money=format_money,
    )
    return env


def template_config() -> TemplateConfig:
    """Litestar's template configuration around our environment."""
    env = build_environment()
    engine = JinjaTemplateEngine.from_environment(env)
    env.globals["csrf_token"] = csrf_token  # ours, bound to the session, replaces Litestar's
    return TemplateConfig(instance=engine)
