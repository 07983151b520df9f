"""Record-level permissions as pure predicates: no database, no HTTP, unit-tested alone."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from challenges.enums import ACTIVE_STAGES, ChallengeState, Stage
from portal.roles import Role, has_role
from portal.sessions import SessionUser


def can_create_challenge(user: SessionUser) -> bool:
    """Managers (and admins) pose challenges."""
    return has_role(user.role, Role.MANAGER)


def can_manage_challenge(user: SessionUser, manager_id: int) -> bool:
    """The challenge's own manager, or an admin; not the manager of another challenge."""
    return user.role == Role.ADMIN or user.id == manager_id


def can_view_challenge(user: SessionUser, manager_id: int, state: str) -> bool:
    """A draft is visible only to its manager and admins; everything else to everyone."""
    return state != ChallengeState.DRAFT or can_manage_challenge(user, manager_id)


def accepts_ideas(state: str, opens_at: datetime, closes_at: datetime, now: datetime) -> bool:
    """Only an open challenge inside its dates takes ideas (and votes)."""
    return state == ChallengeState.OPEN and opens_at <= now < closes_at


def can_submit_idea(
    user: SessionUser, state: str, opens_at: datetime, closes_at: datetime, now: datetime
) -> bool:
    """Every signed-in person can answer an open challenge."""
    return accepts_ideas(state, opens_at, closes_at, now)


def can_edit_idea(
    user: SessionUser, author_ids: Collection[int], stage: str, challenge_state: str
) -> bool:
    """Authors refine their idea while it is active and its challenge is not decided."""
    return (
        user.id in author_ids
        and stage in ACTIVE_STAGES
        and challenge_state in (ChallengeState.OPEN, ChallengeState.REVIEWING)
    )


def can_withdraw_idea(user: SessionUser, author_ids: Collection[int], stage: str) -> bool:
    """Authors can take back an idea that is still active."""
    return user.id in author_ids and stage in ACTIVE_STAGES


def can_moderate(user: SessionUser) -> bool:
    """Moderators (and admins) hide, restore and merge content and work the flag queue."""
    return has_role(user.role, Role.MODERATOR)


def can_see_hidden(user: SessionUser, author_ids: Collection[int]) -> bool:
    """Hidden content stays visible to moderators and its own authors (with a note)."""
    return can_moderate(user) or user.id in author_ids


def can_edit_comment(user: SessionUser, author_id: int, deleted: bool) -> bool:
    """People edit and delete their own comments; a deleted comment stays a tombstone."""
    return user.id == author_id and not deleted


# Stages during which blind screening keeps authors' names from reviewers.
BLIND_STAGES = frozenset({Stage.SUBMITTED, Stage.SCREENING, Stage.EVALUATION})


def authors_hidden(
    viewer: SessionUser, blind_screening: bool, stage: str, author_ids: Collection[int]
) -> bool:
    """Blind screening: reviewers do not learn who wrote an idea until it leaves evaluation."""
    return (
        blind_screening
        and viewer.role == Role.REVIEWER
        and viewer.id not in author_ids
        and stage in BLIND_STAGES
    )


def is_challenge_team(user_id: int, manager_id: int, reviewer_ids: Collection[int] = ()) -> bool:
    """The challenge's manager and its reviewers speak as the challenge team."""
    return user_id == manager_id or user_id in reviewer_ids


# Lessons learned. Who writes which lesson (the same rules for the HTML pages and the API):
# - a free-standing lesson: everyone signed in;
# - a lesson on an idea: the idea's authors, its challenge's manager and admins (the lesson is
#   then linked to the idea's challenge too);
# - a lesson on a challenge alone, a look back at the whole challenge: that challenge's manager
#   and admins. A challenge-level lesson speaks for the challenge, so only the person who ran
#   it writes one; everyone else writes a free-standing lesson (tags carry the context) or one
#   on their own idea.
# Only its author edits a lesson (and admins); moderators hide and restore it.
LESSON_PROMPT_STAGES = frozenset({Stage.DECLINED, Stage.FAILED, Stage.IMPLEMENTED})


def can_write_lesson_on_idea(
    user: SessionUser, author_ids: Collection[int], manager_id: int
) -> bool:
    """An idea's authors, its challenge's manager and admins write lessons linked to it."""
    return user.id in author_ids or can_manage_challenge(user, manager_id)


def can_write_lesson_on_challenge(user: SessionUser, manager_id: int) -> bool:
    """A lesson about a whole challenge comes from its manager (or an admin)."""
    return can_manage_challenge(user, manager_id)


def can_edit_lesson(user: SessionUser, author_id: int) -> bool:
    """Only the author edits a lesson (admins too)."""
    return user.id == author_id or user.role == Role.ADMIN


def can_see_lesson(user: SessionUser, author_id: int, hidden: bool) -> bool:
    """A hidden lesson stays visible to moderators and its author (with a note); 404 for others."""
    return not hidden or can_see_hidden(user, (author_id,))


def lesson_prompt_due(
    user: SessionUser,
    stage: str,
    author_ids: Collection[int],
    manager_id: int,
    *,
    has_written: bool,
) -> bool:
    """Ask "what did we learn?" of an idea's authors and manager once it ends, until they write."""
    return (
        stage in LESSON_PROMPT_STAGES
        and (user.id in author_ids or user.id == manager_id)
        and not has_written
    )


# Awards and implementation (budget, owners, progress updates). The same rules for the HTML
# pages and the API:
# - awarding budget and naming an idea's owner: the challenge's manager and admins;
# - posting an implementation update: the idea's owner, the challenge's manager and admins
#   (authors follow along on the idea page but report through the owner);
# - all of it only while the idea is selected or being implemented (FUNDABLE_STAGES).


def can_award(user: SessionUser, manager_id: int) -> bool:
    """The challenge's manager (and admins) give its budget to ideas."""
    return can_manage_challenge(user, manager_id)


def can_set_owner(user: SessionUser, manager_id: int) -> bool:
    """The challenge's manager (and admins) name who carries out a selected idea."""
    return can_manage_challenge(user, manager_id)


def can_post_update(user: SessionUser, manager_id: int, owner_id: int | None) -> bool:
    """The idea's owner, the challenge's manager and admins report implementation progress."""
    return (owner_id is not None and user.id == owner_id) or can_manage_challenge(user, manager_id)


# Expert review (the reviews area). A challenge's manager (and admins) keep its panel and
# assign reviewers; only people with the reviewer role can be assigned, never to an idea they
# (co-)authored; a scorecard can be filled in and revised while its idea is in evaluation.
# Reviewers see the panel's scores only once they have submitted their own; authors read the
# comments meant for them, anonymously, once the idea has left evaluation.
REVIEW_STAGE = Stage.EVALUATION


def can_manage_reviews(user: SessionUser, manager_id: int) -> bool:
    """The challenge's manager (or an admin) keeps the panel, assigns and reads every review."""
    return can_manage_challenge(user, manager_id)


def can_be_assigned(role: str, is_active: bool, user_id: int, author_ids: Collection[int]) -> bool:
    """Only an active reviewer who did not (co-)author the idea can be assigned to it."""
    return role == Role.REVIEWER and is_active and user_id not in author_ids


def can_use_scorecard(user: SessionUser, status: str | None, author_ids: Collection[int]) -> bool:
    """An assigned reviewer (not one who declared a conflict, nor one who became an author)."""
    return status in ("assigned", "submitted") and user.id not in author_ids


def can_submit_review(stage: str) -> bool:
    """Scorecards are submitted and revised while the idea is in evaluation."""
    return stage == REVIEW_STAGE


def can_see_panel_reviews(own_status: str | None) -> bool:
    """Blind review: other reviewers' scores and notes only after submitting one's own."""
    return own_status == "submitted"


def can_read_review_feedback(user: SessionUser, author_ids: Collection[int], stage: str) -> bool:
    """Authors read the reviewers' comments for them once the idea has left evaluation."""
    return user.id in author_ids and stage not in BLIND_STAGES


# Pipeline. A challenge's own manager (and admins) move its ideas from stage to stage and see
# its board; authors withdraw their own ideas and moderators merge duplicates through their
# own actions; a community-vote challenge selects its winners itself when it closes.
def can_move_idea(user: SessionUser, manager_id: int) -> bool:
    """The manager of the idea's challenge, or an admin, moves the idea through the pipeline."""
    return can_manage_challenge(user, manager_id)
