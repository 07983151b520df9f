"""The demo company shows the whole pipeline: a review round under way, and a past challenge's
winners funded and carried out — seeded through the services, and only once."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from challenges.demo_content import BUDDY, CHECKLIST, LAPTOP, VIDEOS
from challenges.services import reviews
from challenges.tables import (
    Award,
    Challenge,
    ChallengeReviewer,
    Comment,
    Decision,
    Idea,
    ImplementationUpdate,
    Review,
    ReviewScore,
    Vote,
)
from portal.demo import DEMO_PASSWORD, seed_demo
from portal.errors import ValidationFailed
from portal.tables import AuditLog
from tests.factories import sign_in

ONBOARDING = "Faster onboarding for new colleagues"
PAST = "Faster refunds for returned parcels"
RITA = "rita.mulder@example.com"
SANJAY = "sanjay.patel@example.com"
OLIVER = "oliver.smith@example.com"
ALICE = "alice.jansen@example.com"


async def slug_of(title: str) -> str:
    rows = await Challenge.select(Challenge.slug).where(Challenge.title == title)
    return rows[0]["slug"]


async def idea_id(title: str) -> int:
    rows = await Idea.select(Idea.id).where(Idea.title == title)
    return rows[0]["id"]


async def decisions_of(idea: int) -> list[dict]:
    """An idea's decisions, oldest first."""
    return await (
        Decision.select(Decision.to_stage, Decision.created_at)
        .where(Decision.idea == idea)
        .order_by(Decision.created_at)
        .order_by(Decision.id)
    )


def items(html: str, testid: str) -> list[str]:
    """The markup of every element marked ``testid``, from its opening tag up to the next."""
    starts = [m.start() for m in re.finditer(rf'<[^>]*data-testid="{testid}"', html)]
    return [html[a:b] for a, b in zip(starts, [*starts[1:], len(html)], strict=True)]


def text_of(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).replace("&#39;", "'")


async def page(client, email: str, path: str) -> str:
    await sign_in(client, email, DEMO_PASSWORD)
    response = await client.get(path)
    assert response.status_code == 200, path
    return response.text


async def test_rita_has_a_review_waiting_and_sanjay_one_overdue(client, other_client):
    await seed_demo()
    queue = await page(client, RITA, "/reviews")
    entries = items(queue, "queue-item")
    assert len(entries) == 4
    waiting = [e for e in entries if 'class="button primary"' in e]  # "Score it"
    assert len(waiting) == 1
    assert VIDEOS in text_of(waiting[0])
    assert "is-overdue" not in waiting[0].split(">", 1)[0]
    assert 'data-testid="overdue-count"' not in queue
    progress = text_of(items(queue, "progress")[0].split("</strong>")[0])
    assert re.findall(r"\d+", progress) == ["3", "4"]  # Rita reads Dutch: numbers only
    row = await (
        Review.select(Review.due_at)
        .where((Review.idea == await idea_id(VIDEOS)) & (Review.reviewer.email == RITA))
        .first()
    )
    assert timedelta(days=2) < row["due_at"] - datetime.now(UTC) < timedelta(days=5)

    sanjay = await page(other_client, SANJAY, "/reviews")
    assert 'data-testid="overdue-count"' in sanjay
    overdue = [e for e in items(sanjay, "queue-item") if "is-overdue" in e.split(">", 1)[0]]
    assert [VIDEOS in text_of(e) for e in overdue] == [True]
    assert BUDDY not in text_of(sanjay)  # his own idea is never his to review


async def test_the_onboarding_shortlist_ranks_scored_ideas(client):
    await seed_demo()
    slug = await slug_of(ONBOARDING)
    html = await page(client, OLIVER, f"/challenges/{slug}/shortlist")
    rows = [text_of(row) for row in items(html, "shortlist-row")]
    titles = [next(t for t in (LAPTOP, BUDDY, CHECKLIST, VIDEOS) if t in row) for row in rows]
    assert titles == [LAPTOP, BUDDY, CHECKLIST, VIDEOS]
    assert [row.split()[0] for row in rows] == ["1", "2", "3", "–"]
    assert "93.3" in rows[0]
    assert "Shortlist" in rows[0]
    assert "Strong disagreement" in rows[2]
    assert html.count('data-testid="disagreement"') == 1
    assert "Not scored yet" in rows[3]
    assert "+2 waiting" in rows[3]
    # The panel: both reviewers; Sanjay wrote the buddy idea and the service refuses him on it.
    challenge_id = (await Challenge.select(Challenge.id).where(Challenge.slug == slug))[0]["id"]
    assert await ChallengeReviewer.count().where(ChallengeReviewer.challenge == challenge_id) == 2
    buddy = await idea_id(BUDDY)
    on_buddy = await Review.select(Review.reviewer.email).where(Review.idea == buddy)
    assert on_buddy == [{"reviewer.email": RITA}]


async def test_declined_and_parked_ideas_say_why(client):
    await seed_demo()
    slug = await slug_of(ONBOARDING)
    rows = await Idea.select(Idea.title, Idea.stage, Idea.stage_note).where(
        Idea.challenge.slug == slug
    )
    stages = sorted(row["stage"] for row in rows)
    assert stages == ["declined", "evaluation", "evaluation", "evaluation", "parked", "shortlist"]
    assert all(row["stage_note"] for row in rows)
    laptop = await decisions_of(await idea_id(LAPTOP))
    assert [d["to_stage"] for d in laptop] == ["screening", "evaluation", "shortlist"]
    times = [d["created_at"] for d in laptop]
    assert times == sorted(times)
    html = await page(client, ALICE, f"/ideas/{await idea_id(LAPTOP)}")
    assert "Highest score of the panel" in html
    # In review: it stopped taking ideas days ago, and its votes and comments came before.
    closes = (await Challenge.select(Challenge.closes_at).where(Challenge.slug == slug))[0]
    assert closes["closes_at"] < datetime.now(UTC)
    ids = [await idea_id(row["title"]) for row in rows]
    votes = await Vote.select(Vote.created_at).where(Vote.idea.is_in(ids))
    comments = await Comment.select(Comment.created_at).where(Comment.idea.is_in(ids))
    assert votes
    assert comments
    assert all(row["created_at"] < closes["closes_at"] for row in votes + comments)


async def test_the_past_challenge_shows_awards_and_implementation(client):
    await seed_demo()
    slug = await slug_of(PAST)
    results = text_of(await page(client, ALICE, f"/challenges/{slug}/results"))
    assert "Awarded €24,000 Remaining €16,000" in results
    assert "60% of the budget awarded" in results
    assert "Scan returns at the dock door Implemented" in results
    assert "Awarded €6,000 Spent €5,600 Owner Daan Bakker" in results
    assert "100% complete" in results
    assert "Awarded €18,000 Spent €12,500 Owner Chen Wei" in results
    assert "45% complete" in results
    challenge = await client.get(f"/challenges/{slug}")
    meter = challenge.text.split('data-testid="budget-meter"')[0].rsplit("<meter", 1)[1]
    assert 'max="4000000"' in meter  # €40,000
    assert 'value="2400000"' in meter  # €24,000 awarded: not over budget
    row = await Challenge.select(Challenge.budget_minor, Challenge.awarded_minor).where(
        Challenge.slug == slug
    )
    assert row[0]["awarded_minor"] <= row[0]["budget_minor"]

    dock = await idea_id("Scan returns at the dock door")
    idea_page = await client.get(f"/ideas/{dock}")
    funding = text_of(idea_page.text.split('data-testid="funding"', 1)[1])
    assert "Daan Bakker" in funding
    assert len(items(idea_page.text, "update")) == 3
    assert "1.5 days" in funding
    # Awards and updates happened while the idea was carried out, months ago.
    decided = {d["to_stage"]: d["created_at"] for d in await decisions_of(dock)}
    awarded = (await Award.select(Award.created_at).where(Award.idea == dock))[0]["created_at"]
    updates = await ImplementationUpdate.select(ImplementationUpdate.created_at).where(
        ImplementationUpdate.idea == dock
    )
    assert decided["selected"] < awarded < decided["implementing"]
    assert all(decided["implementing"] < u["created_at"] < decided["implemented"] for u in updates)
    assert await AuditLog.count().where(AuditLog.action == "idea.award") == 2


async def test_seeding_twice_changes_nothing(db):
    await seed_demo()
    tables = (
        Idea,
        Decision,
        Review,
        ReviewScore,
        ChallengeReviewer,
        Award,
        ImplementationUpdate,
        Comment,
        Vote,
        AuditLog,
    )
    before = [await t.count() for t in tables]
    awarded = await Challenge.select(Challenge.title, Challenge.awarded_minor)
    await seed_demo()
    assert [await t.count() for t in tables] == before
    assert await Challenge.select(Challenge.title, Challenge.awarded_minor) == awarded


async def test_the_service_refuses_sanjay_on_his_own_idea(db):
    await seed_demo()
    from challenges.demo import people_by_email

    people = await people_by_email()
    with pytest.raises(ValidationFailed):
        await reviews.assign_reviewers(
            people[OLIVER],
            await idea_id(BUDDY),
            reviews.AssignInput(reviewers=[str(people[SANJAY].id)]),
        )
