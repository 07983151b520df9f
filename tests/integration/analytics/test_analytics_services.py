"""Challenge analytics as the service counts them: funnel, weeks, departments, access."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from piccolo.query.base import Query

from challenges.enums import Stage
from challenges.services import analytics
from challenges.services.analytics.rules import MAX_PERIODS
from challenges.tables import Comment, Idea
from portal.errors import NotFound, PermissionDenied
from tests.domain_factories import make_challenge, make_comment, make_idea, set_stage
from tests.integration.analytics.conftest import (
    World,
    comment_at,
    decide,
    idea_at,
    moment,
    set_dates,
    vote_at,
)


def _funnel(result: analytics.ChallengeAnalytics) -> dict[str, int]:
    return {step.stage: step.ideas for step in result.funnel.steps}


def _ramps(result: analytics.ChallengeAnalytics) -> dict[str, int]:
    return {ramp.stage: ramp.ideas for ramp in result.funnel.off_ramps}


async def test_the_funnel_counts_stages_reached_through_decisions_and_off_ramps(world: World):
    c, a, mona = world.challenge, world.alice.id, world.mona.id

    async def idea(stage: str, *moves: tuple[str, str]):
        made = await make_idea(c.id, a)
        await set_stage(made.id, stage)
        for from_stage, to_stage in moves:
            await decide(made, from_stage, to_stage, mona)
        return made

    await idea("submitted")  # only submitted
    await idea("screening")  # there now, no decision recorded
    await idea(  # declined from evaluation: reached evaluation before leaving
        "declined",
        ("submitted", "screening"),
        ("screening", "evaluation"),
        ("evaluation", "declined"),
    )
    await idea("shortlist", ("shortlist", "selected"), ("selected", "shortlist"))  # was selected
    await idea("implemented")  # at the end of the line: every stage
    await idea("failed")  # failing is only possible once selected
    await idea("parked", ("screening", "evaluation"), ("evaluation", "parked"))
    await idea("withdrawn")
    await idea("merged")
    hidden = await idea("implemented", ("implementing", "implemented"))
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden.id)
    other = await make_challenge(mona, slug="other-one")  # another challenge's idea
    await make_idea(other.id, a, stage="selected")

    result = await analytics.get_challenge_analytics(world.viewer("mona"), c.slug)

    assert _funnel(result) == {
        "submitted": 9,
        "screening": 6,
        "evaluation": 5,
        "shortlist": 3,
        "selected": 3,
        "implementing": 1,
        "implemented": 1,
    }
    assert _ramps(result) == {
        "declined": 1,
        "parked": 1,
        "merged": 1,
        "withdrawn": 1,
        "failed": 1,
    }
    assert result.funnel.total == result.totals.ideas == 9
    assert [step.label for step in result.funnel.steps][:3] == [
        "Submitted",
        "Screening",
        "Evaluation",
    ]
    assert result.funnel.steps[0].share == 1.0
    assert result.funnel.steps[2].share == pytest.approx(5 / 9)


async def test_a_community_vote_decision_without_actor_counts_too(world: World):
    idea = await make_idea(world.challenge.id, world.alice.id)
    await set_stage(idea.id, Stage.SELECTED.value)
    await decide(idea, "submitted", "selected", None)
    result = await analytics.get_challenge_analytics(world.viewer("anna"), world.challenge.slug)
    assert _funnel(result)["selected"] == 1
    assert _funnel(result)["implementing"] == 0


async def test_activity_per_iso_week_from_the_opening(world: World):
    c = world.challenge
    # Opens on Wednesday 4 March 2026, closes on 31 March: weeks start on Mondays.
    await set_dates(c.id, moment("2026-03-04"), moment("2026-03-31", "23:59"))
    first = await idea_at(c.id, world.alice.id, moment("2026-03-04"), coauthor_ids=(world.bob.id,))
    await comment_at(world.bob.id, moment("2026-03-08", "23:30"), idea_id=first.id)  # a Sunday
    await vote_at(first.id, world.carl.id, moment("2026-03-09", "00:10"))  # the next Monday
    await vote_at(first.id, world.nora.id, moment("2026-03-10"))
    second = await idea_at(c.id, world.carl.id, moment("2026-03-19"))
    await comment_at(world.alice.id, moment("2026-03-20"), challenge_id=c.id)
    await vote_at(second.id, world.alice.id, moment("2026-03-21"))

    result = await analytics.get_challenge_analytics(
        world.viewer("mona"), c.slug, now=moment("2026-04-15")
    )
    timeline = result.timeline
    assert timeline.granularity == "week"
    # From the opening's week to the last activity (not to today, not to closing + 4 weeks).
    assert [p.starts_on for p in timeline.periods] == [
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]
    assert next(p.ends_on for p in timeline.periods) == date(2026, 3, 8)
    rows = [(p.ideas, p.comments, p.votes, p.participants) for p in timeline.periods]
    assert rows == [
        (1, 1, 0, 2),  # alice and bob (co-author and commenter) count once each
        (0, 0, 2, 2),  # carl and nora voted
        (1, 1, 1, 2),  # carl's idea; alice commented on the challenge and voted
    ]
    assert timeline.periods[0].label == "Mar 2"
    assert timeline.periods[0].long_label == "Mar 2, 2026"
    assert not timeline.later_activity
    assert result.totals == analytics.Totals(ideas=2, participants=4, comments=2, votes=3)


async def test_weeks_without_activity_are_zero_and_late_activity_is_cut(world: World):
    c = world.challenge
    await set_dates(c.id, moment("2026-03-02"), moment("2026-03-15"))
    idea = await idea_at(c.id, world.alice.id, moment("2026-03-02"))
    await vote_at(idea.id, world.bob.id, moment("2026-03-25"))
    await comment_at(world.carl.id, moment("2026-06-01"), idea_id=idea.id)  # long after closing

    result = await analytics.get_challenge_analytics(
        world.viewer("mona"), c.slug, now=moment("2026-07-01")
    )
    periods = result.timeline.periods
    # Closing (15 March) + 4 weeks = 12 April: weeks of 2 March up to 6 April.
    assert periods[0].starts_on == date(2026, 3, 2)
    assert periods[-1].starts_on == date(2026, 4, 6)
    assert len(periods) == 6
    assert [p.votes for p in periods] == [0, 0, 0, 1, 0, 0]
    assert sum(p.comments for p in periods) == 0
    assert result.timeline.later_activity
    assert result.totals.comments == 1  # the totals still count it


async def test_a_long_challenge_is_shown_per_month_in_at_most_52_periods(world: World):
    c = world.challenge
    await set_dates(c.id, moment("2025-01-15"), moment("2026-06-30"))
    idea = await idea_at(c.id, world.alice.id, moment("2025-01-20"))
    await vote_at(idea.id, world.bob.id, moment("2025-03-31", "23:59"))
    await vote_at(idea.id, world.carl.id, moment("2025-04-01", "00:01"))
    await comment_at(world.bob.id, moment("2026-02-10"), idea_id=idea.id)

    result = await analytics.get_challenge_analytics(
        world.viewer("mona"), c.slug, now=moment("2026-02-20")
    )
    timeline = result.timeline
    assert timeline.granularity == "month"
    assert len(timeline.periods) == 14  # January 2025 to February 2026
    assert len(timeline.periods) <= MAX_PERIODS
    by_month = {p.starts_on: p for p in timeline.periods}
    assert by_month[date(2025, 3, 1)].votes == 1
    assert by_month[date(2025, 4, 1)].votes == 1
    assert by_month[date(2025, 4, 1)].ends_on == date(2025, 4, 30)
    assert by_month[date(2026, 2, 1)].comments == 1
    assert by_month[date(2026, 2, 1)].label == "Feb 2026"


async def test_no_activity_gives_an_empty_timeline(world: World):
    result = await analytics.get_challenge_analytics(world.viewer("mona"), world.challenge.slug)
    assert result.timeline.periods == []
    assert result.departments == []
    assert result.funnel.total == 0
    assert result.totals == analytics.Totals(ideas=0, participants=0, comments=0, votes=0)


async def test_participation_by_department_with_a_no_department_bucket(world: World):
    c = world.challenge
    first = await make_idea(c.id, world.alice.id, coauthor_ids=(world.bob.id,))
    await make_idea(c.id, world.alice.id)
    await make_comment(world.bob.id, idea_id=first.id)
    await make_comment(world.carl.id, challenge_id=c.id)
    await vote_at(first.id, world.carl.id, moment("2026-01-05"))
    await vote_at(first.id, world.nora.id, moment("2026-01-05"))
    hidden = await make_idea(c.id, world.rita.id)  # Finance: only on a hidden idea
    await vote_at(hidden.id, world.mark.id, moment("2026-01-05"))
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden.id)

    result = await analytics.get_challenge_analytics(world.viewer("mona"), c.slug)
    shares = [(d.name, d.participants, d.ideas) for d in result.departments]
    assert shares == [
        ("Logistics", 2, 0),  # bob co-authored and commented, carl commented and voted
        ("Customer Service", 1, 2),  # alice wrote both ideas
        ("No department", 1, 0),  # nora voted
    ]
    assert result.departments[-1].department_id is None
    assert result.totals.participants == 4


async def test_hidden_ideas_and_hidden_or_deleted_comments_are_not_counted(world: World):
    c = world.challenge
    shown = await make_idea(c.id, world.alice.id)
    hidden = await make_idea(c.id, world.bob.id, stage="shortlist")
    await vote_at(hidden.id, world.carl.id, moment("2026-01-05"))
    await make_comment(world.carl.id, idea_id=hidden.id)
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden.id)
    moderated = await make_comment(world.nora.id, idea_id=shown.id)
    await Comment.update({Comment.hidden: True}).where(Comment.id == moderated.id)
    deleted = await make_comment(world.nora.id, challenge_id=c.id)
    await Comment.update({Comment.deleted_at: moment("2026-01-06")}).where(Comment.id == deleted.id)
    await make_comment(world.bob.id, idea_id=shown.id)

    result = await analytics.get_challenge_analytics(world.viewer("mona"), c.slug)
    assert result.totals == analytics.Totals(ideas=1, participants=2, comments=1, votes=0)
    assert _funnel(result)["shortlist"] == 0
    assert sum(p.votes for p in result.timeline.periods) == 0
    assert {d.name for d in result.departments} == {"Customer Service", "Logistics"}


async def _activity(world: World, challenge_id: int, ideas: int) -> None:
    people = [world.alice, world.bob, world.carl, world.nora]
    for n in range(ideas):
        idea = await idea_at(challenge_id, people[n % 4].id, moment(f"2026-01-{1 + n % 28:02d}"))
        await set_stage(idea.id, ("screening", "declined", "selected")[n % 3])
        await decide(idea, "submitted", "screening", world.mona.id)
        for voter in people[: 1 + n % 4]:
            if voter.id != people[n % 4].id:
                await vote_at(idea.id, voter.id, moment(f"2026-02-{1 + n % 28:02d}"))
        await comment_at(
            people[(n + 1) % 4].id, moment(f"2026-03-{1 + n % 28:02d}"), idea_id=idea.id
        )


@contextmanager
def piccolo_queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The SQL of every Piccolo query run in the block (counted as the idea-list test does)."""
    seen: list[str] = []
    original = Query.run

    async def counting_run(self, *args, **kwargs):
        seen.append(str(self))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(Query, "run", counting_run)
    try:
        yield seen
    finally:
        monkeypatch.setattr(Query, "run", original)


async def test_the_numbers_take_the_same_few_grouped_queries_for_any_amount_of_data(
    world: World, monkeypatch: pytest.MonkeyPatch
):
    small = await make_challenge(world.mona.id, slug="small-one")
    big = await make_challenge(world.mona.id, slug="big-one")
    for challenge in (small, big):
        await set_dates(challenge.id, moment("2025-12-29"), moment("2026-03-31"))
    await _activity(world, small.id, 1)
    await _activity(world, big.id, 40)
    mona = world.viewer("mona")
    now = moment("2026-04-10")

    with piccolo_queries(monkeypatch) as seen_small:
        few = await analytics.get_challenge_analytics(mona, "small-one", now=now)
    with piccolo_queries(monkeypatch) as seen_big:
        many = await analytics.get_challenge_analytics(mona, "big-one", now=now)

    assert len(seen_small) == len(seen_big) == 5, seen_big
    assert sum("GROUP BY" in sql or "COUNT(" in sql for sql in seen_big) == 4
    assert few.totals.ideas == 1
    assert many.totals.ideas == 40
    # Both run from the opening week to their last comment: 1 and 28 March.
    assert len(few.timeline.periods) == 9
    assert len(many.timeline.periods) == 13
    assert sum(p.ideas for p in many.timeline.periods) == 40
    assert many.totals.comments == 40
    assert _funnel(many)["screening"] == 40
    assert _ramps(many)["declined"] == 13


@pytest.mark.parametrize("name", ["alice", "mark", "rita", "olga"])
async def test_only_the_challenge_manager_and_admins_get_the_numbers(world: World, name):
    with pytest.raises(PermissionDenied):
        await analytics.get_challenge_analytics(world.viewer(name), world.challenge.slug)


async def test_a_draft_is_missing_for_those_who_cannot_see_it(world: World):
    draft = await make_challenge(world.mona.id, slug="a-draft", state="draft")
    await make_idea(draft.id, world.alice.id)
    for name in ("olga", "alice"):
        with pytest.raises(NotFound):
            await analytics.get_challenge_analytics(world.viewer(name), draft.slug)
    for name in ("mona", "anna"):
        result = await analytics.get_challenge_analytics(world.viewer(name), draft.slug)
        assert result.totals.ideas == 1
    with pytest.raises(NotFound):
        await analytics.get_challenge_analytics(world.viewer("mona"), "no-such-challenge")
    with pytest.raises(NotFound):
        await analytics.get_challenge_analytics(world.viewer("mona"), "../Junk Slug")
