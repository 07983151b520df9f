"""What the index cannot know: the database's word on visibility, comments and lessons.

The index may lag a moment behind a hide, a draft or a deleted comment, and it never stores
comment text; the search service asks here about the few records of one page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from challenges.enums import ChallengeState, Stage
from challenges.tables import Challenge, Comment, Idea, Lesson
from portal.i18n import gettext as _
from search.highlight import TermMatcher, snippet, strip_markdown
from search.query import RawHit

LESSON_CHARS = 160
COMMENT_SCAN_LIMIT = 1_000
_ENDED = (Stage.DECLINED.value, Stage.FAILED.value)


async def challenge_titles(slugs: Collection[str]) -> dict[str, str]:
    """The titles of the named challenges that everyone may see (drafts are left out)."""
    wanted = sorted({slug for slug in slugs if slug})
    if not wanted:
        return {}
    rows = await Challenge.select(Challenge.slug, Challenge.title).where(
        Challenge.slug.is_in(wanted) & (Challenge.state != ChallengeState.DRAFT.value)
    )
    return {row["slug"]: row["title"] for row in rows}


async def visible_rows(refs: Collection[tuple[str, int]]) -> dict[tuple[str, int], dict[str, Any]]:
    """The current rows of the referenced records that everyone may see, by (kind, id)."""
    ids: dict[str, list[int]] = defaultdict(list)
    for kind, ref_id in refs:
        ids[kind].append(ref_id)
    found: dict[tuple[str, int], dict[str, Any]] = {}
    if ids["idea"]:
        rows = await Idea.select(
            Idea.id,
            Idea.title,
            Idea.stage,
            Idea.stage_note,
            Idea.hidden,
            Idea.merged_into,
            Idea.challenge.slug.as_alias("slug"),
            Idea.challenge.state.as_alias("challenge_state"),
        ).where(Idea.id.is_in(ids["idea"]))
        for row in rows:
            if not (
                row["hidden"]
                or row["merged_into"] is not None
                or row["stage"] == Stage.MERGED
                or row["challenge_state"] == ChallengeState.DRAFT
            ):
                found["idea", row["id"]] = row
    if ids["challenge"]:
        rows = await Challenge.select(
            Challenge.id, Challenge.title, Challenge.slug, Challenge.state
        ).where(Challenge.id.is_in(ids["challenge"]))
        for row in rows:
            if row["state"] != ChallengeState.DRAFT:
                found["challenge", row["id"]] = row
    if ids["lesson"]:
        rows = await Lesson.select(Lesson.id, Lesson.title, Lesson.outcome, Lesson.hidden).where(
            Lesson.id.is_in(ids["lesson"])
        )
        for row in rows:
            if not row["hidden"]:
                found["lesson", row["id"]] = row
    return found


async def matching_comments(
    hits: list[RawHit], matcher: TermMatcher
) -> dict[tuple[str, int], tuple[int, list[tuple[str, bool]]]]:
    """For discussion hits: the best matching visible comment and its snippet."""
    wanted = [(h.kind, h.ref_id) for h in hits if h.matched_in == "discussion"]
    if not wanted or not matcher:
        return {}
    idea_ids = [ref for kind, ref in wanted if kind == "idea"]
    challenge_ids = [ref for kind, ref in wanted if kind == "challenge"]
    visible = (Comment.hidden == False) & Comment.deleted_at.is_null()  # noqa: E712 - SQL
    owners: list[Any] = []
    if idea_ids:
        owners.append(Comment.idea.is_in(idea_ids))
    if challenge_ids:
        owners.append(Comment.challenge.is_in(challenge_ids))
    where = owners[0] if len(owners) == 1 else owners[0] | owners[1]
    rows = await (
        Comment.select(Comment.id, Comment.idea, Comment.challenge, Comment.body)
        .where(visible & where)
        .order_by(Comment.id)
        .limit(COMMENT_SCAN_LIMIT)
    )
    best: dict[tuple[str, int], tuple[int, int, str]] = {}
    for row in rows:
        owner = (
            ("idea", row["idea"]) if row["idea"] is not None else ("challenge", row["challenge"])
        )
        score = matcher.count(row["body"])
        if score and (owner not in best or score > best[owner][0]):
            best[owner] = (score, row["id"], row["body"])
    return {
        owner: (comment_id, snippet(strip_markdown(body), matcher))
        for owner, (_score, comment_id, body) in best.items()
    }


def _short(text: str, limit: int = LESSON_CHARS) -> str:
    plain = " ".join(strip_markdown(text).split())
    if len(plain) <= limit:
        return plain
    head = plain[: limit - 1].rsplit(" ", 1)[0]
    return head.rstrip(" ,;:.!?-") + "…"


async def lesson_lines(ideas: dict[int, dict[str, Any]], years: dict[int, str]) -> dict[int, str]:
    """'Tried in 2025, stopped because …' for declined and failed ideas."""
    ended = [idea_id for idea_id, row in ideas.items() if row["stage"] in _ENDED]
    if not ended:
        return {}
    learned: dict[int, str] = {}
    rows = await (
        Lesson.select(Lesson.idea, Lesson.learned)
        .where(Lesson.idea.is_in(ended), Lesson.hidden == False)  # noqa: E712 - SQL
        .order_by(Lesson.id, ascending=False)
    )
    for row in rows:
        if row["learned"].strip():
            learned.setdefault(row["idea"], _short(row["learned"]))
    lines: dict[int, str] = {}
    for idea_id in ended:
        row, year = ideas[idea_id], years.get(idea_id, "")
        failed = row["stage"] == Stage.FAILED
        if idea_id in learned:
            lines[idea_id] = (
                _(
                    "Tried in %(year)s and stopped. What we learned: %(text)s",
                    year=year,
                    text=learned[idea_id],
                )
                if failed
                else _(
                    "Proposed in %(year)s and declined. What we learned: %(text)s",
                    year=year,
                    text=learned[idea_id],
                )
            )
        elif row["stage_note"].strip():
            note = _short(row["stage_note"])
            lines[idea_id] = (
                _("Tried in %(year)s, stopped because: %(text)s", year=year, text=note)
                if failed
                else _("Proposed in %(year)s, declined because: %(text)s", year=year, text=note)
            )
        else:
            lines[idea_id] = (
                _("Tried in %(year)s and stopped.", year=year)
                if failed
                else _("Proposed in %(year)s and declined.", year=year)
            )
    return lines
