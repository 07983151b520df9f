"""JSON API for search under /api/v1: the same search service as the pages.

``GET /api/v1/search`` (results, facets, a spelling suggestion), ``GET /api/v1/search/similar``
(ideas and lessons like a new idea's title and summary) and ``GET /api/v1/ideas/{id}/similar``
(ideas and lessons related to an idea).
"""

from __future__ import annotations

from datetime import datetime

import msgspec
from litestar import Controller, Request, get
from litestar.params import FromPath

from challenges.controllers.ideas.pages import idea_id_of
from challenges.services.ideas.views import load_idea
from portal.web import viewer_of
from search import service
from search.web.labels import FACET_PARAMS, facet_value_label
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
    search_request,
)


class SnippetPartOut(msgspec.Struct, frozen=True):
    """A piece of a snippet; ``match`` marks the words that matched (show them highlighted)."""

    text: str
    match: bool


class HitOut(msgspec.Struct, frozen=True):
    """One search result. ``type`` is ``idea``, ``challenge`` or ``lesson``; ``stage`` is set
    for ideas, ``state`` for challenges, ``outcome`` for lessons. ``matched_in`` names where
    the words were found (``title``, ``summary``, ``body``, ``tags`` or ``discussion``);
    ``comment_url`` links the matching comment of a discussion hit."""

    type: str
    id: int
    url: str
    title: str
    stage: str
    state: str
    outcome: str
    challenge_slug: str
    challenge_title: str
    tags: list[str]
    year: str
    created_at: datetime
    matched_in: str
    snippet: list[SnippetPartOut]
    comment_url: str | None


class FacetValueOut(msgspec.Struct, frozen=True):
    """A filter value, how people read it (in the request's language), and its count."""

    value: str
    label: str
    count: int


class SearchOut(msgspec.Struct, frozen=True):
    """A page of search results. ``facets`` is keyed by filter parameter (``type``,
    ``challenge``, ``stage``, ``tag``, ``outcome``, ``year``). ``suggestion`` is a corrected
    query ("did you mean"), ``broadened`` true when no result had every word and results
    with any of them are shown, ``index_ready`` false while the index is first built."""

    q: str
    type: str
    challenge: str
    stage: str
    tag: str
    outcome: str
    year: str
    sort: str
    page: int
    per_page: int
    total: int
    has_next: bool
    results: list[HitOut]
    facets: dict[str, list[FacetValueOut]]
    suggestion: str | None
    broadened: bool
    index_ready: bool


class SimilarOut(msgspec.Struct, frozen=True):
    """A similar idea or lesson; ``lesson`` says what was learned when it was declined or
    failed ("Tried in 2025, stopped because …")."""

    type: str
    id: int
    url: str
    title: str
    stage: str
    outcome: str
    challenge_title: str
    year: str
    lesson: str | None


class SimilarListOut(msgspec.Struct, frozen=True):
    """Similar ideas and lessons, most similar first."""

    results: list[SimilarOut]


def hit_out(hit: service.SearchHit) -> HitOut:
    """The API shape of a search hit."""
    return HitOut(
        type=hit.kind,
        id=hit.id,
        url=hit.url,
        title=hit.title,
        stage=hit.stage,
        state=hit.state,
        outcome=hit.outcome,
        challenge_slug=hit.challenge_slug,
        challenge_title=hit.challenge_title,
        tags=list(hit.tags),
        year=hit.year,
        created_at=hit.created_at,
        matched_in=hit.matched_in,
        snippet=[SnippetPartOut(text=part.text, match=part.match) for part in hit.snippet],
        comment_url=f"/comments/{hit.comment_id}" if hit.comment_id else None,
    )


def search_out(results: service.SearchResults) -> SearchOut:
    """The API shape of a page of results."""
    asked = results.request
    return SearchOut(
        q=asked.q,
        type=asked.kind,
        challenge=asked.challenge,
        stage=asked.stage,
        tag=asked.tag,
        outcome=asked.outcome,
        year=asked.year,
        sort=asked.sort,
        page=asked.page,
        per_page=asked.per_page,
        total=results.total,
        has_next=results.has_next,
        results=[hit_out(hit) for hit in results.hits],
        facets={
            FACET_PARAMS.get(key, key): [
                FacetValueOut(
                    v.value,
                    facet_value_label(key, v.value, results.challenge_titles),
                    v.count,
                )
                for v in values
            ]
            for key, values in results.facets.items()
        },
        suggestion=results.suggestion,
        broadened=results.broadened,
        index_ready=results.index_ready,
    )


def similar_out(items: list[service.SimilarItem]) -> SimilarListOut:
    """The API shape of similar ideas and lessons."""
    return SimilarListOut(
        results=[
            SimilarOut(
                type=item.kind,
                id=item.id,
                url=item.url,
                title=item.title,
                stage=item.stage,
                outcome=item.outcome,
                challenge_title=item.challenge_title,
                year=item.year,
                lesson=item.lesson,
            )
            for item in items
        ]
    )


class SearchApi(Controller):
    """``/api/v1/search`` and ``/api/v1/ideas/{id}/similar``."""

    path = "/api/v1"
    tags = ["search"]  # noqa: RUF012

    @get("/search")
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
        page: SearchPageParam = 1,
    ) -> SearchOut:
        """Search ideas, challenges and lessons; filter by ``type``, ``challenge`` (slug),
        ``stage``, ``tag``, ``outcome`` and ``year``; ``sort`` is ``relevance`` or ``newest``.
        A query the search cannot take answers 400 (``bad_query``) with the reason."""
        wanted = search_request(
            q=q,
            kind=kind,
            challenge=challenge,
            stage=stage,
            tag=tag,
            outcome=outcome,
            year=year,
            sort=sort,
            page=page,
        )
        return search_out(await service.search(viewer_of(request), wanted))

    @get("/search/similar")
    async def similar(
        self, request: Request, title: TitleParam = "", summary: SummaryParam = ""
    ) -> SimilarListOut:
        """Up to five ideas and lessons like a new idea's ``title`` and ``summary``."""
        items = await service.similar_while_typing(viewer_of(request), title, summary)
        return similar_out(items)

    @get("/ideas/{idea_id:str}/similar")
    async def related(self, request: Request, idea_id: FromPath[str]) -> SimilarListOut:
        """Up to five ideas and lessons related to the idea (404 when you cannot see it)."""
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        await load_idea(viewer, number)
        return similar_out(await service.related_ideas(viewer, number))
