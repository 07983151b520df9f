"""Assigning reviewers: who can be assigned, to which ideas, the panel, conflicts, due dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from challenges.enums import Stage
from challenges.services import reviews
from challenges.tables import ChallengeReviewer, Review
from portal.audit import list_entries
from portal.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.domain_factories import events_of, set_stage
from tests.integration.reviews.conftest import World


def pick(*people, panel: bool = False, due_on: str = "") -> reviews.AssignInput:
    return reviews.AssignInput(reviewers=[str(p.id) for p in people], panel=panel, due_on=due_on)


async def statuses(idea_id: int) -> dict[int, str]:
    rows = await Review.select(Review.reviewer, Review.status).where(Review.idea == idea_id)
    return {row["reviewer"]: row["status"] for row in rows}


async def test_assigning_picked_reviewers_is_audited_and_announced(world: World):
    olga = world.viewer("olga")
    result = await reviews.assign_reviewers(olga, world.idea_id, pick(world.rita, world.rex))
    assert result.assigned == ["Rita Reviewer", "Rex Reviewer"]
    assert await statuses(world.idea_id) == {world.rita.id: "assigned", world.rex.id: "assigned"}
    payloads = await events_of("review_assigned")
    assert payloads == [
        {
            "idea_id": world.idea_id,
            "challenge_id": world.challenge_id,
            "reviewer_id": reviewer,
            "by": world.olga.id,
        }
        for reviewer in (world.rita.id, world.rex.id)
    ]
    entries, _more = await list_entries(action="review.assigned")
    assert {e.after["reviewer_id"] for e in entries} == {world.rita.id, world.rex.id}
    assert all(
        e.actor_label == world.olga.email and e.target_id == str(world.idea_id) for e in entries
    )


async def test_assigning_again_is_not_an_error(world: World):
    olga = world.viewer("olga")
    await reviews.assign_reviewers(olga, world.idea_id, pick(world.rita))
    again = await reviews.assign_reviewers(olga, world.idea_id, pick(world.rita, world.vera))
    assert again.assigned == ["Vera Reviewer"]
    assert again.already == ["Rita Reviewer"]
    assert await Review.count().where(Review.idea == world.idea_id) == 2
    assert len(await events_of("review_assigned")) == 2


async def test_a_due_date_is_the_end_of_that_day_and_can_be_moved(world: World):
    olga = world.viewer("olga")
    day = (datetime.now(UTC) + timedelta(days=7)).date()
    await reviews.assign_reviewers(olga, world.idea_id, pick(world.rita, due_on=day.isoformat()))
    row = await Review.select(Review.due_at).where(Review.reviewer == world.rita.id).first()
    assert row["due_at"].date() == day
    assert (row["due_at"].hour, row["due_at"].minute) == (23, 59)
    later = day + timedelta(days=3)
    moved = await reviews.assign_reviewers(
        olga, world.idea_id, pick(world.rita, due_on=later.isoformat())
    )
    assert moved.due_updated == ["Rita Reviewer"]
    row = await Review.select(Review.due_at).where(Review.reviewer == world.rita.id).first()
    assert row["due_at"].date() == later


@pytest.mark.parametrize("due_on", ["2020-01-01", "tomorrow", "2026-02-30", "31-12-2030"])
async def test_bad_or_past_due_dates_are_refused(world: World, due_on):
    with pytest.raises(ValidationFailed) as caught:
        await reviews.assign_reviewers(
            world.viewer("olga"), world.idea_id, pick(world.rita, due_on=due_on)
        )
    assert set(caught.value.fields) == {"due_on"}
    assert await Review.count() == 0


async def test_a_coauthor_is_refused_with_a_clear_message(world: World):
    with pytest.raises(ValidationFailed) as caught:
        await reviews.assign_reviewers(
            world.viewer("olga"), world.idea_id, pick(world.rita, world.cora)
        )
    assert caught.value.message == "Cora Coauthor (co-)authored this idea and cannot review it."
    assert caught.value.fields == {"reviewer": caught.value.message}
    assert await Review.count() == 0, "a refused request assigns nobody"


@pytest.mark.parametrize("who", ["carl", "mark", "mona", "anna"])
async def test_people_without_the_reviewer_role_are_refused(world: World, who):
    person = getattr(world, who)
    with pytest.raises(ValidationFailed) as caught:
        await reviews.assign_reviewers(world.viewer("olga"), world.idea_id, pick(person))
    assert caught.value.message == (
        f"{person.display_name} does not have the reviewer role: only reviewers can be assigned."
    )
    assert await Review.count() == 0


@pytest.mark.parametrize("raw", ["abc", "0", "-3", "99999"])
async def test_unknown_people_are_refused(world: World, raw):
    with pytest.raises(ValidationFailed) as caught:
        await reviews.assign_reviewers(
            world.viewer("olga"), world.idea_id, reviews.AssignInput(reviewers=[raw])
        )
    assert set(caught.value.fields) == {"reviewer"}


async def test_nobody_picked_is_refused(world: World):
    with pytest.raises(ValidationFailed) as caught:
        await reviews.assign_reviewers(world.viewer("olga"), world.idea_id, reviews.AssignInput())
    assert caught.value.fields == {"reviewer": "Pick at least one reviewer, or the whole panel."}


@pytest.mark.parametrize("stage", [s for s in Stage if s != Stage.EVALUATION])
async def test_only_ideas_in_evaluation_take_reviewers(world: World, stage):
    await set_stage(world.idea_id, stage.value)
    with pytest.raises(Conflict) as caught:
        await reviews.assign_reviewers(world.viewer("olga"), world.idea_id, pick(world.rita))
    assert "only be assigned while an idea is in evaluation" in caught.value.message
    assert await Review.count() == 0


async def test_the_whole_panel_passes_over_authors(world: World):
    result = await reviews.assign_reviewers(
        world.viewer("olga"), world.idea_id, reviews.AssignInput(panel=True)
    )
    assert sorted(result.assigned) == ["Rita Reviewer", "Vera Reviewer"]
    assert [(b.name, b.reason) for b in result.skipped] == [
        ("Cora Coauthor", "an author of this idea")
    ]
    assert await statuses(world.idea_id) == {world.rita.id: "assigned", world.vera.id: "assigned"}
    # On Bob's idea Cora is no author: the whole panel goes.
    other = await reviews.assign_reviewers(
        world.viewer("olga"), world.idea2_id, reviews.AssignInput(panel=True)
    )
    assert sorted(other.assigned) == ["Cora Coauthor", "Rita Reviewer", "Vera Reviewer"]


async def test_an_empty_panel_says_so(world: World):
    await ChallengeReviewer.delete().where(ChallengeReviewer.challenge == world.challenge_id)
    with pytest.raises(ValidationFailed) as caught:
        await reviews.assign_reviewers(
            world.viewer("olga"), world.idea_id, reviews.AssignInput(panel=True)
        )
    assert caught.value.fields == {"panel": "The panel is empty: add reviewers to it first."}


async def test_bulk_assignment_fills_only_ideas_without_reviewers(world: World):
    olga = world.viewer("olga")
    await reviews.assign_reviewers(olga, world.idea2_id, pick(world.rex))
    result = await reviews.assign_panel_to_unreviewed(olga, world.slug)
    assert (result.ideas, result.assignments) == (1, 2)  # Alice's idea: Rita and Vera
    assert await statuses(world.idea_id) == {world.rita.id: "assigned", world.vera.id: "assigned"}
    assert await statuses(world.idea2_id) == {world.rex.id: "assigned"}
    again = await reviews.assign_panel_to_unreviewed(olga, world.slug)
    assert (again.ideas, again.assignments) == (0, 0)


async def test_a_declared_conflict_takes_the_reviewer_off_for_good(world: World):
    olga, rita = world.viewer("olga"), world.viewer("rita")
    await reviews.assign_reviewers(olga, world.idea_id, pick(world.rita, world.vera))
    await reviews.declare_conflict(rita, world.idea_id, "My brother works on the docks.")
    assert await statuses(world.idea_id) == {world.rita.id: "conflict", world.vera.id: "assigned"}
    entries, _more = await list_entries(action="review.conflict")
    assert entries[0].after == {"status": "conflict", "note": "My brother works on the docks."}
    queue = await reviews.get_queue(rita)
    assert queue.items == []
    with pytest.raises(NotFound):
        await reviews.get_scorecard(rita, world.idea_id)
    with pytest.raises(ValidationFailed) as caught:
        await reviews.assign_reviewers(olga, world.idea_id, pick(world.rita))
    assert caught.value.message == "Rita Reviewer declared a conflict of interest on this idea."
    panel = await reviews.assign_reviewers(olga, world.idea_id, reviews.AssignInput(panel=True))
    assert panel.assigned == []
    assert ("Rita Reviewer", "declared a conflict of interest") in [
        (b.name, b.reason) for b in panel.skipped
    ]
    page = await reviews.get_reviewers_page(olga, world.slug)
    idea = next(i for i in page.ideas if i.id == world.idea_id)
    conflict = next(a for a in idea.assignments if a.reviewer_id == world.rita.id)
    assert (conflict.status, conflict.conflict_note) == (
        "conflict",
        "My brother works on the docks.",
    )


async def test_removing_an_assignment_is_audited(world: World):
    olga = world.viewer("olga")
    await reviews.assign_reviewers(olga, world.idea_id, pick(world.rita))
    result = await reviews.unassign_reviewer(olga, world.idea_id, str(world.rita.id))
    assert (result.name, result.changed, result.challenge_slug) == (
        "Rita Reviewer",
        True,
        world.slug,
    )
    assert await Review.count() == 0
    entries, _more = await list_entries(action="review.unassigned")
    assert entries[0].before["status"] == "assigned"
    again = await reviews.unassign_reviewer(olga, world.idea_id, str(world.rita.id))
    assert again.changed is False
    with pytest.raises(NotFound):
        await reviews.unassign_reviewer(olga, world.idea_id, "junk")


@pytest.mark.parametrize("who", ["mona", "carl", "rita"])
async def test_only_the_challenges_manager_assigns(world: World, who):
    with pytest.raises(PermissionDenied):
        await reviews.assign_reviewers(world.viewer(who), world.idea_id, pick(world.rita))
    with pytest.raises(PermissionDenied):
        await reviews.get_reviewers_page(world.viewer(who), world.slug)


async def test_admins_assign_too(world: World):
    result = await reviews.assign_reviewers(world.viewer("anna"), world.idea_id, pick(world.rita))
    assert result.assigned == ["Rita Reviewer"]


async def test_the_panel_takes_reviewers_only(world: World):
    olga = world.viewer("olga")
    assert await reviews.add_panel_member(olga, world.slug, str(world.rex.id)) == (
        "Rex Reviewer",
        True,
    )
    assert await reviews.add_panel_member(olga, world.slug, world.rex.id) == ("Rex Reviewer", False)
    with pytest.raises(ValidationFailed) as caught:
        await reviews.add_panel_member(olga, world.slug, str(world.carl.id))
    assert "does not have the reviewer role" in caught.value.fields["user_id"]
    for junk in ("", "x", "0", "12345678"):
        with pytest.raises(ValidationFailed):
            await reviews.add_panel_member(olga, world.slug, junk)
    name, removed = await reviews.remove_panel_member(olga, world.slug, str(world.rex.id))
    assert (name, removed) == ("Rex Reviewer", True)
    entries, _more = await list_entries(action="review.panel_added")
    assert entries[0].after["reviewer_id"] == world.rex.id
    assert (await list_entries(action="review.panel_removed"))[0]


async def test_the_reviewers_page_shows_who_can_be_assigned(world: World):
    olga = world.viewer("olga")
    await reviews.assign_reviewers(olga, world.idea_id, pick(world.rita))
    page = await reviews.get_reviewers_page(olga, world.slug)
    assert [m.name for m in page.panel] == ["Cora Coauthor", "Rita Reviewer", "Vera Reviewer"]
    rita = next(m for m in page.panel if m.id == world.rita.id)
    assert (rita.open_count, rita.submitted_count) == (1, 0)
    assert [p.name for p in page.candidates] == ["Rex Reviewer"]
    assert [i.id for i in page.ideas] == [world.idea_id, world.idea2_id]  # not the screening one
    idea = page.ideas[0]
    assert idea.authors == ["Alice Employee", "Bob Employee", "Cora Coauthor"]
    assert [p.name for p in idea.assignable] == ["Vera Reviewer"]
    assert [(b.name, b.reason) for b in idea.blocked] == [
        ("Cora Coauthor", "an author of this idea")
    ]
    assert page.unreviewed_count == 1
    assert page.criteria_count == 2
