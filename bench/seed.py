"""Benchmark data on top of the demo company: a challenge with 50 ideas, an idea with 200 comments.

Run as ``python -m bench.seed`` with the app's environment; prints the pages to load as JSON.
Everything goes through the real services, so counters, revisions and events are as in use.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

IDEAS = 50
ROOT_COMMENTS = 50
REPLIES_PER_ROOT = 3  # 50 roots + 150 replies = 200 comments


async def seed() -> dict[str, str]:
    """Create the benchmark records; return the paths of the pages to measure."""
    import piccolo_conf  # noqa: F401 - builds the engine from the settings
    from challenges.demo import people_by_email
    from challenges.services import discussions, ideas
    from challenges.services.challenges import views
    from challenges.services.challenges.write import create_challenge, move_challenge
    from portal.i18n import set_language

    set_language("en")
    people = await people_by_email()
    manager = people["mona.meijer@example.com"]
    authors = [person for person in people.values() if person.role != "admin"]
    today = datetime.now(UTC).date()
    challenge = await create_challenge(
        manager,
        views.ChallengeInput(
            title="Benchmark: fifty ideas for a busy challenge",
            brief="A challenge with many ideas, to measure the challenge page.\n\n" * 5,
            budget="100000",
            opens_on=(today - timedelta(days=3)).isoformat(),
            closes_on=(today + timedelta(days=30)).isoformat(),
            tags="benchmark",
        ),
    )
    await move_challenge(manager, challenge.slug, "open")
    idea_ids = []
    for number in range(IDEAS):
        author = authors[number % len(authors)]
        submitted = await ideas.submit_idea(
            author,
            challenge.slug,
            ideas.SubmitInput(
                title=f"Benchmark idea {number + 1}: a better way to plan deliveries",
                summary="Plan routes the evening before, share them with the drivers, "
                "and measure how much time it saves each week.",
                body="A longer description with **Markdown**.\n\n" * 10,
                tags="benchmark, planning",
                submit_key=f"bench-idea-{number}",
            ),
        )
        idea_ids.append(submitted.idea_id)
    discussed = idea_ids[0]
    for root_number in range(ROOT_COMMENTS):
        writer = authors[root_number % len(authors)]
        root = await discussions.post_comment(
            writer,
            discussions.CommentInput(body=f"Comment {root_number + 1}: have we measured this?"),
            idea_id=discussed,
        )
        parent = root.comment.id
        for reply_number in range(REPLIES_PER_ROOT):
            replier = authors[(root_number + reply_number + 1) % len(authors)]
            reply = await discussions.post_comment(
                replier,
                discussions.CommentInput(
                    body=f"Reply {reply_number + 1}: yes, last quarter, *with numbers*.",
                    parent=str(parent),
                ),
                idea_id=discussed,
            )
            parent = reply.comment.id
    return {"challenge": f"/challenges/{challenge.slug}", "idea": f"/ideas/{discussed}"}


def main() -> None:
    """Entry point: seed, then print the paths as one JSON line."""
    print(json.dumps(asyncio.run(seed())))


if __name__ == "__main__":
    main()
