"""Pure rules of discussions: mentions, limits, thread shape, pages; no database, no HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from challenges.services.discussions import rules
from challenges.services.discussions.views import CommentView
from challenges.services.moderation.merge import parse_idea_ref
from portal.errors import ValidationFailed
from portal.markdown import render_markdown
from portal.validation import FieldErrors

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def view(comment_id: int, parent: int | None, depth: int, deleted: bool = False) -> CommentView:
    return CommentView(
        id=comment_id,
        parent_id=parent,
        depth=depth,
        author_id=1,
        author_name="A",
        is_team=False,
        body_html="",
        created_at=NOW,
        edited=False,
        deleted=deleted,
        hidden=False,
        kudos_count=0,
        kudos_given=False,
        can_edit=False,
    )


def render(text: str, names=None, by_email=None) -> tuple[str, list[int]]:
    marked, slots, mentioned = rules.mark_mentions(text, names or {}, by_email or {})
    return rules.fill_mentions(str(render_markdown(marked)), slots), mentioned


# --- mentions -----------------------------------------------------------------------------


def test_mention_references_finds_ids_and_addresses_once_each():
    text = "@[Ann](3) and @[Ann](3), ask @bob@example.com or @Bob@Example.com."
    assert rules.mention_references(text) == ([3], ["bob@example.com"])


def test_a_known_mention_becomes_a_highlighted_name_without_a_link():
    html, mentioned = render("Thanks @[Whatever](7)!", {7: "Ann de Vries"})
    assert '<span class="mention">@Ann de Vries</span>' in html
    assert "<a" not in html
    assert mentioned == [7]


def test_the_stored_name_is_used_and_escaped_not_the_typed_one():
    html, _ = render("hi @[Typed](5)", {5: "<script>alert(1)</script>"})
    assert "<script>" not in html
    assert '<span class="mention">@&lt;script&gt;alert(1)&lt;/script&gt;</span>' in html


def test_an_unknown_id_stays_plain_escaped_text_and_is_not_a_link():
    html, mentioned = render("see @[<b>Nobody</b>](999)")
    assert mentioned == []
    assert "<a" not in html
    assert "<b>" not in html
    assert "mention" not in html
    assert "@&lt;b&gt;Nobody&lt;/b&gt;" in html


def test_an_email_mention_resolves_to_the_person():
    html, mentioned = render(
        "cc @carla@example.com please", by_email={"carla@example.com": (4, "Carla")}
    )
    assert mentioned == [4]
    assert '<span class="mention">@Carla</span>' in html
    assert "carla@example.com" not in html


def test_an_unknown_email_stays_as_typed():
    html, mentioned = render("cc @nobody@example.com")
    assert mentioned == []
    assert "@nobody@example.com" in html


def test_a_plain_email_address_is_not_a_mention():
    assert rules.mention_references("write to carla@example.com") == ([], [])


def test_mentions_are_capped():
    names = {n: f"P{n}" for n in range(1, 40)}
    text = " ".join(f"@[x]({n})" for n in names)
    _html, mentioned = render(text, names)
    assert len(mentioned) == rules.MAX_MENTIONS


def test_user_text_cannot_forge_a_slot():
    body = rules.check_body(FieldErrors(), "body", "a \ue0000\ue001 b")
    assert "\ue000" not in body


# --- limits -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_comment_is_refused(text):
    errors = FieldErrors()
    rules.check_body(errors, "body", text)
    assert "body" in errors.fields


def test_comment_length_is_capped_at_ten_thousand_characters():
    errors = FieldErrors()
    assert rules.check_body(errors, "body", "x" * rules.MAX_BODY_CHARS) == "x" * 10_000
    assert not errors.fields
    rules.check_body(errors, "body", "x" * (rules.MAX_BODY_CHARS + 1))
    with pytest.raises(ValidationFailed):
        errors.raise_if_any()


def test_a_report_needs_a_reason_of_at_most_500_characters():
    errors = FieldErrors()
    assert rules.check_reason(errors, "reason", "  rude \n words ") == "rude words"
    rules.check_reason(errors, "reason", "")
    assert "reason" in errors.fields
    errors = FieldErrors()
    rules.check_reason(errors, "reason", "y" * 501)
    assert "reason" in errors.fields


@pytest.mark.parametrize(
    ("viewer", "author", "deleted", "hidden", "allowed"),
    [
        (1, 2, False, False, True),
        (1, 1, False, False, False),
        (1, 2, True, False, False),
        (1, 2, False, True, False),
    ],
)
def test_kudos_only_on_someone_elses_visible_comment(viewer, author, deleted, hidden, allowed):
    assert rules.can_give_kudos(viewer, author, deleted, hidden) is allowed


# --- thread shape -------------------------------------------------------------------------


@pytest.mark.parametrize(("position", "page"), [(1, 1), (30, 1), (31, 2), (60, 2), (61, 3)])
def test_page_of_a_top_level_comment(position, page):
    assert rules.page_of(position) == page


@pytest.mark.parametrize(
    ("depth", "focus"), [(0, None), (5, None), (6, 5), (10, 5), (11, 10), (16, 15)]
)
def test_deep_comments_live_on_continue_pages(depth, focus):
    assert rules.focus_depth(depth) == focus


def test_build_tree_nests_to_the_depth_limit_and_counts_the_rest():
    chain = [view(1, None, 0)] + [view(n, n - 1, n - 1) for n in range(2, 9)]
    roots = rules.build_tree(chain, [1])
    node, depth = roots[0], 0
    while node.children:
        node, depth = node.children[0], depth + 1
    assert depth == rules.THREAD_DEPTH
    assert node.more_replies == 1  # the depth-6 reply is behind "continue this thread"
    assert rules.count_comments(roots) == rules.THREAD_DEPTH + 1


def test_build_tree_from_a_deeper_comment_uses_relative_depth():
    chain = [view(n, n - 1 if n > 1 else None, n - 1) for n in range(1, 14)]
    roots = rules.build_tree(chain[5:], [6], base_depth=5)
    assert roots[0].id == 6
    assert rules.count_comments(roots) == rules.THREAD_DEPTH + 1


def test_tombstones_stay_when_they_have_replies_and_vanish_when_empty():
    comments = [
        view(1, None, 0, deleted=True),
        view(2, 1, 1),
        view(3, None, 0, deleted=True),
        view(4, None, 0),
        view(5, 4, 1, deleted=True),
    ]
    roots = rules.build_tree(comments, [1, 3, 4])
    assert [root.id for root in roots] == [1, 4]
    assert [child.id for child in roots[0].children] == [2]
    assert roots[1].children == []


def test_replies_keep_their_order():
    comments = [view(1, None, 0), view(9, 1, 1), view(3, 1, 1), view(5, 3, 2)]
    roots = rules.build_tree(comments, [1])
    assert [child.id for child in roots[0].children] == [3, 9]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" #42 ", 42),
        ("/ideas/42", 42),
        ("https://vonk.example.com/ideas/42?page=2#discussion", 42),
        ("/ideas/42/edit", 42),
        ("", None),
        ("abc", None),
        ("0", None),
        ("-3", None),
        ("/challenges/42", None),
        ("1" * 13, None),
        ("2147483647", 2147483647),
        ("2147483648", None),
    ],
)
def test_an_idea_is_named_by_number_or_link(raw, expected):
    assert parse_idea_ref(raw) == expected
