"""Lessons for the scale seeder: mostly on declined, failed and implemented ideas."""

from __future__ import annotations

from typing import Any

from bench.scale.context import DAY, Context, Idea
from bench.scale.people import pick_tags

IDEA_SHARE, CHALLENGE_SHARE = 0.7, 0.15  # the rest stand alone
OUTCOMES = {
    "failed": (("failure", 1.0),),
    "declined": (("failure", 0.6), ("partial", 0.4)),
    "implemented": (("success", 0.7), ("partial", 0.3)),
}
ANY_OUTCOME = (("success", 0.4), ("partial", 0.35), ("failure", 0.25))
LESSON_COLUMNS = (
    "id",
    "title",
    "tried",
    "tried_html",
    "happened",
    "happened_html",
    "learned",
    "learned_html",
    "outcome",
    "author",
    "idea",
    "challenge",
    "department",
    "hidden",
    "created_at",
    "updated_at",
    "version",
)


def _outcome(ctx: Context, stage: str) -> str:
    names, weights = zip(*OUTCOMES.get(stage, ANY_OUTCOME), strict=True)
    return ctx.rng.choices(names, weights)[0]


def write_lessons(ctx: Context) -> str:
    """Lessons and their tags; returns a note when the lesson tables are not there (yet)."""
    columns = ctx.writer.columns("lesson")
    if not columns or not ctx.writer.columns("lesson_tag"):
        return "no lesson table in this database: lessons skipped"
    missing = [c for c in LESSON_COLUMNS if c not in columns]
    if missing:
        return f"lesson table lacks {', '.join(missing)}: lessons skipped"
    rng, text = ctx.rng, ctx.text
    departments = {u.id: u.department for u in ctx.users}
    candidates = [
        i for i in ctx.ideas if i.stage in OUTCOMES and not i.hidden and i.created < ctx.now - DAY
    ]
    rng.shuffle(candidates)
    total = ctx.counts.lessons
    on_ideas = candidates[: min(len(candidates), round(total * IDEA_SHARE))]
    live = [c for c in ctx.challenges if c.state != "draft"]
    on_challenges = round(total * CHALLENGE_SHARE) if live else 0
    lesson_id, pair_id = ctx.next_id("lesson"), ctx.next_id("lesson_tag")
    rows: list[tuple[Any, ...]] = []
    pairs: list[tuple[int, int, int]] = []
    for n in range(total):
        idea: Idea | None = on_ideas[n] if n < len(on_ideas) else None
        challenge = idea.challenge if idea else None
        if idea is None and n < len(on_ideas) + on_challenges:
            challenge = rng.choice(live)
        if idea:
            author, lang, topic = idea.authors[0], idea.lang, idea.challenge.topic
            start = idea.created + DAY
        else:
            author = ctx.person().id
            source = challenge or rng.choice(ctx.challenges)
            lang, topic = source.lang, source.topic
            start = ctx.now - 900 * DAY
        created = ctx.between(start, ctx.now - 60)
        tried, tried_html = text.paragraph(lang, "tried", topic, 20, 60)
        happened, happened_html = text.paragraph(lang, "happened", topic, 20, 60)
        learned, learned_html = text.paragraph(lang, "learned", topic, 20, 60)
        rows.append(
            (
                lesson_id,
                text.line(lang, "lesson_title", topic, 160),
                tried,
                tried_html,
                happened,
                happened_html,
                learned,
                learned_html,
                _outcome(ctx, idea.stage if idea else ""),
                author,
                idea.id if idea else None,
                challenge.id if challenge else None,
                departments.get(author),
                rng.random() < 0.01,
                ctx.time(created),
                ctx.time(created),
                1,
            )
        )
        for tag in pick_tags(ctx, topic, 1, 3):
            pairs.append((pair_id, lesson_id, tag))
            pair_id += 1
        lesson_id += 1
    ctx.insert("lesson", LESSON_COLUMNS, rows)
    ctx.insert("lesson_tag", ("id", "lesson", "tag"), pairs)
    return ""
