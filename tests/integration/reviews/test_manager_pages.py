"""The manager's pages and API: the panel, assignments (with 422 and 409 on the page), the
bulk assignment, the idea page's review column, and the scorecard lock on the challenge."""

from __future__ import annotations

import pytest

from challenges.enums import Stage
from challenges.services import challenges as challenge_service
from challenges.services import reviews
from challenges.services.challenges.views import CriterionInput
from challenges.tables import ChallengeReviewer, Criterion, Review
from portal.errors import ValidationFailed
from tests.domain_factories import set_stage
from tests.factories import api_headers, form_post, sign_in
from tests.integration.reviews.conftest import World


async def panel_ids(world: World) -> set[int]:
    rows = await ChallengeReviewer.select(ChallengeReviewer.user).where(
        ChallengeReviewer.challenge == world.challenge_id
    )
    return {row["user"] for row in rows}


async def test_the_reviewers_page_manages_the_panel(client, world: World):
    await sign_in(client, world.olga.email)
    page = await client.get(f"/challenges/{world.slug}/reviewers")
    assert page.status_code == 200
    html = page.text
    assert html.count('data-testid="panel-member"') == 3
    assert f'<option value="{world.rex.id}">Rex Reviewer (Legal)</option>' in html
    assert "Carl Colleague" not in html  # no reviewer role: not offered
    assert html.count('data-testid="evaluation-idea"') == 2
    assert "Drone drops" not in html  # still in screening
    added = await form_post(
        client, f"/challenges/{world.slug}/reviewers", {"user_id": str(world.rex.id)}
    )
    assert added.status_code == 303
    assert added.headers["location"] == f"/challenges/{world.slug}/reviewers#panel"
    assert world.rex.id in await panel_ids(world)
    refused = await form_post(
        client, f"/challenges/{world.slug}/reviewers", {"user_id": str(world.carl.id)}
    )
    assert refused.status_code == 422
    assert "Carl Colleague does not have the reviewer role" in refused.text
    removed = await form_post(
        client, f"/challenges/{world.slug}/reviewers/{world.rex.id}/remove", {}
    )
    assert removed.status_code == 303
    assert world.rex.id not in await panel_ids(world)
    missing = await form_post(client, f"/challenges/{world.slug}/reviewers/abc/remove", {})
    assert missing.status_code == 404


async def test_assigning_from_the_page(client, world: World):
    await sign_in(client, world.olga.email)
    url = f"/ideas/{world.idea_id}/assignments"
    done = await form_post(client, url, {"reviewer": str(world.rita.id), "due_on": "2099-01-31"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/challenges/{world.slug}/reviewers#idea-{world.idea_id}"
    page = await client.get(done.headers["location"].split("#")[0])
    assert "Assigned: Rita Reviewer." in page.text
    assert "Due Jan 31, 2099" in page.text
    # Two picked at once, as a browser sends repeated checkboxes.
    both = await client.post(
        url,
        data={"_csrf": _token(page.text), "reviewer": [str(world.rita.id), str(world.vera.id)]},
    )
    assert both.status_code == 303
    rows = await Review.select(Review.reviewer).where(Review.idea == world.idea_id)
    assert {r["reviewer"] for r in rows} == {world.rita.id, world.vera.id}


def _token(html: str) -> str:
    import re

    return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)


async def test_a_refused_assignment_re_renders_the_page_with_the_reason(client, world: World):
    await sign_in(client, world.olga.email)
    refused = await form_post(
        client, f"/ideas/{world.idea_id}/assignments", {"reviewer": str(world.cora.id)}
    )
    assert refused.status_code == 422
    assert (
        'data-testid="assign-error">Cora Coauthor (co-)authored this idea and cannot review it.'
        in refused.text
    )
    await set_stage(world.idea_id, Stage.SHORTLIST.value)
    late = await form_post(
        client, f"/ideas/{world.idea_id}/assignments", {"reviewer": str(world.rita.id)}
    )
    assert late.status_code == 409
    assert "only be assigned while an idea is in evaluation" in late.text
    nobody = await form_post(client, f"/ideas/{world.idea2_id}/assignments", {})
    assert nobody.status_code == 422
    assert await Review.count() == 0


async def test_the_whole_panel_and_bulk_assignment_from_the_page(client, world: World):
    await sign_in(client, world.olga.email)
    panel = await form_post(client, f"/ideas/{world.idea_id}/assignments", {"panel": "1"})
    assert panel.status_code == 303
    page = await client.get(f"/challenges/{world.slug}/reviewers")
    assert "Passed over: Cora Coauthor (an author of this idea)." in page.text
    bulk = await form_post(client, f"/challenges/{world.slug}/reviewers/assign-all", {"due_on": ""})
    assert bulk.status_code == 303
    assert await Review.count().where(Review.idea == world.idea2_id) == 3
    page = await client.get(f"/challenges/{world.slug}/reviewers")
    assert "3 assignments made (ideas: 1)." in page.text
    assert 'data-testid="assign-all-form"' not in page.text  # nothing left without reviewers
    bad_day = await form_post(
        client, f"/challenges/{world.slug}/reviewers/assign-all", {"due_on": "soon"}
    )
    assert bad_day.status_code == 422


async def test_removing_an_assignment_from_the_page(client, world: World):
    await reviews.assign_reviewers(
        world.viewer("olga"), world.idea_id, reviews.AssignInput(reviewers=[str(world.rita.id)])
    )
    await sign_in(client, world.olga.email)
    removed = await form_post(
        client, f"/ideas/{world.idea_id}/assignments/{world.rita.id}/remove", {}
    )
    assert removed.status_code == 303
    assert await Review.count() == 0
    assert (
        await form_post(client, f"/ideas/{world.idea_id}/assignments/x/remove", {})
    ).status_code == 404


async def test_the_idea_page_column_per_person(client, world: World):
    await reviews.assign_reviewers(
        world.viewer("olga"), world.idea_id, reviews.AssignInput(reviewers=[str(world.rita.id)])
    )
    await sign_in(client, world.olga.email)
    manager = (await client.get(f"/ideas/{world.idea_id}")).text
    assert 'data-testid="idea-reviews"' in manager
    assert "0 of 1 submitted" in manager
    assert f'href="/challenges/{world.slug}/reviewers#idea-{world.idea_id}"' in manager
    client.cookies.clear()
    await sign_in(client, world.rita.email)
    reviewer = (await client.get(f"/ideas/{world.idea_id}")).text
    assert 'data-testid="open-scorecard"' in reviewer
    assert f'href="/ideas/{world.idea_id}/review"' in reviewer
    client.cookies.clear()
    await sign_in(client, world.carl.email)
    bystander = (await client.get(f"/ideas/{world.idea_id}")).text
    assert 'data-testid="idea-reviews"' not in bystander


async def test_the_api_manages_panel_and_assignments(client, world: World):
    await sign_in(client, world.olga.email)
    headers = api_headers(client)
    panel = await client.get(f"/api/v1/challenges/{world.slug}/reviewers")
    assert [m["name"] for m in panel.json()["members"]] == [
        "Cora Coauthor",
        "Rita Reviewer",
        "Vera Reviewer",
    ]
    added = await client.post(
        f"/api/v1/challenges/{world.slug}/reviewers",
        json={"user_id": world.rex.id},
        headers=headers,
    )
    assert added.status_code == 201
    again = await client.post(
        f"/api/v1/challenges/{world.slug}/reviewers",
        json={"user_id": world.rex.id},
        headers=headers,
    )
    assert (again.status_code, again.json()["changed"]) == (200, False)
    refused = await client.post(
        f"/api/v1/challenges/{world.slug}/reviewers",
        json={"user_id": world.carl.id},
        headers=headers,
    )
    assert refused.status_code == 422
    url = f"/api/v1/ideas/{world.idea_id}/assignments"
    assigned = await client.post(
        url, json={"reviewer_ids": [world.rita.id], "due_on": "2099-03-01"}, headers=headers
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assigned"] == ["Rita Reviewer"]
    assert assigned.json()["assignments"][0]["due_at"].startswith("2099-03-01T23:59:59")
    repeat = await client.post(url, json={"reviewer_ids": [world.rita.id]}, headers=headers)
    assert (repeat.status_code, repeat.json()["already"]) == (200, ["Rita Reviewer"])
    coauthor = await client.post(url, json={"reviewer_ids": [world.cora.id]}, headers=headers)
    assert coauthor.status_code == 422
    assert (
        coauthor.json()["error"]["message"]
        == "Cora Coauthor (co-)authored this idea and cannot review it."
    )
    employee = await client.post(url, json={"reviewer_ids": [world.carl.id]}, headers=headers)
    assert employee.status_code == 422
    screening = await client.post(
        f"/api/v1/ideas/{world.screening_id}/assignments", json={"panel": True}, headers=headers
    )
    assert screening.status_code == 409
    listed = (await client.get(url)).json()
    assert [a["reviewer"]["name"] for a in listed["assignments"]] == ["Rita Reviewer"]
    gone = await client.delete(f"{url}/{world.rita.id}", headers=headers)
    assert (gone.status_code, gone.json()["changed"]) == (200, True)
    bulk = await client.post(
        f"/api/v1/challenges/{world.slug}/reviewers/assign-all", json={}, headers=headers
    )
    assert bulk.json() == {"ideas": 2, "assignments": 7}  # 3 + 4 minus Cora on Alice's idea
    removed = await client.delete(
        f"/api/v1/challenges/{world.slug}/reviewers/{world.rex.id}", headers=headers
    )
    assert removed.json()["changed"] is True


@pytest.mark.parametrize("who", ["mona", "carl", "rita", "mark"])
async def test_other_people_cannot_manage_reviews(client, world: World, who):
    await sign_in(client, getattr(world, who).email)
    headers = api_headers(client)
    assert (await client.get(f"/challenges/{world.slug}/reviewers")).status_code == 403
    assert (await client.get(f"/challenges/{world.slug}/shortlist")).status_code == 403
    assert (
        await form_post(client, f"/ideas/{world.idea_id}/assignments", {"panel": "1"})
    ).status_code == 403
    assert (await client.get(f"/api/v1/challenges/{world.slug}/shortlist")).status_code == 403
    assert (await client.get(f"/api/v1/ideas/{world.idea_id}/assignments")).status_code == 403
    post = await client.post(
        f"/api/v1/ideas/{world.idea_id}/assignments", json={"panel": True}, headers=headers
    )
    assert post.status_code == 403
    assert await Review.count() == 0


async def test_anonymous_visitors_sign_in_first(client, world: World):
    for path in (
        "/reviews",
        f"/challenges/{world.slug}/reviewers",
        f"/ideas/{world.idea_id}/review",
    ):
        response = await client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    assert (await client.get("/api/v1/reviews")).status_code == 401


async def test_the_scorecard_locks_once_a_review_is_in(client, world: World):
    olga = world.viewer("olga")
    current = await challenge_service.get_editable_challenge(olga, world.slug)
    rows = [
        CriterionInput(
            id=str(c.id),
            name=c.name,
            guidance=c.guidance,
            weight=str(c.weight),
            scale_max=str(c.scale_max),
            position=str(c.position),
        )
        for c in current.criteria
    ]

    def edit(criteria):
        return challenge_service.ChallengeInput(
            title=current.title,
            brief=current.brief,
            budget="10000",
            currency=current.currency,
            opens_on=current.opens_at.date().isoformat(),
            closes_on=current.closes_at.date().isoformat(),
            blind_screening=True,
            criteria=criteria,
        )

    # Before any scorecard: the criteria change freely.
    changed = [
        *rows[:1],
        CriterionInput(id=rows[1].id, name="Feasibility", weight="4", scale_max="9"),
    ]
    saved = await challenge_service.edit_challenge(olga, world.slug, edit(changed), current.version)
    assert [c.weight for c in saved.criteria] == [3, 4]
    await challenge_service.edit_challenge(olga, world.slug, edit(rows), saved.version)
    await reviews.assign_reviewers(
        olga, world.idea_id, reviews.AssignInput(reviewers=[str(world.rita.id)])
    )
    await reviews.submit_scorecard(
        world.viewer("rita"),
        world.idea_id,
        reviews.ScorecardInput(scores={str(world.impact_id): "6", str(world.feasibility_id): "8"}),
    )
    current = await challenge_service.get_editable_challenge(olga, world.slug)
    for attempt in (
        changed,  # another weight
        rows[:1],  # a criterion removed
        [*rows, CriterionInput(name="Cost", weight="2", scale_max="5")],  # one added
        [rows[0], CriterionInput(id=rows[1].id, name="Doability", weight="5", scale_max="9")],
    ):
        with pytest.raises(ValidationFailed) as caught:
            await challenge_service.edit_challenge(olga, world.slug, edit(attempt), current.version)
        assert "The scorecard is locked" in caught.value.fields["criteria"]
    assert [
        (c["name"], c["weight"])
        for c in await Criterion.select(Criterion.name, Criterion.weight).order_by(
            Criterion.position
        )
    ] == [("Impact", 3), ("Feasibility", 5)]
    # The same criteria in another order, and other fields, still save.
    reordered = [
        CriterionInput(
            id=r.id,
            name=r.name,
            guidance=r.guidance,
            weight=r.weight,
            scale_max=r.scale_max,
            position=str(2 - i),
        )
        for i, r in enumerate(rows)
    ]
    saved = await challenge_service.edit_challenge(
        olga, world.slug, edit(reordered), current.version
    )
    assert [c.name for c in saved.criteria] == ["Feasibility", "Impact"]
    await sign_in(client, world.olga.email)
    form = await client.get(f"/challenges/{world.slug}/edit")
    assert form.status_code == 200
