"""Page objects for the browser journeys: what a person can do on a page, by data-testid."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


class Layout:
    """What every page has: the header's user menu and the footer's language buttons."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")

    def url(self, path: str) -> str:
        """The absolute address of ``path`` on the server under test."""
        return self.base_url + path

    @property
    def flash(self) -> Locator:
        """The flash messages shown after a redirect."""
        return self.page.get_by_test_id("flash")

    @property
    def user_menu(self) -> Locator:
        """The summary of the header's account menu (only when signed in)."""
        return self.page.get_by_test_id("user-menu")

    def language_button(self, code: str) -> Locator:
        """The footer button that switches to ``code``."""
        return self.page.get_by_test_id(f"language-{code}")

    def html_lang(self) -> str:
        """The ``lang`` attribute of the document."""
        return self.page.locator("html").get_attribute("lang") or ""

    def sign_out(self) -> LoginPage:
        """Open the user menu, sign out, and wait for the sign-in page."""
        self.user_menu.click()
        sign_out = self.page.get_by_test_id("sign-out")
        expect(sign_out).to_be_visible()
        sign_out.click()
        self.page.wait_for_url(re.compile(r"/login(\?.*)?$"))
        return LoginPage(self.page, self.base_url)

    def switch_language(self, code: str) -> None:
        """Press the footer's language button and wait until the page is in ``code``."""
        self.language_button(code).click()
        expect(self.page.locator("html")).to_have_attribute("lang", code)
        expect(self.language_button(code)).to_have_attribute("aria-pressed", "true")


class LoginPage(Layout):
    """/login."""

    path = "/login"

    def open(self) -> LoginPage:
        """Go to the sign-in page."""
        self.page.goto(self.url(self.path))
        expect(self.email).to_be_visible()
        return self

    @property
    def email(self) -> Locator:
        return self.page.get_by_test_id("email")

    @property
    def password(self) -> Locator:
        return self.page.get_by_test_id("password")

    @property
    def submit(self) -> Locator:
        return self.page.get_by_test_id("sign-in")

    def sign_in(self, email: str, password: str) -> HomePage:
        """Fill in the form, submit it, and wait for the home page."""
        self.email.fill(email)
        self.password.fill(password)
        self.submit.click()
        home = HomePage(self.page, self.base_url)
        home.wait_until_shown()
        return home


class RegisterPage(Layout):
    """/register."""

    path = "/register"

    def open(self) -> RegisterPage:
        """Go to the registration page."""
        self.page.goto(self.url(self.path))
        expect(self.page.get_by_test_id("email")).to_be_visible()
        return self

    def register(self, *, email: str, name: str, department: str, password: str) -> LoginPage:
        """Create an account (choosing ``department`` by its label).

        The app then sends the new person to the sign-in page (a taken address gets the same
        answer, so the form cannot reveal who has an account).
        """
        self.page.get_by_test_id("email").fill(email)
        self.page.get_by_test_id("display_name").fill(name)
        self.page.get_by_test_id("department_id").select_option(label=department)
        self.page.get_by_test_id("password").fill(password)
        self.page.get_by_test_id("register").click()
        self.page.wait_for_url(re.compile(r"/login(\?.*)?$"))
        login = LoginPage(self.page, self.base_url)
        expect(login.email).to_be_visible()
        return login


class HomePage(Layout):
    """/ for a signed-in person."""

    path = "/"

    def open(self) -> HomePage:
        """Go to the home page (signed in)."""
        self.page.goto(self.url(self.path))
        self.wait_until_shown()
        return self

    @property
    def welcome(self) -> Locator:
        return self.page.get_by_test_id("welcome")

    def wait_until_shown(self) -> None:
        """Wait until the browser shows the home page."""
        self.page.wait_for_url(self.url("/"))
        expect(self.welcome).to_be_visible()
