"""Bare Litestar + Jinja2 page with no database: the baseline the Vonk pages are compared to."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from litestar import Litestar, get
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

STAGES = ("submitted", "screening", "evaluation", "shortlist", "selected", "implementing")


def make_rows(count: int = 20) -> list[dict[str, object]]:
    """Fixed idea-like rows, built once at import so each request only renders."""
    start = date(2026, 1, 5)
    return [
        {
            "id": 1000 + n,
            "title": f"Idea {n}: shorten the feedback loop between teams number {n % 7}",
            "summary": "Share what we learn every week so that nobody repeats the same work. " * 2,
            "author": f"Employee {n:02d}",
            "stage": STAGES[n % len(STAGES)],
            "votes": (n * 37) % 101,
            "comments": (n * 13) % 29,
            "tags": [f"tag-{n % 5}", f"team-{n % 3}"],
            "created": start + timedelta(days=n),
        }
        for n in range(count)
    ]


ROWS = make_rows()


@get("/", include_in_schema=False, sync_to_thread=False)
def index() -> Template:
    """Render the page the way an app page is rendered: a template with a loop over rows."""
    return Template(
        template_name="bare_page.html",
        context={"user_name": "Bench User", "title": "Ideas", "rows": ROWS},
    )


app = Litestar(
    route_handlers=[index],
    template_config=TemplateConfig(
        directory=Path(__file__).parent / "templates", engine=JinjaTemplateEngine
    ),
    openapi_config=None,
)
