"""Naughty input in every award, owner and update field: never a 500, never evaluated or
echoed unescaped (the corpus of tests/integration/test_bad_input.py)."""

from __future__ import annotations

import pytest

from challenges.tables import Challenge
from tests.factories import api_headers, form_post, sign_in
from tests.integration.awards.conftest import World
from tests.integration.test_bad_input import JSON_ONLY, NAUGHTY, json_text

FORMS = {
    "awards": {"amount": "1", "note": "Pilot", "award_key": ""},
    "owner": {"owner": "owen@example.com"},
    "updates": {"text": "Going well.", "percent": "10", "spend": "1", "submit_key": ""},
}
JSON_BODIES = {
    ("POST", "awards"): {"amount_minor": 100, "note": "Pilot", "award_key": "json-key-0001"},
    ("PUT", "owner"): {"email": "owen@example.com"},
    ("POST", "updates"): {"text": "Going well.", "percent": 10, "spend_minor": 100},
}


def _problems(response) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"{response.status_code}")
    text = response.text
    if "49" in text and "{{7*7}}" not in text and "vonk49vonk" in text:
        problems.append("template syntax evaluated")
    if response.headers.get("content-type", "").startswith("application/json"):
        html = response.json().get("text_html", "")  # raw text in JSON strings is inert
        if "<script" in html or "onerror" in html:
            problems.append("markup rendered unsanitised")
    elif "<script>alert(1)</script>" in text or "onerror=alert(1)>" in text:
        problems.append("markup echoed unescaped")
    return problems


async def _plenty_of_budget(world: World) -> None:
    await Challenge.update({Challenge.budget_minor: 10**13}).where(
        Challenge.id == world.challenge.id
    )


@pytest.mark.parametrize("form", sorted(FORMS))
async def test_naughty_strings_in_every_form_field(client, world: World, form: str):
    await _plenty_of_budget(world)
    await sign_in(client, world.mona.email)
    failures = []
    for field in FORMS[form]:
        for value in NAUGHTY:
            data = {**FORMS[form], field: value}
            response = await form_post(client, f"/ideas/{world.idea.id}/{form}", data)
            failures += [f"{field}={value[:30]!r}: {p}" for p in _problems(response)]
            assert response.status_code in (303, 409, 413, 422), (
                field,
                value[:30],
                response.text[:300],
            )
    assert not failures, failures


@pytest.mark.parametrize(("method", "what"), sorted(JSON_BODIES))
async def test_naughty_values_in_every_json_field(client, world: World, method: str, what: str):
    await _plenty_of_budget(world)
    await sign_in(client, world.mona.email)
    failures = []
    valid = JSON_BODIES[(method, what)]
    for field in valid:
        for value in [*NAUGHTY, *JSON_ONLY]:
            response = await client.request(
                method,
                f"/api/v1/ideas/{world.idea.id}/{what}",
                content=json_text({**valid, field: value}),
                headers={**api_headers(client), "content-type": "application/json"},
            )
            failures += [f"{field}={str(value)[:30]!r}: {p}" for p in _problems(response)]
            if response.status_code >= 400:
                assert response.json()["error"]["message"], response.text[:200]
    assert not failures, failures


async def test_naughty_slugs_and_ids(client, world: World):
    await sign_in(client, world.mona.email)
    for value in ["abc", "0", "-1", "1e3", "²", "x" * 300, "%00", "..%2F..%2Fetc"]:
        for path in (
            f"/challenges/{value}/results",
            f"/challenges/{value}/results.csv",
            f"/challenges/{value}/results.json",
            f"/api/v1/challenges/{value}/results",
            f"/api/v1/ideas/{value}/awards",
            f"/api/v1/ideas/{value}/updates",
            f"/ideas/{value}/owner/options?owner=ow",
        ):
            response = await client.get(path)
            assert response.status_code in (400, 404), (path, response.status_code)
        response = await form_post(client, f"/ideas/{value}/awards", {"amount": "1"})
        assert response.status_code == 404
