"""The heart of Vonk in a real browser: a challenge is posed, answered, discussed and refined."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import LoginPage

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def signed_in(browser: Any, server: LiveServer, who: str) -> Page:
    """A fresh browser window with ``who`` signed in."""
    context = browser.new_context(base_url=server.base_url, locale="en-GB")
    page = context.new_page()
    account = server.accounts[who]
    LoginPage(page, server.base_url).open().sign_in(account.email, account.password)
    return page


def test_challenge_to_refined_idea(page: Page, browser: Any, live_server: LiveServer) -> None:
    # The manager poses a challenge and opens it.
    manager = page
    account = live_server.accounts["mira"]
    LoginPage(manager, live_server.base_url).open().sign_in(account.email, account.password)
    manager.goto("/challenges/new")
    manager.get_by_test_id("title").fill("Shorter queues at the canteen")
    manager.get_by_test_id("brief").fill("Lunch queues take **15 minutes**. What can we do?")
    manager.get_by_test_id("budget").fill("2500")
    manager.get_by_test_id("save").click()
    manager.get_by_test_id("move-open").click()
    expect(manager.get_by_test_id("submit-idea")).to_be_visible()
    challenge_url = manager.url

    # An employee submits an idea in two clicks from the challenge page.
    kees = signed_in(browser, live_server, "kees")
    kees.goto(challenge_url)
    kees.get_by_test_id("submit-idea").click()  # click one
    kees.get_by_test_id("title").fill("Pre-order lunch in the app")
    kees.get_by_test_id("summary").fill("Order before 11:00 and pick up without queueing.")
    kees.get_by_test_id("body").fill("The kitchen prepares pre-orders first.")
    kees.get_by_test_id("submit-idea").click()  # click two
    kees.wait_for_url(re.compile(r"/ideas/\d+$"))
    expect(kees.get_by_test_id("idea-title")).to_have_text("Pre-order lunch in the app")
    idea_url = kees.url

    # A colleague comments, and the author replies in the thread.
    sara = signed_in(browser, live_server, "sara")
    sara.goto(idea_url)
    sara.get_by_test_id("comment-form").get_by_test_id("comment-body-input").fill(
        "Would this work for vegetarian dishes too?"
    )
    sara.get_by_test_id("comment-form").get_by_test_id("comment-submit").click()
    question = sara.get_by_test_id("comment").filter(has_text="vegetarian")
    expect(question).to_be_visible()

    kees.reload()
    kees.get_by_test_id("comment").filter(has_text="vegetarian").get_by_test_id("reply").click()
    reply_form = kees.get_by_test_id("reply-form")
    reply_form.get_by_test_id("comment-body-input").fill("Yes: every dish on the menu.")
    reply_form.get_by_test_id("comment-submit").click()
    reply = kees.locator('[data-testid="comment"][data-depth="1"]').filter(has_text="every dish")
    expect(reply).to_be_visible()

    # The author refines the idea; the history shows what changed.
    kees.goto(idea_url)
    kees.get_by_test_id("edit-idea").click()
    kees.get_by_test_id("body").fill(
        "The kitchen prepares pre-orders first. Vegetarian dishes included."
    )
    kees.get_by_test_id("save-idea").click()
    kees.wait_for_url(re.compile(r"/ideas/\d+$"))
    kees.goto(idea_url + "/history")
    kees.get_by_test_id("compare").click()
    expect(kees.get_by_test_id("diff").locator("ins").filter(has_text="Vegetarian")).to_be_visible()

    # The colleague votes without the page reloading.
    sara.goto(idea_url)
    sara.evaluate("window.__stillHere = true")
    expect(sara.get_by_test_id("vote-count")).to_have_text("0")
    sara.get_by_test_id("vote-button").click()
    expect(sara.get_by_test_id("vote-count")).to_have_text("1")
    expect(sara.get_by_test_id("vote-button")).to_have_attribute("aria-pressed", "true")
    assert sara.evaluate("window.__stillHere === true"), "the vote reloaded the page"
    sara.reload()
    expect(sara.get_by_test_id("vote-count")).to_have_text("1")
