"""Threaded discussions for the scale seeder, numbered in time order across all ideas.

Threads are shaped like real ones: about 40% of comments start a thread, the rest reply,
mostly to a recent comment, so depths vary from 0 to a dozen. ``root``, ``parent`` and
``depth`` are set exactly as ``post_comment`` sets them (a root has neither; a reply's root
is its parent's root, or the parent itself). Deleted comments are tombstones (no text) that
do not count in the idea's ``comment_count``; ``kudos_count`` equals the kudos rows.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from bench.scale.context import DAY, Context, Idea, spread

CHALLENGE_SHARE = 0.02  # questions about a challenge's brief
ROOT_SHARE = 0.4
MAX_DEPTH = 12
MAX_PER_TARGET = 2_500
DELETED, HIDDEN, EDITED, KUDOS = 0.01, 0.003, 0.05, 0.12


@dataclass
class CommentPlan:
    """The shape of every comment; index i is the i-th comment generated, not its id."""

    created: array
    target: array  # idea id, or minus the challenge id
    parent: array  # index of the parent, -1 for a root
    root: array  # index of the root, -1 for a root
    depth: array
    author: array
    deleted: array
    order: list[int]  # indexes by creation time: position + first id = the comment's id
    first_id: int


def _activity_end(closes: float, state: str, now: float) -> float:
    """Discussion goes on while a challenge is open or in review, and for a while after."""
    if state in ("open", "reviewing", "draft"):
        return now
    return min(now, closes + 60 * DAY)


def plan_comments(ctx: Context) -> CommentPlan:
    """How many comments each idea and challenge gets, who wrote them, when, replying to what."""
    rng = ctx.rng
    total = ctx.counts.comments
    live = [c for c in ctx.challenges if c.state != "draft"]
    on_challenges = round(total * CHALLENGE_SHARE) if live else 0
    weights = [idea.popularity**0.7 * rng.lognormvariate(0, 0.8) for idea in ctx.ideas]
    per_idea = spread(total - on_challenges, weights, [MAX_PER_TARGET] * len(ctx.ideas))
    per_challenge = spread(on_challenges, [1.0] * len(live))
    plan = CommentPlan(
        array("d"), array("q"), array("q"), array("q"), array("h"), array("q"), array("b"), [], 0
    )
    targets: list[tuple[int, int, float, float, Idea | None]] = []
    for planned, count in zip(ctx.ideas, per_idea, strict=True):
        end = _activity_end(planned.challenge.closes, planned.challenge.state, ctx.now)
        targets.append((planned.id, count, planned.created + 60, end, planned))
    for challenge, count in zip(live, per_challenge, strict=True):
        end = _activity_end(challenge.closes, challenge.state, ctx.now)
        targets.append((-challenge.id, count, min(challenge.opens, ctx.now - DAY), end, None))
    for target, count, start, end, idea in targets:
        if not count:
            continue
        end = max(end, start + 600)
        times = sorted(ctx.between(start, end) for _ in range(count))
        base = len(plan.created)
        first_author = idea.authors[0] if idea else 0
        visible, last = 0, 0.0
        for i, when in enumerate(times):
            when -= (count - i) * 1e-3  # strictly increasing in a thread: parents come first
            if i == 0 or rng.random() < ROOT_SHARE:
                parent, root, depth = -1, -1, 0
            else:
                local = i - 1 - min(i - 1, int(rng.expovariate(0.35)))
                parent = base + local
                depth = plan.depth[parent] + 1
                if depth > MAX_DEPTH:
                    parent, depth = plan.parent[parent], depth - 1
                root = plan.root[parent] if plan.root[parent] >= 0 else parent
            if first_author and parent >= 0 and rng.random() < 0.15:
                author = first_author
            else:
                author = ctx.person().id
            deleted = rng.random() < DELETED
            plan.created.append(when)
            plan.target.append(target)
            plan.parent.append(parent)
            plan.root.append(root)
            plan.depth.append(depth)
            plan.author.append(author)
            plan.deleted.append(deleted)
            visible += not deleted
            last = when
        if idea:
            idea.comments, idea.last_comment = visible, last
    created = plan.created
    plan.order = sorted(range(len(created)), key=created.__getitem__)
    plan.first_id = ctx.next_id("comment")
    return plan


def write_comments(ctx: Context, plan: CommentPlan) -> None:
    """Comment rows in id order, with edit history and kudos."""
    rng, text = ctx.rng, ctx.text
    id_of = array("q", bytes(8 * len(plan.order)))
    for rank, index in enumerate(plan.order):
        id_of[index] = plan.first_id + rank
    ideas = {idea.id: idea for idea in ctx.ideas}
    challenges = {c.id: c for c in ctx.challenges}
    revision_id = ctx.next_id("comment_revision")
    kudos_id = ctx.next_id("kudos")
    batch = 25_000
    for offset in range(0, len(plan.order), batch):
        comments, revisions, kudos = [], [], []
        for index in plan.order[offset : offset + batch]:
            cid = id_of[index]
            target = plan.target[index]
            if target > 0:
                idea_id, challenge_id = target, None
                lang, topic = ideas[target].lang, ideas[target].challenge.topic
            else:
                idea_id, challenge_id = None, -target
                lang, topic = challenges[-target].lang, challenges[-target].topic
            created = plan.created[index]
            author = plan.author[index]
            parent = plan.parent[index]
            root = plan.root[index]
            edited = deleted = None
            hidden = False
            version, kudos_count = 1, 0
            if plan.deleted[index]:
                body = html = ""
                deleted = ctx.time(min(ctx.now, created + rng.uniform(1 / 24, 3) * DAY))
                version = 2
            else:
                body, html = text.comment(lang, topic)
                hidden = rng.random() < HIDDEN
                if rng.random() < EDITED:
                    edited = ctx.time(min(ctx.now, created + rng.uniform(0.01, 2) * DAY))
                    version = 2
                    old = text.comment(lang, topic)[0]
                    revisions.append((revision_id, cid, old, author, ctx.time(created)))
                    revision_id += 1
                if rng.random() < KUDOS:
                    for uid in ctx.people(rng.randint(1, 4), {author}):
                        when = ctx.time(ctx.between(created, ctx.now))
                        kudos.append((kudos_id, cid, uid, when))
                        kudos_id += 1
                        kudos_count += 1
            comments.append(
                (
                    cid,
                    idea_id,
                    challenge_id,
                    id_of[parent] if parent >= 0 else None,
                    id_of[root] if root >= 0 else None,
                    plan.depth[index],
                    author,
                    body,
                    html,
                    kudos_count,
                    hidden,
                    ctx.time(created),
                    edited,
                    deleted,
                    version,
                )
            )
        ctx.insert("comment", COMMENT_COLUMNS, comments)
        ctx.insert("comment_revision", ("id", "comment", "body", "editor", "created_at"), revisions)
        ctx.insert("kudos", ("id", "comment", "user", "created_at"), kudos)
        ctx.log(f"comments: {min(offset + batch, len(plan.order)):,} of {len(plan.order):,}")


COMMENT_COLUMNS = (
    "id",
    "idea",
    "challenge",
    "parent",
    "root",
    "depth",
    "author",
    "body",
    "body_html",
    "kudos_count",
    "hidden",
    "created_at",
    "edited_at",
    "deleted_at",
    "version",
)
