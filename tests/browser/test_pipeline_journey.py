"""The review pipeline in a real browser: from submitted ideas to a funded winner.

A manager moves two ideas into evaluation on the board, puts two reviewers on the panel and
assigns them; each scores both ideas (the second reviewer sees nobody's scores until her
own are in); the shortlist ranks by weighted score; the manager selects the winner with a
rationale, awards budget and posts an implementation update; the author then sees the whole
way on the idea page — and never the reviewers' names.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import LoginPage

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def signed_in(browser: Any, server: LiveServer, who: str, width: int = 1280) -> Page:
    """A fresh browser window with ``who`` signed in."""
    context = browser.new_context(
        base_url=server.base_url, locale="en-GB", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    account = server.accounts[who]
    LoginPage(page, server.base_url).open().sign_in(account.email, account.password)
    return page


def submit_idea(page: Page, challenge_url: str, title: str, summary: str) -> int:
    page.goto(challenge_url)
    page.get_by_test_id("submit-idea").click()
    page.get_by_test_id("title").fill(title)
    page.get_by_test_id("summary").fill(summary)
    page.get_by_test_id("submit-idea").click()
    page.wait_for_url(re.compile(r"/ideas/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def bulk_move(manager: Page, board_url: str, idea_ids: list[int], to_stage: str) -> None:
    manager.goto(board_url)
    for idea_id in idea_ids:
        manager.get_by_test_id(f"pick-{idea_id}").check()
    manager.get_by_test_id("bulk-to").select_option(to_stage)
    manager.get_by_test_id("bulk-submit").click()
    for idea_id in idea_ids:
        expect(manager.get_by_test_id(f"card-{idea_id}")).to_be_visible()


def score(page: Page, idea_id: int, points: list[int], comment: str) -> None:
    """Fill and submit the scorecard: ``points`` per criterion, in the card's order."""
    page.goto(f"/ideas/{idea_id}/review")
    criteria = page.get_by_test_id("scorecard-form").locator("fieldset.review-criterion")
    expect(criteria).to_have_count(len(points))
    for index, value in enumerate(points):
        criteria.nth(index).get_by_label(str(value), exact=True).check()
    page.get_by_test_id("comment").fill(comment)
    page.get_by_test_id("submit-scorecard").click()
    expect(page.get_by_test_id("submit-scorecard")).to_have_text("Save revised scorecard")


def test_ideas_to_a_funded_winner(page: Page, browser: Any, live_server: LiveServer) -> None:
    # The manager poses a challenge with a two-line scorecard and opens it.
    manager = page
    account = live_server.accounts["mira"]
    LoginPage(manager, live_server.base_url).open().sign_in(account.email, account.password)
    manager.goto("/challenges/new")
    manager.get_by_test_id("title").fill("Less waiting at the lifts")
    manager.get_by_test_id("brief").fill("The lifts are full at 9:00. What can we do?")
    manager.get_by_test_id("budget").fill("10000")
    manager.get_by_test_id("criteria-0-name").fill("Impact")
    manager.get_by_test_id("criteria-0-weight").fill("3")
    manager.get_by_test_id("criteria-0-scale_max").fill("5")
    manager.get_by_test_id("criteria-1-name").fill("Cost")
    manager.get_by_test_id("criteria-1-weight").fill("1")
    manager.get_by_test_id("criteria-1-scale_max").fill("5")
    manager.get_by_test_id("save").click()
    manager.get_by_test_id("move-open").click()
    expect(manager.get_by_test_id("submit-idea")).to_be_visible()
    challenge_url = manager.url
    slug = challenge_url.rstrip("/").rsplit("/", 1)[1]

    # Two colleagues answer it.
    kees = signed_in(browser, live_server, "kees")
    winner = submit_idea(
        kees, challenge_url, "Staggered start times", "Teams start at 8:30, 9:00 or 9:30."
    )
    lotte = signed_in(browser, live_server, "lotte")
    other = submit_idea(lotte, challenge_url, "A third lift", "Build one more lift shaft.")

    # On the board the manager moves both into evaluation, ticking cards (no JavaScript needed).
    board_url = f"/challenges/{slug}/pipeline"
    bulk_move(manager, board_url, [winner, other], "screening")
    bulk_move(manager, board_url, [winner, other], "evaluation")
    expect(manager.get_by_test_id(f"card-{winner}")).to_contain_text("Staggered start times")

    # Two reviewers on the panel, assigned to every idea in evaluation.
    manager.goto(f"/challenges/{slug}/reviewers")
    for who in ("Rob Reviewer (Finance)", "Ria Reviewer (Research)"):
        manager.get_by_test_id("user_id").select_option(label=who)
        manager.get_by_test_id("add-member").click()
    expect(manager.get_by_test_id("panel-member")).to_have_count(2)
    manager.get_by_test_id("assign-all").click()
    expect(manager.get_by_test_id("assignment")).to_have_count(4)

    # Rob scores both ideas.
    rob = signed_in(browser, live_server, "rob")
    rob.goto("/reviews")
    expect(rob.get_by_test_id("queue-item")).to_have_count(2)
    score(rob, winner, [5, 4], "Cheap and quick to try.")
    score(rob, other, [3, 1], "Very expensive.")
    rob.goto("/reviews")
    expect(rob.get_by_test_id("progress")).to_contain_text("2 of 2")

    # Ria sees no other scores until hers are in; then the panel appears.
    ria = signed_in(browser, live_server, "ria", width=360)
    ria.goto(f"/ideas/{winner}/review")
    expect(ria.get_by_test_id("panel-hidden")).to_be_visible()
    expect(ria.get_by_test_id("panel-section")).not_to_contain_text("Rob Reviewer")
    score(ria, winner, [4, 5], "Try it with two floors first.")
    expect(ria.get_by_test_id("panel-section")).to_contain_text("Rob Reviewer")
    score(ria, other, [2, 2], "Not within the budget.")

    # The shortlist ranks by weighted score, votes beside it.
    manager.goto(f"/challenges/{slug}/shortlist")
    rows = manager.get_by_test_id("shortlist-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Staggered start times")
    expect(rows.nth(0).get_by_test_id("rank")).to_have_text("1")
    expect(rows.nth(1)).to_contain_text("A third lift")

    # The manager shortlists and selects the winner with a rationale.
    for stage, reason in (("shortlist", ""), ("selected", "Best score, costs almost nothing.")):
        manager.goto(f"/ideas/{winner}/stage")
        manager.get_by_test_id(f"to-{stage}").check()
        if reason:
            manager.get_by_test_id("rationale").fill(reason)
        manager.get_by_test_id("move-submit").click()
        manager.wait_for_url(re.compile(rf"/ideas/{winner}(#.*)?$"))

    # …awards budget and posts the first implementation update.
    manager.get_by_test_id("award-toggle").click()
    manager.get_by_label("Amount in EUR").fill("2500")
    manager.get_by_test_id("award-submit").click()
    expect(manager.get_by_test_id("funding-awarded")).to_contain_text("2,500")
    manager.get_by_test_id("update-toggle").click()
    manager.get_by_label("What happened since the last update?").fill("Agreed with the team leads.")
    manager.get_by_label("Percent complete").fill("40")
    manager.get_by_test_id("update-submit").click()
    expect(manager.get_by_test_id("funding-progress")).to_contain_text("40%")
    manager.goto(challenge_url)
    expect(manager.get_by_test_id("budget-remaining")).to_contain_text("7,500")

    # The author sees the whole way: every decision, the reason, the award and the progress.
    kees.goto(f"/ideas/{winner}")
    timeline = kees.get_by_test_id("timeline")
    expect(timeline.get_by_test_id("decision")).to_have_count(4)
    expect(timeline.get_by_test_id("decision-to").last).to_have_text("Selected")
    expect(timeline).to_contain_text("Best score, costs almost nothing.")
    expect(kees.get_by_test_id("funding-awarded")).to_contain_text("2,500")
    expect(kees.get_by_test_id("funding-progress")).to_contain_text("40%")
    page_text = kees.locator("main").inner_text()
    assert "Rob Reviewer" not in page_text
    assert "Ria Reviewer" not in page_text
    # The idea page reads on a phone too.
    kees.set_viewport_size({"width": 360, "height": 800})
    kees.reload()
    assert kees.evaluate("document.documentElement.scrollWidth") <= 360
