"""Challenges for the scale seeder: states, timelines, briefs, scorecards, tags, followers."""

from __future__ import annotations

import re
import unicodedata

from bench import vocabulary
from bench.scale.context import DAY, Challenge, Context
from bench.scale.people import pick_tags

STATES = ("draft", "open", "reviewing", "decided", "closed")
STATE_WEIGHTS = (0.03, 0.35, 0.2, 0.2, 0.22)
CRITERIA = {
    "en": ("Impact", "Feasibility", "Cost", "Speed", "Fit with strategy"),
    "nl": ("Impact", "Haalbaarheid", "Kosten", "Snelheid", "Past bij de strategie"),
}
DUTCH_SHARE = 0.35
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug_for(title: str, number: int) -> str:
    """ASCII slug of the title with a unique numeric suffix (like the app's, never all digits)."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", text.lower()).strip("-")[:60].rstrip("-") or "challenge"
    return f"{slug}-{number}"


def timeline(ctx: Context, state: str) -> tuple[float, float]:
    """Opening and closing moments that fit the state (open: closes in the future)."""
    rng, now = ctx.rng, ctx.now
    if state == "draft":
        opens = now + rng.uniform(5, 30) * DAY
        return opens, opens + rng.uniform(30, 90) * DAY
    if state == "open":
        return now - rng.uniform(1, 60) * DAY, now + rng.uniform(3, 90) * DAY
    ago = {"reviewing": (1, 30), "decided": (30, 200), "closed": (150, 1000)}[state]
    closes = now - rng.uniform(*ago) * DAY
    return closes - rng.uniform(30, 90) * DAY, closes


def plan_challenges(ctx: Context) -> None:
    """Decide every challenge's language, topic, state, timeline and manager."""
    rng = ctx.rng
    managers = [u.id for u in ctx.users if u.role == "manager"]
    if not managers:
        managers = [u.id for u in ctx.users[: max(1, ctx.counts.challenges // 3)]]
    topics = list(vocabulary.TOPICS)
    rng.shuffle(topics)
    start = ctx.next_id("challenge")
    for n in range(ctx.counts.challenges):
        state = rng.choices(STATES, STATE_WEIGHTS)[0] if n else "open"
        opens, closes = timeline(ctx, state)
        ctx.challenges.append(
            Challenge(
                id=start + n,
                lang="nl" if rng.random() < DUTCH_SHARE else "en",
                topic=topics[n % len(topics)],
                state=state,
                opens=opens,
                closes=closes,
                manager=rng.choice(managers),
            )
        )


def write_challenges(ctx: Context) -> None:
    """The challenge rows (with their final idea counts), scorecards and tags."""
    rng, text = ctx.rng, ctx.text
    rows, criteria, tags = [], [], []
    criterion_id = ctx.next_id("criterion")
    pair_id = ctx.next_id("challenge_tag")
    for c in ctx.challenges:
        title = text.line(c.lang, "challenge_title", c.topic, 120)
        c.slug = slug_for(title, c.id)
        brief, brief_html = text.markdown(c.lang, c.topic, 150, 300, lists=0.6, leads=0.3)
        created = min(c.opens, ctx.now) - rng.uniform(1, 14) * DAY
        rows.append(
            (
                c.id,
                c.slug,
                title,
                brief,
                brief_html,
                c.manager,
                rng.choice((5_000, 10_000, 25_000, 50_000, 100_000, 250_000)) * 100,
                "EUR",
                ctx.time(c.opens),
                ctx.time(c.closes),
                c.state,
                rng.random() < 0.2,
                c.idea_count,
                ctx.time(created),
                ctx.time(min(ctx.now, created + rng.uniform(0, 10) * DAY)),
                1,
            )
        )
        names = CRITERIA[c.lang]
        for position in range(rng.randint(3, 5)):
            criteria.append(
                (criterion_id, c.id, names[position], "", rng.randint(1, 3), 5, position)
            )
            criterion_id += 1
        for tag in pick_tags(ctx, c.topic, 1, 3):
            tags.append((pair_id, c.id, tag))
            pair_id += 1
    ctx.insert(
        "challenge",
        (
            "id",
            "slug",
            "title",
            "brief",
            "brief_html",
            "manager",
            "budget_minor",
            "currency",
            "opens_at",
            "closes_at",
            "state",
            "blind_screening",
            "idea_count",
            "created_at",
            "updated_at",
            "version",
        ),
        rows,
    )
    ctx.insert(
        "criterion",
        ("id", "challenge", "name", "guidance", "weight", "scale_max", "position"),
        criteria,
    )
    ctx.insert("challenge_tag", ("id", "challenge", "tag"), tags)


def write_challenge_follows(ctx: Context) -> None:
    """Managers follow their challenges (as the service does); colleagues follow some."""
    rng = ctx.rng
    rows = []
    next_id = ctx.next_id("challenge_follow")
    for c in ctx.challenges:
        extra = min(400, int(rng.lognormvariate(2.5, 0.8)))
        for uid in [c.manager, *ctx.people(extra, {c.manager})]:
            when = ctx.between(min(c.opens, ctx.now) - DAY, ctx.now)
            rows.append((next_id, c.id, uid, ctx.time(when)))
            next_id += 1
    ctx.insert("challenge_follow", ("id", "challenge", "user", "created_at"), rows)
