"""Threaded discussions on ideas and challenges: reading, writing, kudos.

Pages of other areas call :func:`get_thread` and include ``discussions/_thread.html``
with the result as ``thread``.
"""

from __future__ import annotations

from challenges.services.discussions.comments import (
    CommentInput,
    EditInput,
    StaleComment,
    delete_comment,
    edit_comment,
    post_comment,
)
from challenges.services.discussions.details import get_comment, get_history
from challenges.services.discussions.kudos import set_kudos
from challenges.services.discussions.threads import (
    describe_target,
    get_subthread,
    get_thread,
    locate_comment,
)
from challenges.services.discussions.views import (
    CommentDetail,
    CommentHistory,
    CommentView,
    KudosState,
    PostedComment,
    RevisionView,
    ThreadView,
)

__all__ = [
    "CommentDetail",
    "CommentHistory",
    "CommentInput",
    "CommentView",
    "EditInput",
    "KudosState",
    "PostedComment",
    "RevisionView",
    "StaleComment",
    "ThreadView",
    "delete_comment",
    "describe_target",
    "edit_comment",
    "get_comment",
    "get_history",
    "get_subthread",
    "get_thread",
    "locate_comment",
    "post_comment",
    "set_kudos",
]
