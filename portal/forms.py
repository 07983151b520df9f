"""Reading HTML forms: only the listed fields, as plain strings, plus safe redirects."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request
from litestar.exceptions import ClientException
from litestar.response import Template

from portal.errors import TooLarge
from portal.i18n import gettext as _

MAX_FIELD_LENGTH = 100_000


async def parse_form(request: Request) -> Any:
    """The submitted form; a part in bad UTF-8 or an unknown charset is a 400, not a 500."""
    try:
        return await request.form()
    except (UnicodeDecodeError, LookupError) as exc:  # Litestar decodes multipart parts
        raise ClientException(_("The form could not be read: use UTF-8 text.")) from exc
    except ClientException as exc:
        # Litestar 2 reports too many multipart parts as a 400; it is a size limit (413).
        if exc.detail == "Request Entity Too Large":
            raise TooLarge(_("The form has too many fields.")) from exc
        raise


async def read_form(request: Request, *names: str) -> dict[str, str]:
    """The named fields of a submitted form (missing ones empty, others ignored)."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return dict.fromkeys(names, "")
    form = await parse_form(request)
    values: dict[str, str] = {}
    for name in names:
        value = form.get(name, "")
        values[name] = value[:MAX_FIELD_LENGTH] if isinstance(value, str) else ""
    return values


def safe_next(target: str | None, default: str = "/") -> str:
    """A redirect target that stays on this site (a local path), else ``default``."""
    if not target or len(target) > 2000:
        return default
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ch in target for ch in "\r\n\t\\") or ":" in target.split("?", 1)[0]:
        return default
    return target


def page(
    template: str, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> Template:
    """An HTML page response."""
    return Template(
        template_name=template,
        context=context,
        status_code=status_code,
        media_type=MediaType.HTML,
        headers=headers,
    )
