"""Key journeys in a real browser: register, sign out and in, switch language, keyboard, phones."""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.pages import HomePage, Layout, LoginPage, RegisterPage

if TYPE_CHECKING:
    from tests.browser.conftest import Console, LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DUTCH_CATALOGUE = (
    Path(__file__).resolve().parents[2] / "portal/translations/nl/LC_MESSAGES/messages.po"
)
# Visible on the home page; checked in Dutch once the catalogue translates them.
HOME_PAGE_TEXT = ("Your profile", "Departments", "Newest colleagues", "Change your settings")


@cache
def _dutch_catalogue() -> dict[str, str]:
    from babel.messages.pofile import read_po

    if not DUTCH_CATALOGUE.exists():
        return {}
    with DUTCH_CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="nl")
    return {
        message.id: message.string
        for message in catalogue
        if isinstance(message.id, str) and isinstance(message.string, str) and message.string
    }


def dutch(msgid: str) -> str | None:
    """The Dutch translation of ``msgid``, or None while the catalogue lacks it."""
    return _dutch_catalogue().get(msgid)


def _unique_email(prefix: str) -> str:
    return f"{prefix}.{uuid.uuid4().hex[:8]}@example.com"


def tab_to(page: Page, target: Locator, *, shift: bool = False, max_presses: int = 25) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has the focus; fail after ``max_presses``."""
    key = "Shift+Tab" if shift else "Tab"
    handle = target.element_handle()
    assert handle is not None
    for _ in range(max_presses):
        if page.evaluate("element => document.activeElement === element", handle):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target} never received the focus after {max_presses} × {key}")


def test_register_sign_out_sign_in_and_switch_to_dutch(
    page: Page, live_server: LiveServer, console: Console
) -> None:
    name = "Noor Nieuwkomer"
    email = _unique_email("noor")
    password = "nieuw-Idee-2026"

    login = (
        RegisterPage(page, live_server.base_url)
        .open()
        .register(email=email, name=name, department="Finance", password=password)
    )
    expect(login.flash).to_contain_text("Your account is ready.")
    home = login.sign_in(email, password)
    expect(home.welcome).to_have_text(f"Hello, {name}")
    expect(home.user_menu).to_contain_text(name)

    login = home.sign_out()
    expect(login.flash).to_contain_text("You have been signed out.")
    expect(login.user_menu).to_have_count(0)

    home = login.sign_in(email, password)
    expect(home.welcome).to_have_text(f"Hello, {name}")
    expect(home.flash).to_contain_text(f"Welcome back, {name}.")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(home.language_button("en")).to_have_attribute("aria-pressed", "true")
    expect(home.language_button("nl")).to_have_attribute("aria-pressed", "false")
    english_heading = home.welcome.inner_text()
    english_body = page.locator("body").inner_text()

    home.switch_language("nl")
    page.wait_for_url(home.url("/"))
    assert home.html_lang() == "nl"
    expect(home.language_button("nl")).to_have_attribute("aria-pressed", "true")
    expect(home.language_button("en")).to_have_attribute("aria-pressed", "false")
    _assert_home_page_in_dutch(page, home, name, english_heading, english_body)

    login = home.sign_out()
    # The choice was saved with the account and in a cookie: the sign-in page stays Dutch.
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(login.user_menu).to_have_count(0)
    console.assert_clean("the register → sign out → sign in → Dutch journey")


def _assert_home_page_in_dutch(
    page: Page, home: HomePage, name: str, english_heading: str, english_body: str
) -> None:
    """Every home-page string the Dutch catalogue translates is shown in Dutch.

    While the catalogue is still being written, strings without a translation are not
    checked; each one starts being checked the moment its translation lands.
    """
    greeting = dutch("Hello, %(name)s")
    if greeting:
        expected = greeting % {"name": name}
        expect(home.welcome).to_have_text(expected)
        assert expected != english_heading, "the Dutch greeting equals the English one"
    body = page.locator("body").inner_text()
    for msgid in HOME_PAGE_TEXT:
        translated = dutch(msgid)
        if translated and translated != msgid:
            assert translated in body, f"Dutch {translated!r} (for {msgid!r}) not on the page"
    if _dutch_catalogue():
        assert body != english_body, "the page reads the same in Dutch as in English"


def test_sign_in_and_out_with_the_keyboard_only(
    page: Page, live_server: LiveServer, console: Console
) -> None:
    kees = live_server.accounts["kees"]
    login = LoginPage(page, live_server.base_url).open()

    tab_to(page, login.email)
    page.keyboard.type(kees.email)
    page.keyboard.press("Tab")
    expect(login.password).to_be_focused()
    page.keyboard.type(kees.password)
    page.keyboard.press("Enter")

    home = HomePage(page, live_server.base_url)
    home.wait_until_shown()
    expect(home.welcome).to_have_text(f"Hello, {kees.name}")

    # The account menu opens and signs out from the keyboard too.
    tab_to(page, home.user_menu)
    page.keyboard.press("Enter")
    sign_out = page.get_by_test_id("sign-out")
    expect(sign_out).to_be_visible()
    tab_to(page, sign_out)
    page.keyboard.press("Enter")
    page.wait_for_url(home.url("/login"))
    expect(home.flash).to_contain_text("You have been signed out.")
    console.assert_clean("keyboard sign-in")


def _no_horizontal_overflow(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{page.url} is {scroll_width}px wide at a {width}px viewport (horizontal scrolling)"
    )


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("screen", ["login", "register", "home"])
def test_screens_fit_and_are_clean(
    page: Page,
    live_server: LiveServer,
    console: Console,
    screenshots_dir: Path,
    screen: str,
    width: int,
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    layout: Layout
    if screen == "home":
        sara = live_server.accounts["sara"]
        layout = LoginPage(page, live_server.base_url).open().sign_in(sara.email, sara.password)
    elif screen == "login":
        layout = LoginPage(page, live_server.base_url).open()
    else:
        layout = RegisterPage(page, live_server.base_url).open()
    expect(layout.language_button("en")).to_be_visible()

    page.screenshot(path=str(screenshots_dir / f"{screen}-{width}.png"), full_page=True)
    if width <= 360:
        _no_horizontal_overflow(page, width)
    console.assert_clean(f"{screen} at {width}px")


def test_dutch_home_page_fits_a_phone(
    page: Page, live_server: LiveServer, console: Console, screenshots_dir: Path
) -> None:
    lotte = live_server.accounts["lotte"]
    page.set_viewport_size({"width": 360, "height": 800})
    home = LoginPage(page, live_server.base_url).open().sign_in(lotte.email, lotte.password)
    home.switch_language("nl")
    expect(home.welcome).to_be_visible()
    page.screenshot(path=str(screenshots_dir / "home-nl-360.png"), full_page=True)
    _no_horizontal_overflow(page, 360)
    console.assert_clean("the Dutch home page at 360px")
