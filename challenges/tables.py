"""Piccolo tables of the challenge domain: challenges, ideas, discussions, votes, follows."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    DoublePrecision,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from challenges.enums import ChallengeState, Stage
from portal.tables import Department, User


class Tag(Table):
    """A topic label shared by challenges and ideas (lower-case, unique)."""

    id = Serial(primary_key=True)
    name = Varchar(length=40, unique=True, null=False)


class Challenge(Table):
    """A real problem posed by a manager, with a budget and a timeline."""

    id = Serial(primary_key=True)
    slug = Varchar(length=80, unique=True, null=False)
    title = Varchar(length=120, null=False)
    brief = Text(null=False, default="")
    brief_html = Text(null=False, default="")
    manager = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    budget_minor = BigInt(null=False, default=0)
    currency = Varchar(length=3, null=False, default="EUR")
    opens_at = Timestamptz(null=False)
    closes_at = Timestamptz(null=False, index=True)
    state = Varchar(length=12, null=False, default=ChallengeState.DRAFT.value, index=True)
    blind_screening = Boolean(null=False, default=False)
    # "jury": the manager selects winners; "votes": the most-voted idea(s) win at closing.
    winner_by = Varchar(length=8, null=False, default="jury")
    winner_count = Integer(null=False, default=1)
    # The sum of this challenge's awards; only ever raised by a conditional atomic UPDATE
    # (awarded_minor + amount <= budget_minor), so concurrent awards cannot overspend.
    awarded_minor = BigInt(null=False, default=0)
    idea_count = Integer(null=False, default=0)
    created_at = Timestamptz(null=False, index=True)
    updated_at = Timestamptz(null=False)
    version = Integer(null=False, default=1)


class ChallengeTag(Table):
    """A tag on a challenge (unique per pair: see the migration's index)."""

    id = Serial(primary_key=True)
    challenge = ForeignKey(references=Challenge, null=False, on_delete=OnDelete.cascade, index=True)
    tag = ForeignKey(references=Tag, null=False, on_delete=OnDelete.cascade, index=True)


class Criterion(Table):
    """One line of a challenge's scorecard: weight and scale, with optional guidance."""

    id = Serial(primary_key=True)
    challenge = ForeignKey(references=Challenge, null=False, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=80, null=False)
    guidance = Varchar(length=500, null=False, default="")
    weight = Integer(null=False, default=1)
    scale_max = Integer(null=False, default=5)
    position = Integer(null=False, default=0)


class Idea(Table):
    """An answer to a challenge; every edit also stores an :class:`IdeaRevision`."""

    id = Serial(primary_key=True)
    challenge = ForeignKey(
        references=Challenge, null=False, on_delete=OnDelete.restrict, index=True
    )
    author = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    title = Varchar(length=120, null=False)
    summary = Varchar(length=500, null=False, default="")
    body = Text(null=False, default="")
    body_html = Text(null=False, default="")
    requested_budget_minor = BigInt(null=True, default=None)
    stage = Varchar(length=16, null=False, default=Stage.SUBMITTED.value, index=True)
    stage_note = Varchar(length=500, null=False, default="")
    vote_count = Integer(null=False, default=0)
    follower_count = Integer(null=False, default=0)
    comment_count = Integer(null=False, default=0)
    merged_into: ForeignKey = ForeignKey(references="self", null=True, on_delete=OnDelete.set_null)
    hidden = Boolean(null=False, default=False)
    submit_key = Varchar(length=64, unique=True, null=True, default=None)
    # Implementation: who carries a selected idea, how far it is, what it got and spent.
    owner = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null, index=True)
    progress = Integer(null=False, default=0)
    awarded_minor = BigInt(null=False, default=0)
    spent_minor = BigInt(null=False, default=0)
    created_at = Timestamptz(null=False, index=True)
    updated_at = Timestamptz(null=False)
    last_activity_at = Timestamptz(null=False, index=True)
    version = Integer(null=False, default=1)


class IdeaAuthor(Table, tablename="authorship"):
    """An author of an idea: the first author and any co-authors (unique per pair)."""

    id = Serial(primary_key=True)
    idea = ForeignKey(references=Idea, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    is_first = Boolean(null=False, default=False)


class IdeaTag(Table):
    """A tag on an idea (unique per pair)."""

    id = Serial(primary_key=True)
    idea = ForeignKey(references=Idea, null=False, on_delete=OnDelete.cascade, index=True)
    tag = ForeignKey(references=Tag, null=False, on_delete=OnDelete.cascade, index=True)


class IdeaRevision(Table):
    """The full text of an idea after one edit (number 1 is the submitted text)."""

    id = Serial(primary_key=True)
    idea = ForeignKey(references=Idea, null=False, on_delete=OnDelete.cascade, index=True)
    number = Integer(null=False)
    title = Varchar(length=120, null=False)
    summary = Varchar(length=500, null=False, default="")
    body = Text(null=False, default="")
    tags = Varchar(length=400, null=False, default="")
    editor = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz(null=False)


class Comment(Table):
    """A comment on an idea or on a challenge's brief; ``parent`` makes threads."""

    id = Serial(primary_key=True)
    idea = ForeignKey(references=Idea, null=True, on_delete=OnDelete.cascade, index=True)
    challenge = ForeignKey(references=Challenge, null=True, on_delete=OnDelete.cascade, index=True)
    parent: ForeignKey = ForeignKey(
        references="self", null=True, on_delete=OnDelete.restrict, index=True
    )
    root: ForeignKey = ForeignKey(
        references="self", null=True, on_delete=OnDelete.restrict, index=True
    )
    depth = Integer(null=False, default=0)
    author = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    body = Text(null=False, default="")
    body_html = Text(null=False, default="")
    kudos_count = Integer(null=False, default=0)
    hidden = Boolean(null=False, default=False)
    created_at = Timestamptz(null=False, index=True)
    edited_at = Timestamptz(null=True, default=None)
    deleted_at = Timestamptz(null=True, default=None)
    version = Integer(null=False, default=1)


class CommentRevision(Table):
    """The text a comment had before an edit."""

    id = Serial(primary_key=True)
    comment = ForeignKey(references=Comment, null=False, on_delete=OnDelete.cascade, index=True)
    body = Text(null=False, default="")
    editor = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz(null=False)


class Kudos(Table):
    """One person's kudos on a comment (unique per pair)."""

    id = Serial(primary_key=True)
    comment = ForeignKey(references=Comment, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(null=False)


class Vote(Table):
    """One person's vote on an idea (unique per pair; counts follow in the same transaction)."""

    id = Serial(primary_key=True)
    idea = ForeignKey(references=Idea, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(null=False)


class IdeaFollow(Table):
    """Someone following an idea (unique per pair)."""

    id = Serial(primary_key=True)
    idea = ForeignKey(references=Idea, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(null=False)


class ChallengeFollow(Table):
    """Someone following a challenge (unique per pair)."""

    id = Serial(primary_key=True)
    challenge = ForeignKey(references=Challenge, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(null=False)


class Flag(Table):
    """Someone reporting an idea or a comment to the moderators."""

    id = Serial(primary_key=True)
    reporter = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    idea = ForeignKey(references=Idea, null=True, on_delete=OnDelete.cascade, index=True)
    comment = ForeignKey(references=Comment, null=True, on_delete=OnDelete.cascade, index=True)
    reason = Varchar(length=500, null=False, default="")
    created_at = Timestamptz(null=False)
    resolved_at = Timestamptz(null=True, default=None, index=True)
    resolved_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    resolution = Varchar(length=20, null=False, default="")


class Outbox(Table):
    """Domain events, written in the same transaction as the change they describe.

    Search, notifications and points consume them in ``id`` order; each consumer keeps
    its own position, so the outbox is the one feed every derived view is rebuilt from.
    """

    id = Serial(primary_key=True)
    topic = Varchar(length=40, null=False, index=True)
    payload = JSON(null=False, default="{}")
    created_at = Timestamptz(null=False)


class Lesson(Table):
    """What we tried, what happened and what we learned: linked to an idea and/or a challenge,
    or free-standing. ``department`` is the author's department when it was written."""

    id = Serial(primary_key=True)
    title = Varchar(length=160, null=False)
    tried = Text(null=False, default="")
    tried_html = Text(null=False, default="")
    happened = Text(null=False, default="")
    happened_html = Text(null=False, default="")
    learned = Text(null=False, default="")
    learned_html = Text(null=False, default="")
    outcome = Varchar(length=8, null=False, default="partial", index=True)
    author = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    idea = ForeignKey(references=Idea, null=True, on_delete=OnDelete.set_null, index=True)
    challenge = ForeignKey(references=Challenge, null=True, on_delete=OnDelete.set_null, index=True)
    department = ForeignKey(
        references=Department, null=True, on_delete=OnDelete.set_null, index=True
    )
    hidden = Boolean(null=False, default=False)
    submit_key = Varchar(length=64, unique=True, null=True, default=None)
    created_at = Timestamptz(null=False, index=True)
    updated_at = Timestamptz(null=False)
    version = Integer(null=False, default=1)


class LessonTag(Table):
    """A tag on a lesson (unique per pair)."""

    id = Serial(primary_key=True)
    lesson = ForeignKey(references=Lesson, null=False, on_delete=OnDelete.cascade, index=True)
    tag = ForeignKey(references=Tag, null=False, on_delete=OnDelete.cascade, index=True)


class Decision(Table):
    """One move of an idea through the pipeline: from, to, who, when and why.

    ``actor`` is None for a community-vote decision taken at closing time; ``vote_count``
    then holds the winning idea's votes (its rationale spells out the counts).
    """

    id = Serial(primary_key=True)
    idea = ForeignKey(references=Idea, null=False, on_delete=OnDelete.cascade, index=True)
    challenge = ForeignKey(references=Challenge, null=False, on_delete=OnDelete.cascade, index=True)
    from_stage = Varchar(length=16, null=False)
    to_stage = Varchar(length=16, null=False, index=True)
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    rationale = Text(null=False, default="")
    vote_count = Integer(null=True, default=None)
    created_at = Timestamptz(null=False, index=True)


class ChallengeReviewer(Table):
    """A member of a challenge's review panel (unique per pair)."""

    id = Serial(primary_key=True)
    challenge = ForeignKey(references=Challenge, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    added_at = Timestamptz(null=False)


class Review(Table):
    """A reviewer assigned to one idea, and their scorecard once submitted (unique per pair).

    ``status``: ``assigned`` → ``submitted``, or ``conflict`` when the reviewer declared a
    conflict of interest (which takes them off the idea). ``weighted_score`` is the weighted
    mean of the criterion scores, normalised to 0–100, set when the scorecard is submitted.
    """

    id = Serial(primary_key=True)
    idea = ForeignKey(references=Idea, null=False, on_delete=OnDelete.cascade, index=True)
    challenge = ForeignKey(references=Challenge, null=False, on_delete=OnDelete.cascade, index=True)
    reviewer = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    assigned_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    due_at = Timestamptz(null=True, default=None)
    status = Varchar(length=10, null=False, default="assigned", index=True)
    comment = Text(null=False, default="")  # for the authors
    private_note = Text(null=False, default="")  # for the panel and the manager
    conflict_note = Varchar(length=500, null=False, default="")
    weighted_score = DoublePrecision(null=True, default=None)
    assigned_at = Timestamptz(null=False)
    submitted_at = Timestamptz(null=True, default=None)
    version = Integer(null=False, default=1)


class ReviewScore(Table):
    """One criterion's score on a submitted scorecard (unique per review and criterion)."""

    id = Serial(primary_key=True)
    review = ForeignKey(references=Review, null=False, on_delete=OnDelete.cascade, index=True)
    criterion = ForeignKey(references=Criterion, null=False, on_delete=OnDelete.cascade, index=True)
    score = Integer(null=False)


class Award(Table):
    """Budget given to a selected idea; ``award_key`` makes a double-submitted form count once."""

    id = Serial(primary_key=True)
    idea = ForeignKey(references=Idea, null=False, on_delete=OnDelete.restrict, index=True)
    challenge = ForeignKey(
        references=Challenge, null=False, on_delete=OnDelete.restrict, index=True
    )
    amount_minor = BigInt(null=False)
    actor = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    note = Varchar(length=500, null=False, default="")
    award_key = Varchar(length=64, unique=True, null=True, default=None)
    created_at = Timestamptz(null=False, index=True)


class ImplementationUpdate(Table):
    """Progress on a selected idea: text, percent complete and optional spend."""

    id = Serial(primary_key=True)
    idea = ForeignKey(references=Idea, null=False, on_delete=OnDelete.cascade, index=True)
    author = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    body = Text(null=False, default="")
    body_html = Text(null=False, default="")
    percent = Integer(null=False, default=0)
    spend_minor = BigInt(null=True, default=None)
    submit_key = Varchar(length=64, unique=True, null=True, default=None)
    created_at = Timestamptz(null=False, index=True)
