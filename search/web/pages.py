"""Search pages: full-text search, related ideas of an idea, similar ideas while typing one.

The related ideas load into the idea page with htmx (a partial), or open as a page of their
own without JavaScript. The similar-ideas panel of the submit form is htmx only: without
JavaScript the form simply has no panel.
"""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from challenges.controllers.ideas.pages import idea_id_of
from challenges.services.ideas.views import load_idea
from portal.forms import page
from portal.web import is_htmx, viewer_of
from search import service
from search.service import QueryError
from search.web.labels import template_helpers
from search.web.params import (
    ChallengeParam,
    OutcomeParam,
    QParam,
    SearchPageParam,
    SortParam,
    StageParam,
    SummaryParam,
    TagParam,
    TitleParam,
    TypeParam,
    YearParam,
    has_filters,
    search_request,
)


class SearchPages(Controller):
    """``/search`` and the search parts of the idea pages."""

    include_in_schema = False

    @get("/search", name="search")
    async def search(
        self,
        request: Request,
        q: QParam = "",
        kind: TypeParam = "",
        challenge: ChallengeParam = "",
        stage: StageParam = "",
        tag: TagParam = "",
        outcome: OutcomeParam = "",
        year: YearParam = "",
        sort: SortParam = "",
        page_number: SearchPageParam = 1,
    ) -> Template:
        """Ideas, challenges and lessons matching the words, with filters; tips when empty."""
        wanted = search_request(
            q=q,
            kind=kind,
            challenge=challenge,
            stage=stage,
            tag=tag,
            outcome=outcome,
            year=year,
            sort=sort,
            page=page_number,
        )
        context = {"wanted": wanted, **template_helpers()}
        if not wanted.q and not has_filters(wanted):
            return page("search/search.html", results=None, error="", **context)
        try:
            results = await service.search(viewer_of(request), wanted)
        except QueryError as exc:
            return page(
                "search/search.html", status_code=400, results=None, error=exc.message, **context
            )
        return page("search/search.html", results=results, error="", **context)

    @get("/search/similar", name="search_similar")
    async def similar(
        self, request: Request, title: TitleParam = "", summary: SummaryParam = ""
    ) -> Template:
        """The submit form's panel: ideas and lessons like the one being typed (htmx)."""
        asked = bool(title.strip() or summary.strip())
        try:
            items = await service.similar_while_typing(viewer_of(request), title, summary)
        except QueryError:
            items = []
        return page("search/_similar.html", items=items, asked=asked, **template_helpers())

    @get("/ideas/{idea_id:str}/related", name="idea_related")
    async def related(self, request: Request, idea_id: FromPath[str]) -> Template:
        """Ideas and lessons related to an idea: a partial for htmx, else a page of its own."""
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        record = await load_idea(viewer, number)  # the idea's own visibility, 404 otherwise
        items = await service.related_ideas(viewer, number)
        template = "search/_related.html" if is_htmx(request) else "search/related.html"
        return page(
            template,
            idea_id=number,
            idea_title=record.row["title"],
            items=items,
            **template_helpers(),
        )
