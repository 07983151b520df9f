"""Moderation: reports (flags), the flag queue, hide/restore, merging duplicate ideas."""

from __future__ import annotations

from challenges.services.moderation.flags import (
    FlagInput,
    FlagResult,
    check_comment_flaggable,
    flag_comment,
    flag_idea,
)
from challenges.services.moderation.merge import (
    MergeInput,
    MergeResult,
    merge_idea,
    parse_idea_ref,
    unmerge_idea,
)
from challenges.services.moderation.queue import (
    FlaggedItem,
    FlagQueue,
    IdeaLink,
    IdeaModeration,
    MergeLinks,
    Report,
    get_idea_moderation,
    get_merge_links,
    list_flags,
)
from challenges.services.moderation.visibility import (
    DISMISSED,
    HIDDEN,
    RESOLUTIONS,
    resolve_flags,
    set_comment_hidden,
    set_idea_hidden,
)

__all__ = [
    "DISMISSED",
    "HIDDEN",
    "RESOLUTIONS",
    "FlagInput",
    "FlagQueue",
    "FlagResult",
    "FlaggedItem",
    "IdeaLink",
    "IdeaModeration",
    "MergeInput",
    "MergeLinks",
    "MergeResult",
    "Report",
    "check_comment_flaggable",
    "flag_comment",
    "flag_idea",
    "get_idea_moderation",
    "get_merge_links",
    "list_flags",
    "merge_idea",
    "parse_idea_ref",
    "resolve_flags",
    "set_comment_hidden",
    "set_idea_hidden",
    "unmerge_idea",
]
