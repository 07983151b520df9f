"""Query parameters of the search pages and the search API, shared by both.

Litestar refuses what cannot be a value at all (400); the search service's allow-lists refuse
the rest with a :class:`~search.service.QueryError` that the page shows beside its form.
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

from search.service import SearchRequest

# Longer than the 200 characters a query may have: the service says what is wrong with a
# long query on the page itself, with the form; only absurd lengths stop here.
QParam = Annotated[str, QueryParameter(name="q", max_length=10_000)]
TypeParam = Annotated[str, QueryParameter(name="type", max_length=200)]
ChallengeParam = Annotated[str, QueryParameter(name="challenge", max_length=200)]
StageParam = Annotated[str, QueryParameter(name="stage", max_length=200)]
TagParam = Annotated[str, QueryParameter(name="tag", max_length=200)]
OutcomeParam = Annotated[str, QueryParameter(name="outcome", max_length=200)]
YearParam = Annotated[str, QueryParameter(name="year", max_length=200)]
SortParam = Annotated[str, QueryParameter(name="sort", max_length=200)]
SearchPageParam = Annotated[int, QueryParameter(name="page", ge=1, le=10_000)]
TitleParam = Annotated[str, QueryParameter(name="title", max_length=2000)]
SummaryParam = Annotated[str, QueryParameter(name="summary", max_length=5000)]


def search_request(
    *,
    q: str,
    kind: str,
    challenge: str,
    stage: str,
    tag: str,
    outcome: str,
    year: str,
    sort: str,
    page: int,
) -> SearchRequest:
    """The request for the search service, exactly as asked (the service validates it)."""
    return SearchRequest(
        q=q.strip(),
        kind=kind.strip(),
        challenge=challenge.strip(),
        stage=stage.strip(),
        tag=tag.strip(),
        outcome=outcome.strip(),
        year=year.strip(),
        sort=sort.strip() or "relevance",
        page=page,
    )


def has_filters(request: SearchRequest) -> bool:
    """True when any filter narrows the search."""
    return any(
        (
            request.kind,
            request.challenge,
            request.stage,
            request.tag,
            request.outcome,
            request.year,
        )
    )
