"""The search JSON API: /api/v1/search, /api/v1/search/similar, /api/v1/ideas/{id}/similar."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.factories import sign_in
from tests.integration.search.test_pages import Company, build_company, make_searchable

HIT_FIELDS = {
    "type",
    "id",
    "url",
    "title",
    "stage",
    "state",
    "outcome",
    "challenge_slug",
    "challenge_title",
    "tags",
    "year",
    "created_at",
    "matched_in",
    "snippet",
    "comment_url",
}
SIMILAR_FIELDS = {
    "type",
    "id",
    "url",
    "title",
    "stage",
    "outcome",
    "challenge_title",
    "year",
    "lesson",
}


@pytest.fixture
async def company(db) -> Company:
    return await build_company()


@pytest.fixture
async def api(client, company: Company):
    await sign_in(client, company.alice.email)
    return client


async def test_search_answers_results_facets_and_paging(api, company: Company):
    await make_searchable()
    response = await api.get("/api/v1/search", params={"q": "queue", "sort": "relevance"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["q"] == "queue"
    assert body["sort"] == "relevance"
    assert (body["page"], body["per_page"], body["has_next"]) == (1, 20, False)
    assert body["index_ready"] is True
    assert body["broadened"] is False
    assert body["total"] == len(body["results"]) >= 3
    assert set(body["facets"]) <= {"type", "challenge", "stage", "tag", "outcome", "year"}
    assert {v["value"] for v in body["facets"]["type"]} == {"idea", "challenge", "lesson"}
    assert sum(v["count"] for v in body["facets"]["type"]) == body["total"]
    # Filter values carry the words people read: the challenge's title, not its slug.
    labels = {v["value"]: v["label"] for v in body["facets"]["challenge"]}
    assert labels[company.queues.slug] == "Shorter queues at the service desk"
    assert {v["label"] for v in body["facets"]["type"]} == {"Ideas", "Challenges", "Lessons"}
    for hit in body["results"]:
        assert set(hit) == HIT_FIELDS
        datetime.fromisoformat(hit["created_at"])
        assert all(set(part) == {"text", "match"} for part in hit["snippet"])
    by_key = {(hit["type"], hit["id"]): hit for hit in body["results"]}
    screens = by_key["idea", company.screens.id]
    assert screens["url"] == f"/ideas/{company.screens.id}"
    assert (screens["stage"], screens["challenge_slug"]) == ("declined", "shorter-queues")
    assert any(part["match"] for part in screens["snippet"])
    lesson = by_key["lesson", company.lesson_id]
    assert (lesson["url"], lesson["outcome"]) == (f"/lessons/{company.lesson_id}", "failure")
    challenge = by_key["challenge", company.queues.id]
    assert (challenge["url"], challenge["state"]) == ("/challenges/shorter-queues", "open")


async def test_filters_and_a_comment_hit(api, company: Company):
    await make_searchable()
    ideas = (await api.get("/api/v1/search", params={"q": "queue", "type": "idea"})).json()
    assert ideas["type"] == "idea"
    assert {hit["type"] for hit in ideas["results"]} == {"idea"}
    comment = (await api.get("/api/v1/search", params={"q": "pineapple"})).json()
    [hit] = comment["results"]
    assert hit["matched_in"] == "discussion"
    assert hit["comment_url"] == f"/comments/{company.comment_id}"


async def test_did_you_mean_and_broadened(api, company: Company):
    await make_searchable()
    typo = (await api.get("/api/v1/search", params={"q": "scrteens"})).json()
    assert typo["suggestion"] == "screens"
    broad = (await api.get("/api/v1/search", params={"q": "pineapple walrusless"})).json()
    assert broad["broadened"] is True
    assert company.chat.id in {hit["id"] for hit in broad["results"]}


async def test_similar_while_typing(api, company: Company):
    await make_searchable()
    response = await api.get(
        "/api/v1/search/similar",
        params={"title": "Screens showing the queue", "summary": "How long is the queue"},
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert 0 < len(results) <= 5
    assert all(set(item) == SIMILAR_FIELDS for item in results)
    screens = next(item for item in results if item["id"] == company.screens.id)
    assert (screens["type"], screens["stage"]) == ("idea", "declined")
    assert screens["lesson"]
    assert "learned" in screens["lesson"]
    empty = await api.get("/api/v1/search/similar")
    assert empty.json() == {"results": []}


async def test_errors_use_the_api_error_format(api):
    for params in (
        {"q": "a* b* c* d*"},
        {"q": "x" * 1000},
        {"q": "queue", "type": "people"},
        {"q": "queue", "page": "0"},
        {"q": "queue", "page": "junk"},
    ):
        response = await api.get("/api/v1/search", params=params)
        assert response.status_code == 400, params
        error = response.json()["error"]
        assert set(error) == {"code", "message", "fields"}
        assert error["message"]
    missing = await api.get("/api/v1/ideas/999999/similar")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


async def test_the_search_api_is_documented(api):
    schema = (await api.get("/schema/openapi.json")).json()
    for path in ("/api/v1/search", "/api/v1/search/similar", "/api/v1/ideas/{idea_id}/similar"):
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert parameters >= {"q", "type", "challenge", "stage", "tag", "outcome", "year", "sort"}
    assert "SearchOut" in str(schema["components"]["schemas"])
