"""Ideas for the scale seeder: stages that fit their challenge, authors, revisions, tags."""

from __future__ import annotations

from bench.scale.context import DAY, Context, Idea, spread
from bench.scale.people import pick_tags

# How an idea's stage is distributed, by the state of its challenge.
STAGES = {
    "open": {
        "submitted": 70,
        "screening": 15,
        "withdrawn": 4,
        "merged": 2,
        "parked": 3,
        "declined": 6,
    },
    "reviewing": {
        "screening": 25,
        "evaluation": 35,
        "shortlist": 15,
        "declined": 15,
        "parked": 4,
        "withdrawn": 3,
        "merged": 3,
    },
    "decided": {
        "selected": 8,
        "implementing": 10,
        "declined": 50,
        "parked": 15,
        "shortlist": 5,
        "withdrawn": 5,
        "merged": 4,
        "evaluation": 3,
    },
    "closed": {
        "implemented": 10,
        "failed": 5,
        "declined": 55,
        "parked": 15,
        "withdrawn": 6,
        "merged": 4,
        "implementing": 5,
    },
}
# Winners draw more votes and followers than ideas that went nowhere.
POPULARITY = {"selected": 3.0, "implementing": 3.0, "implemented": 3.0, "shortlist": 2.0}
POPULARITY_LOW = {"declined": 0.8, "withdrawn": 0.5, "merged": 0.5}
NOTED_STAGES = ("declined", "failed", "implemented", "parked", "withdrawn", "selected", "merged")
OTHER_LANGUAGE_SHARE = 0.15
MAX_COAUTHORS = 2


def plan_ideas(ctx: Context) -> None:
    """Decide every idea's challenge, time, language, stage and authors; number them by time."""
    rng = ctx.rng
    live = [c for c in ctx.challenges if c.state != "draft"]
    per_challenge = spread(ctx.counts.ideas, [rng.lognormvariate(0, 0.8) for _ in live])
    for challenge, count in zip(live, per_challenge, strict=True):
        challenge.idea_count = count
        stages, weights = zip(*STAGES[challenge.state].items(), strict=True)
        end = min(challenge.closes, ctx.now - DAY)  # a day of discussion at least
        for _ in range(count):
            stage = rng.choices(stages, weights)[0]
            first = ctx.person().id
            coauthors = (
                ctx.people(rng.randint(1, MAX_COAUTHORS), {first}) if rng.random() < 0.12 else []
            )
            lang = challenge.lang
            if rng.random() < OTHER_LANGUAGE_SHARE:
                lang = "en" if lang == "nl" else "nl"
            factor = POPULARITY.get(stage, POPULARITY_LOW.get(stage, 1.0))
            ctx.ideas.append(
                Idea(
                    challenge=challenge,
                    created=ctx.between(challenge.opens, end),
                    lang=lang,
                    stage=stage,
                    authors=[first, *coauthors],
                    popularity=rng.lognormvariate(0, 1.1) * factor,
                    hidden=rng.random() < 0.003,
                    versions=rng.choices((1, 2, 3), (85, 10, 5))[0],
                    tags=pick_tags(ctx, challenge.topic, 1, 4),
                )
            )
    ctx.ideas.sort(key=lambda idea: idea.created)
    start = ctx.next_id("idea")
    earlier: dict[int, list[Idea]] = {}
    for n, idea in enumerate(ctx.ideas):
        idea.id = start + n
        siblings = earlier.setdefault(idea.challenge.id, [])
        if idea.stage == "merged":
            targets = [s for s in siblings[-50:] if s.stage != "merged"]
            if targets:
                idea.merged_into = rng.choice(targets).id
            else:
                idea.stage = "declined"
        siblings.append(idea)
    caps = [len(ctx.users) - len(idea.authors) for idea in ctx.ideas]
    votes = spread(ctx.counts.votes, [idea.popularity for idea in ctx.ideas], caps)
    for idea, count in zip(ctx.ideas, votes, strict=True):
        idea.votes = count


def _summary(ctx: Context, idea: Idea) -> str:
    language = ctx.text.languages[idea.lang]
    words = ctx.rng.randint(15, 40)
    summary = ""
    for sentence in language.sentences("sentence", idea.challenge.topic, words):
        if len(summary) + len(sentence) + 1 > 500:
            break
        summary = f"{summary} {sentence}".strip()
    return summary or language.fill("sentence", idea.challenge.topic)[:500]


def write_ideas(ctx: Context) -> None:
    """Idea rows with exact counters, plus authors, tags, revisions and follows per idea."""
    rng, text = ctx.rng, ctx.text
    ids = {t: ctx.next_id(t) for t in ("authorship", "idea_tag", "idea_revision", "idea_follow")}
    batch = 5_000
    for offset in range(0, len(ctx.ideas), batch):
        ideas, authors, tags, revisions, follows = [], [], [], [], []
        for idea in ctx.ideas[offset : offset + batch]:
            topic = idea.challenge.topic
            title = text.line(idea.lang, "title", topic, 120)
            summary = _summary(ctx, idea)
            body, body_html = text.markdown(idea.lang, topic, 80, 150, lists=0.2, leads=0.15)
            note = ""
            if idea.stage in NOTED_STAGES:
                note = text.line(idea.lang, idea.stage, topic, 500)
            tag_line = ", ".join(sorted(ctx.tag_names[t] for t in idea.tags))
            when = idea.created
            paragraphs = body.split("\n\n")
            for number in range(1, idea.versions + 1):
                if number > 1:
                    when = min(ctx.now - 60, when + rng.uniform(1 / 24, 5) * DAY)
                latest = number == idea.versions
                draft = body if latest else "\n\n".join(paragraphs[: max(1, len(paragraphs) - 1)])
                editor = (
                    idea.authors[0] if latest or rng.random() < 0.7 else rng.choice(idea.authors)
                )
                revisions.append(
                    (
                        ids["idea_revision"],
                        idea.id,
                        number,
                        title,
                        summary,
                        draft,
                        tag_line,
                        editor,
                        ctx.time(when),
                    )
                )
                ids["idea_revision"] += 1
            followers = [*idea.authors]
            extra = min(300, int(idea.popularity * 1.5 + rng.expovariate(0.7)))
            followers += ctx.people(extra, set(followers))
            for uid in followers:
                authors_row = uid in idea.authors
                follow_time = idea.created if authors_row else ctx.between(idea.created, ctx.now)
                follows.append((ids["idea_follow"], idea.id, uid, ctx.time(follow_time)))
                ids["idea_follow"] += 1
            for position, uid in enumerate(idea.authors):
                authors.append((ids["authorship"], idea.id, uid, position == 0))
                ids["authorship"] += 1
            for tag in idea.tags:
                tags.append((ids["idea_tag"], idea.id, tag))
                ids["idea_tag"] += 1
            budget = None
            if rng.random() < 0.4:
                budget = rng.choice((500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000)) * 100
            ideas.append(
                (
                    idea.id,
                    idea.challenge.id,
                    idea.authors[0],
                    title,
                    summary,
                    body,
                    body_html,
                    budget,
                    idea.stage,
                    note,
                    idea.votes,
                    len(followers),
                    idea.comments,
                    idea.merged_into,
                    idea.hidden,
                    None,
                    ctx.time(idea.created),
                    ctx.time(when),
                    ctx.time(max(idea.created, idea.last_comment)),
                    idea.versions,
                )
            )
        ctx.insert("idea", IDEA_COLUMNS, ideas)
        ctx.insert("authorship", ("id", "idea", "user", "is_first"), authors)
        ctx.insert("idea_tag", ("id", "idea", "tag"), tags)
        ctx.insert(
            "idea_revision",
            ("id", "idea", "number", "title", "summary", "body", "tags", "editor", "created_at"),
            revisions,
        )
        ctx.insert("idea_follow", ("id", "idea", "user", "created_at"), follows)
        ctx.log(f"ideas: {min(offset + batch, len(ctx.ideas)):,} of {len(ctx.ideas):,}")


IDEA_COLUMNS = (
    "id",
    "challenge",
    "author",
    "title",
    "summary",
    "body",
    "body_html",
    "requested_budget_minor",
    "stage",
    "stage_note",
    "vote_count",
    "follower_count",
    "comment_count",
    "merged_into",
    "hidden",
    "submit_key",
    "created_at",
    "updated_at",
    "last_activity_at",
    "version",
)
