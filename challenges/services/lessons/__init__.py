"""Lessons learned: write, edit, hide and restore them; the library; an idea's lessons.

Modules: ``rules`` (pure rules), ``views`` (what is shown), ``content`` (checking the text),
``read`` (loading with visibility, the library, an idea's lessons), ``write`` (writing,
editing, moderation). The names below are the public interface.
"""

from challenges.services.lessons.read import (
    check_filters,
    get_idea_lessons,
    get_lesson,
    list_lessons,
    tags_of_lessons,
)
from challenges.services.lessons.rules import OUTCOMES, Outcome, suggested_outcome
from challenges.services.lessons.views import (
    IdeaLessons,
    LessonCard,
    LessonConflict,
    LessonPage,
    LessonTarget,
    LessonView,
    LibraryFilters,
    LinkedChallenge,
    LinkedIdea,
    Option,
    OutcomeCount,
    Saved,
)
from challenges.services.lessons.write import (
    LessonEdit,
    LessonInput,
    edit_lesson,
    get_for_edit,
    get_new_target,
    set_lesson_hidden,
    write_lesson,
)

__all__ = [
    "OUTCOMES",
    "IdeaLessons",
    "LessonCard",
    "LessonConflict",
    "LessonEdit",
    "LessonInput",
    "LessonPage",
    "LessonTarget",
    "LessonView",
    "LibraryFilters",
    "LinkedChallenge",
    "LinkedIdea",
    "Option",
    "Outcome",
    "OutcomeCount",
    "Saved",
    "check_filters",
    "edit_lesson",
    "get_for_edit",
    "get_idea_lessons",
    "get_lesson",
    "get_new_target",
    "list_lessons",
    "set_lesson_hidden",
    "suggested_outcome",
    "tags_of_lessons",
    "write_lesson",
]
