"""Bad input to the challenge pages and API: junk slugs, unknown list parameters, naughty text."""

from __future__ import annotations

import pytest

from challenges.tables import Challenge
from portal.config import get_settings
from portal.request_checks import CSRF_HEADER
from tests.domain_factories import make_challenge
from tests.factories import csrf_token, form_post, make_persona
from tests.integration.challenges.test_challenge_pages import FORM, signed_in_as
from tests.integration.test_bad_input import NAUGHTY


@pytest.mark.parametrize(
    "path",
    [
        "/challenges?sort=title",
        "/challenges?state=secret",
        "/challenges?page=0",
        "/challenges?page=abc",
        "/challenges?tag=" + "x" * 41,
        "/challenges/c?sort=random",
        "/challenges/c?stage=secret",
        "/challenges/c?page=-1",
        "/challenges/c?cpage=0",
    ],
)
async def test_unknown_list_parameters_are_400(client, path):
    mona = await make_persona("mona_manager")
    await make_challenge(mona.id, slug="c")
    await signed_in_as(client, "alice_employee")
    response = await client.get(path)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "slug", ["%00", "C", "caf%C3%A9", "a%20b", "x" * 81, "%E2%80%AE", "1%27%20OR%201%3D1"]
)
async def test_junk_slugs_are_404(client, slug):
    await signed_in_as(client, "alice_employee")
    assert (await client.get(f"/challenges/{slug}")).status_code == 404
    assert (await client.get(f"/api/v1/challenges/{slug}")).status_code == 404
    assert (await client.get(f"/api/v1/challenges/{slug}/ideas")).status_code == 404
    followed = await form_post(client, f"/challenges/{slug}/follow", {"follow": "1"})
    assert followed.status_code == 404


async def test_naughty_strings_never_break_the_challenge_form_or_api(client):
    """Every field of the form and the API, every naughty string: a 2xx/4xx, never a 500."""
    mona = await signed_in_as(client, "mona_manager")
    await make_challenge(mona.id, slug="c")
    headers = {CSRF_HEADER: csrf_token(client, get_settings().secret_key)}
    fields = [name for name in FORM if name != "intent"] + ["criteria-0-guidance", "version"]
    for text in NAUGHTY:
        form = dict.fromkeys(fields, text)
        for path in ("/challenges/new", "/challenges/c/edit"):
            response = await form_post(client, path, {**form, "intent": "save"})
            assert response.status_code < 500, (path, text[:40])
            if response.status_code == 200:
                assert "<script>alert(1)" not in response.text
        body = dict.fromkeys(
            ("title", "brief", "budget", "currency", "opens_on", "closes_on"), text
        )
        response = await client.post(
            "/api/v1/challenges", json={**body, "tags": [text]}, headers=headers
        )
        assert response.status_code < 500, text[:40]
        for query in (f"sort={text}", f"state={text}", f"tag={text}", f"stage={text}"):
            assert (await client.get("/challenges/c", params=query)).status_code < 500
        preview = await form_post(client, "/preview", {"text": text, "source": text})
        assert preview.status_code < 500
    assert await Challenge.count() >= 1
