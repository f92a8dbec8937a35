"""Accounts mode in Chromium: a page that needs a login sends you to it; sign up, log out, log in again."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DESKTOP, browser_settings, require_browser, serve

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory):
    require_browser()
    settings = browser_settings(tmp_path_factory.mktemp("viva-accounts"), auth="accounts", stt_preload=False)
    with serve(settings) as server:
        yield server


def test_signup_logout_login_in_the_browser(accounts_server, launch, shot, console_guard):
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    log = console_guard(page)
    page.goto(accounts_server.url + "/progress.html")
    page.wait_for_url(re.compile(r"/login\.html\?next=%2Fprogress\.html$"))
    shot(page, "login")
    page.click("#other-link")
    page.wait_for_url(re.compile(r"/login\.html\?signup=1&next=%2Fprogress\.html$"))
    page.locator("#auth-title", has_text="Create an account").wait_for()
    page.fill("#email", "browser@example.com")
    page.fill("#password", "short")
    page.click("#submit")
    page.locator("#auth-error", has_text="8 characters").wait_for()
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/progress\.html$"))
    page.locator("#account-email", has_text="browser@example.com").wait_for()
    cookie = next(c for c in page.context.cookies() if c["name"] == "viva_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie") == ""  # not readable by scripts

    page.goto(accounts_server.url + "/")
    page.locator(".round-card").first.wait_for()
    page.click("#logout")
    page.wait_for_url(re.compile(r"/login\.html$"))
    page.goto(accounts_server.url + "/")
    page.wait_for_url(re.compile(r"/login\.html\?next=%2F$"))
    page.fill("#email", "browser@example.com")
    page.fill("#password", "not the password")
    page.click("#submit")
    page.locator("#auth-error", has_text="Wrong email or password").wait_for()
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/$"))
    page.locator(".round-card").first.wait_for()
    shot(page, "home-logged-in")
    assert [e for e in log if e.startswith("pageerror")] == []
