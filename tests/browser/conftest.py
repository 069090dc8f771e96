"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Use the ``page`` fixture (a fresh context, 375 px wide like a phone by default)
and ``assert_accessible(page)`` after each page load (axe-core, no violations).
"""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the
# tests make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 375, "height": 800}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


NAVIGATION_TRIES = 4
NAVIGATION_ERRORS = ("Execution context was destroyed", "Cannot read properties of null", "navigat")


def swapped_mid_check(error: Exception) -> bool:
    """Whether a failed evaluate is the page being replaced under it, not a real error."""
    return any(text in str(error) for text in NAVIGATION_ERRORS)


@pytest.fixture
def assert_accessible():
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError

    axe = Axe()

    def check(page) -> None:
        # A click that follows a link or submits a form returns before the next page has
        # replaced this one; axe (or the width check) running while the document is swapped
        # fails with a null document or a destroyed context. Wait for the page to load and
        # check again: a few tries, then the error stands.
        for attempt in range(1, NAVIGATION_TRIES + 1):
            page.wait_for_load_state("load")
            try:
                results = axe.run(page)
                width = page.evaluate("document.documentElement.scrollWidth")
            except PlaywrightError as error:
                if attempt == NAVIGATION_TRIES or not swapped_mid_check(error):
                    raise
                page.wait_for_timeout(100)
                continue
            break
        violations = results.response["violations"]
        assert violations == [], results.generate_report()
        assert width <= page.viewport_size["width"], f"horizontal scroll: page is {width}px wide"

    return check


@pytest.fixture
def login(page):
    from tests.conftest import PASSWORD

    def do_login(user) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        # Signed in once the browser has left the form; a test that moves on sooner could
        # cut the sign-in short.
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return do_login
