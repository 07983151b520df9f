"""Search and lessons in a real browser: nobody reinvents the same wheel three times.

A manager poses a challenge, an employee answers it, a colleague shares what she learned
from an earlier attempt; then the header search finds both (the live server indexes in the
app process, so this also proves a write becomes findable on its own), and someone starting
a similar idea is shown the existing idea and the lesson while typing.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import LoginPage

if TYPE_CHECKING:
    from pathlib import Path

    from tests.browser.conftest import Console, LiveServer

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


def search_until_found(page: Page, query: str, title: str, deadline_s: float = 10.0) -> None:
    """Search from the header box until ``title`` is among the results (indexing is async).

    Each round is a real search a person would run again; the deadline is the condition's
    limit, not a pause: the first round usually finds it.
    """
    deadline = time.monotonic() + deadline_s
    while True:
        page.get_by_test_id("header-search").fill(query)
        page.get_by_test_id("header-search").press("Enter")
        page.wait_for_url(re.compile(r"/search\?"))
        found = page.get_by_test_id("result").filter(has_text=title)
        if found.count() or time.monotonic() > deadline:
            break
    expect(found.first).to_be_visible()


def test_search_finds_ideas_and_lessons_and_warns_while_typing(
    page: Page, browser: Any, live_server: LiveServer, console: Console, screenshots_dir: Path
) -> None:
    # The manager poses a challenge and opens it.
    mira = live_server.accounts["mira"]
    LoginPage(page, live_server.base_url).open().sign_in(mira.email, mira.password)
    page.goto("/challenges/new")
    page.get_by_test_id("title").fill("Less paperwork for travel expenses")
    page.get_by_test_id("brief").fill("Expense forms take an hour a month each. Ideas?")
    page.get_by_test_id("budget").fill("5000")
    page.get_by_test_id("save").click()
    page.get_by_test_id("move-open").click()
    expect(page.get_by_test_id("submit-idea")).to_be_visible()
    challenge_url = page.url

    # An employee answers it.
    kees = signed_in(browser, live_server, "kees")
    kees.goto(challenge_url)
    kees.get_by_test_id("submit-idea").click()
    kees.get_by_test_id("title").fill("Photograph receipts in the expenses app")
    kees.get_by_test_id("summary").fill("Snap each receipt with your phone; no paper forms.")
    kees.get_by_test_id("submit-idea").click()
    kees.wait_for_url(re.compile(r"/ideas/\d+$"))
    idea_url = kees.url

    # A colleague shares a lesson from an earlier attempt, free-standing.
    sara = signed_in(browser, live_server, "sara")
    sara.goto("/lessons/new")
    sara.get_by_test_id("title").fill("Scanning receipts centrally did not stick")
    sara.get_by_test_id("outcome-failure").check()
    sara.get_by_test_id("tried").fill("A central scanning desk for all paper receipts.")
    sara.get_by_test_id("happened").fill("People forgot to bring receipts; the queue grew.")
    sara.get_by_test_id("learned").fill("Capture receipts where they are made: on the phone.")
    sara.get_by_test_id("save-lesson").click()
    sara.wait_for_url(re.compile(r"/lessons/\d+$"))
    expect(sara.get_by_test_id("lesson-title")).to_have_text(
        "Scanning receipts centrally did not stick"
    )

    # The header search finds the idea (with the matching word marked) and the lesson.
    search_until_found(sara, "receipts", "Photograph receipts in the expenses app")
    search_until_found(sara, "receipts", "Scanning receipts centrally did not stick")
    idea_hit = sara.get_by_test_id("result").filter(has_text="Photograph receipts")
    expect(idea_hit.get_by_test_id("snippet").locator("mark").first).to_be_visible()
    expect(sara.get_by_test_id("facet-type")).to_be_visible()
    sara.set_viewport_size({"width": 360, "height": 800})
    sara.screenshot(path=str(screenshots_dir / "search-360.png"), full_page=True)
    assert sara.evaluate("document.documentElement.scrollWidth") <= 360
    sara.set_viewport_size({"width": 1280, "height": 900})

    # A typo gets a "did you mean" that leads to the results.
    sara.goto("/search?q=reciepts")
    sara.get_by_test_id("did-you-mean").get_by_role("link").click()
    expect(sara.get_by_test_id("result").filter(has_text="Photograph receipts")).to_be_visible()

    # The idea page loads related ideas and lessons in place: the lesson is one of them.
    sara.goto(idea_url)
    related = sara.get_by_test_id("related-section").get_by_test_id("related-list")
    expect(related).to_contain_text("Scanning receipts centrally did not stick")
    expect(sara.get_by_test_id("related-link")).to_have_count(0)  # replaced in place

    # Someone starting a similar idea sees the existing one and the lesson while typing.
    sara.goto(challenge_url)
    sara.get_by_test_id("submit-idea").click()
    sara.get_by_test_id("title").fill("Receipts by phone")
    sara.get_by_test_id("summary").press_sequentially("Scan receipts with the phone camera")
    similar = sara.get_by_test_id("similar-panel").get_by_test_id("similar-item")
    expect(similar.filter(has_text="Photograph receipts")).to_be_visible()
    expect(similar.filter(has_text="did not stick")).to_be_visible()
    sara.screenshot(path=str(screenshots_dir / "similar-while-typing-1280.png"), full_page=True)

    # The lessons library lists the lesson under its outcome.
    sara.goto("/lessons?outcome=failure")
    expect(sara.get_by_test_id("lessons")).to_contain_text("Scanning receipts centrally")
    console.assert_clean("search journey")
