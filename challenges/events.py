"""Domain events: appended to the outbox inside the transaction of the change itself."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from challenges.tables import Outbox

CHALLENGE_SAVED = "challenge_saved"
IDEA_SUBMITTED = "idea_submitted"
IDEA_EDITED = "idea_edited"
STAGE_CHANGED = "stage_changed"
IDEA_MERGED = "idea_merged"
IDEA_VISIBILITY = "idea_visibility_changed"
COMMENT_POSTED = "comment_posted"
COMMENT_EDITED = "comment_edited"
COMMENT_VISIBILITY = "comment_visibility_changed"
VOTE_CHANGED = "vote_changed"
LESSON_SAVED = "lesson_saved"  # {"lesson_id": N}: created, edited, hidden or restored
REVIEW_ASSIGNED = "review_assigned"  # {"idea_id", "challenge_id", "reviewer_id", "by"}
REVIEW_SUBMITTED = "review_submitted"  # {"idea_id", "challenge_id", "reviewer_id"}
AWARD_GRANTED = "award_granted"  # {"idea_id", "challenge_id", "award_id", "amount_minor", "by"}
IMPLEMENTATION_UPDATED = "implementation_updated"  # {"idea_id", "update_id", "percent", "by"}


async def emit(topic: str, **payload: Any) -> None:
    """Append one event; call it inside the write transaction of the change."""
    await Outbox.insert(
        Outbox(
            topic=topic,
            payload=msgspec.json.encode(payload).decode(),
            created_at=datetime.now(UTC),
        )
    )
