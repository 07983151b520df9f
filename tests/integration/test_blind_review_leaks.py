"""Blind review leaks nothing: crawl every page and API answer as every role, look for markers.

A blind-screening challenge has an idea in evaluation written by people with names found
nowhere else (the markers), commented on by its own first author; two reviewers are
assigned, one of whom has submitted a scorecard with a distinctive score, comment and
private note. Every GET route the app serves is called with the world's ids filled in (plus
searches for the idea), as each persona; each answer — HTML, JSON, CSV, error pages alike —
is searched for the markers that persona must never see:

- author names and e-mail addresses: never to a reviewer while the idea is in evaluation;
- the submitted scorecard's score, comment and private note: never to a reviewer who has not
  submitted their own, never to people outside the review (authors included while the idea
  is in evaluation);
- the reviewers' names: never to the authors or to colleagues outside the challenge team.

The crawl then moves the idea out of evaluation and checks that the authors' names do come
back for the reviewers: a test that could not see the names at all would prove nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
from litestar.routes import HTTPRoute

from challenges.enums import ChallengeState, Stage
from challenges.tables import (
    ChallengeReviewer,
    Criterion,
    Decision,
    Review,
    ReviewScore,
)
from search import indexer
from tests.domain_factories import make_challenge, make_comment, make_idea, set_stage
from tests.factories import browser, make_persona, make_user, sign_in

AUTHOR = ("zephyrine.q@example.com", "Zephyrine Quillfeather")
COAUTHOR = ("marmaduke.o@example.com", "Marmaduke Oakenshield")
SUBMITTED_REVIEWER = ("xanthippe.v@example.com", "Xanthippe Vellacourt")
WAITING_REVIEWER = ("ottoline.w@example.com", "Ottoline Wrensford")
IDEA_TITLE = "Pneumatic parcel tubes between the loading docks"
SCORE_COMMENT = "AUTHORNOTE-QX7 the tubes need a maintenance contract"
PRIVATE_NOTE = "PRIVNOTE-QX7 I doubt the supplier's numbers"
# The submitted scorecard: weights 3 and 5, scales 7 and 9, scores 6 and 8 →
# (3·6/7 + 5·8/9) / 8 · 100 = 87.698… — however it is rounded, "87.7", "87,7" or "87.69…".
SCORE_PATTERN = r"87[.,]7|87\.69|\b88\b"

AUTHOR_MARKERS = (AUTHOR[1], COAUTHOR[1], "Quillfeather", "Oakenshield", AUTHOR[0], COAUTHOR[0])
REVIEWER_MARKERS = (SUBMITTED_REVIEWER[1], WAITING_REVIEWER[1], "Vellacourt", "Wrensford")
SCORECARD_MARKERS = ("AUTHORNOTE-QX7", "PRIVNOTE-QX7")


@dataclass
class World:
    slug: str
    challenge_id: int
    idea_id: int
    comment_id: int
    people: dict[str, tuple[str, str]]  # persona → (e-mail, name)


async def build_world() -> World:
    owner = await make_user("olga.blind@example.com", display_name="Olga Owner", role="manager")
    author = await make_user(AUTHOR[0], display_name=AUTHOR[1], department="Logistics")
    coauthor = await make_user(COAUTHOR[0], display_name=COAUTHOR[1], department="Finance")
    submitted = await make_user(
        SUBMITTED_REVIEWER[0], display_name=SUBMITTED_REVIEWER[1], role="reviewer"
    )
    waiting = await make_user(
        WAITING_REVIEWER[0], display_name=WAITING_REVIEWER[1], role="reviewer"
    )
    employee = await make_persona("alice_employee")
    moderator = await make_persona("mark_moderator")
    outsider_reviewer = await make_persona("rita_reviewer")  # a reviewer not assigned
    other_manager = await make_persona("mona_manager")
    admin = await make_persona("anna_admin")
    # The home page lists the newest colleagues by name: that says nothing about who wrote
    # what, so newer colleagues push the marked people off it.
    for number in range(8):
        await make_user(f"newer{number}@example.com", display_name=f"Newer Colleague {number}")

    challenge = await make_challenge(
        owner.id,
        title="Faster parcels between docks",
        state=ChallengeState.REVIEWING.value,
        blind_screening=True,
        closes_in_days=-1,
        opens_in_days=-30,
    )
    first = Criterion(challenge=challenge.id, name="Impact", weight=3, scale_max=7, position=1)
    second = Criterion(
        challenge=challenge.id, name="Feasibility", weight=5, scale_max=9, position=2
    )
    await Criterion.insert(first, second)
    idea = await make_idea(
        challenge.id,
        author.id,
        title=IDEA_TITLE,
        summary="Send small parcels through pneumatic tubes instead of carts.",
        body="Tubes between dock 1 and dock 4, like hospitals use for samples.",
        coauthor_ids=(coauthor.id,),
    )
    now = datetime.now(UTC)
    for before, after in (("submitted", "screening"), ("screening", "evaluation")):
        await Decision.insert(
            Decision(
                idea=idea.id,
                challenge=challenge.id,
                from_stage=before,
                to_stage=after,
                actor=owner.id,
                rationale="",
                created_at=now - timedelta(days=2),
            )
        )
    await set_stage(idea.id, Stage.EVALUATION.value)
    comment = await make_comment(
        author.id, idea_id=idea.id, body="Happy to show the hospital's set-up to anyone."
    )
    await make_comment(employee.id, idea_id=idea.id, body="Would the tubes fit boxes?")

    for reviewer in (submitted, waiting):
        await ChallengeReviewer.insert(
            ChallengeReviewer(challenge=challenge.id, user=reviewer.id, added_at=now)
        )
    done = Review(
        idea=idea.id,
        challenge=challenge.id,
        reviewer=submitted.id,
        assigned_by=owner.id,
        due_at=now + timedelta(days=5),
        status="submitted",
        comment=SCORE_COMMENT,
        private_note=PRIVATE_NOTE,
        weighted_score=(3 * 6 / 7 + 5 * 8 / 9) / 8 * 100,
        assigned_at=now - timedelta(days=1),
        submitted_at=now,
    )
    await Review.insert(done)
    await ReviewScore.insert(
        ReviewScore(review=done.id, criterion=first.id, score=6),
        ReviewScore(review=done.id, criterion=second.id, score=8),
    )
    await Review.insert(
        Review(
            idea=idea.id,
            challenge=challenge.id,
            reviewer=waiting.id,
            assigned_by=owner.id,
            due_at=now + timedelta(days=5),
            status="assigned",
            assigned_at=now - timedelta(days=1),
        )
    )
    await indexer.catch_up()
    people = {
        "owner": ("olga.blind@example.com", "Olga Owner"),
        "author": AUTHOR,
        "coauthor": COAUTHOR,
        "submitted_reviewer": SUBMITTED_REVIEWER,
        "waiting_reviewer": WAITING_REVIEWER,
        "outsider_reviewer": (outsider_reviewer.email, outsider_reviewer.display_name),
        "employee": (employee.email, employee.display_name),
        "moderator": (moderator.email, moderator.display_name),
        "other_manager": (other_manager.email, other_manager.display_name),
        "admin": (admin.email, admin.display_name),
    }
    return World(challenge.slug, challenge.id, idea.id, comment.id, people)


# What each persona must never see while the idea is in evaluation.
FORBIDDEN: dict[str, tuple[Iterable[str], bool]] = {
    # persona: (forbidden literal markers, whether the submitted score is forbidden)
    "anonymous": ((*AUTHOR_MARKERS, *REVIEWER_MARKERS, *SCORECARD_MARKERS), True),
    "author": ((*REVIEWER_MARKERS, *SCORECARD_MARKERS), True),
    "coauthor": ((*REVIEWER_MARKERS, *SCORECARD_MARKERS), True),
    "employee": ((*REVIEWER_MARKERS, *SCORECARD_MARKERS), True),
    "moderator": ((*REVIEWER_MARKERS, *SCORECARD_MARKERS), True),
    "waiting_reviewer": ((*AUTHOR_MARKERS, *SCORECARD_MARKERS), True),
    "outsider_reviewer": ((*AUTHOR_MARKERS, *SCORECARD_MARKERS), True),
    "submitted_reviewer": (AUTHOR_MARKERS, False),
    "other_manager": ((*REVIEWER_MARKERS, *SCORECARD_MARKERS), True),
}


def crawl_paths(app, world: World) -> list[str]:
    """Every GET route whose path parameters the world can fill, plus searches for the idea."""
    fill = {
        "slug": world.slug,
        "idea_id": str(world.idea_id),
        "comment_id": str(world.comment_id),
    }
    paths: set[str] = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "GET" not in route.methods:
            continue
        names = re.findall(r"\{(\w+)(?::\w+)?\}", route.path)
        if any(name not in fill for name in names):
            continue
        if route.path.startswith(("/static", "/schema")) or route.path in ("/logout",):
            continue
        path = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: fill[m.group(1)], route.path)
        paths.add(path)
    words = "pneumatic parcel tubes"
    paths.update(
        {
            f"/search?q={words}",
            f"/search?q={words}&type=idea",
            f"/api/v1/search?q={words}",
            "/search?q=Quillfeather",
            "/api/v1/search?q=Oakenshield",
            f"/search/similar?title={words}",
            f"/api/v1/search/similar?title={words}",
            f"/challenges/{world.slug}?sort=newest",
            f"/challenges/{world.slug}?stage=evaluation",
            f"/api/v1/challenges/{world.slug}/ideas?stage=evaluation",
            "/people/suggest?q=Zeph",
            "/people/suggest?q=Xanth",
        }
    )
    return sorted(paths)


async def crawl_as(app, persona: str, world: World) -> dict[str, str]:
    """Each crawled path's answer (status and body) for one persona."""
    answers: dict[str, str] = {}
    async with browser(app) as client:
        client.follow_redirects = True
        if persona != "anonymous":
            email, _name = world.people[persona]
            await sign_in(client, email)
        for path in crawl_paths(app, world):
            response = await client.get(path)
            assert response.status_code < 500, f"{persona} GET {path}: {response.status_code}"
            answers[path] = response.text
    return answers


def leaks(answers: dict[str, str], markers: Iterable[str], score: bool) -> list[str]:
    """Markers found in the answers; a marker the path itself asked for (a search for a
    name, echoed back in the search box) does not count."""
    found = []
    for path, body in answers.items():
        asked = unquote(path).lower()
        for marker in markers:
            if marker.lower() in body.lower() and marker.lower() not in asked:
                found.append(f"{path}: {marker!r}")
        if score and re.search(SCORE_PATTERN, body):
            found.append(f"{path}: the submitted score")
    return found


# People suggestions find colleagues by name (that is what they are for): a name there says
# nothing about who wrote what, so only the other markers are checked on those answers.
PEOPLE_PATHS = ("/people/suggest",)


@pytest.mark.parametrize("persona", sorted(FORBIDDEN))
async def test_blind_review_leaks_nothing(app, persona):
    world = await build_world()
    answers = await crawl_as(app, persona, world)
    assert len(answers) > 40, "the crawl should reach most of the app's pages"
    markers, score = FORBIDDEN[persona]
    checked = {path: body for path, body in answers.items() if not path.startswith(PEOPLE_PATHS)}
    found = leaks(checked, markers, score)
    assert not found, f"{persona} saw what blind review hides:\n" + "\n".join(found)


async def test_crawl_finds_markers_where_they_belong(app):
    """The markers are on the pages at all: the manager sees authors, reviewers and scores."""
    world = await build_world()
    answers = await crawl_as(app, "owner", world)
    everything = "\n".join(answers.values())
    assert AUTHOR[1] in everything
    assert SUBMITTED_REVIEWER[1] in everything
    assert "PRIVNOTE-QX7" in everything
    assert re.search(SCORE_PATTERN, everything)


async def test_authors_show_again_after_evaluation(app):
    """Once the idea leaves evaluation, reviewers may learn who wrote it."""
    world = await build_world()
    await set_stage(world.idea_id, Stage.SHORTLIST.value)
    async with browser(app) as client:
        client.follow_redirects = True
        await sign_in(client, WAITING_REVIEWER[0])
        page = await client.get(f"/ideas/{world.idea_id}")
    assert AUTHOR[1] in page.text
