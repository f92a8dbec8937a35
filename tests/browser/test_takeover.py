"""Two tabs on one interview: the newer one takes it over, the older one says so and does not fight
back (no reconnect); a tab closed without finishing leaves the interview paused, and Home offers to
resume it."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.conftest import DESKTOP
from tests.browser.seed import get_json
from tests.browser.test_interview import DENY_MIC, start_interview, wait_connected

pytestmark = pytest.mark.browser


def test_a_second_tab_takes_over_and_the_first_one_says_so(live_server, launch, shot):
    browser = launch(fake_mic=False)
    first = browser.new_page(viewport=DESKTOP)
    first.add_init_script(DENY_MIC)
    interview_id = start_interview(first, live_server.url, round_title="Behavioral", level="mid")
    first.get_by_role("button", name="Join the interview").click()
    first.locator("#transcript .turn-interviewer[data-seq]").first.wait_for(timeout=30_000)

    second = browser.new_page(viewport=DESKTOP)
    second.add_init_script(DENY_MIC)
    second.goto(f"{live_server.url}/room.html?id={interview_id}")
    second.locator("body[data-ready]").wait_for(state="attached")
    second.get_by_role("button", name="Resume the interview").click()
    wait_connected(second)

    first.locator("[data-banner=conn]", has_text="open in another tab").wait_for(timeout=30_000)
    assert first.locator("#conn").inner_text() == "Open elsewhere"
    assert first.get_by_label("Type an answer").is_disabled()
    shot(first, "room-taken-over")
    first.wait_for_timeout(3000)  # it stays stopped: no reconnect that would take the interview back
    assert first.locator("#conn").inner_text() == "Open elsewhere"
    assert first.evaluate("window.vivaRoom.stream.stopped") is True

    box = second.get_by_label("Type an answer")
    box.fill("I led the migration of our billing service to Postgres.")
    box.press("Control+Enter")
    second.locator("#transcript .turn-typed[data-seq]").wait_for(timeout=30_000)
    second.close()  # gone without finishing

    for _ in range(300):
        if get_json(live_server, f"/api/interviews/{interview_id}")["status"] == "paused":
            break
        time.sleep(0.1)
    home = browser.new_page(viewport=DESKTOP)
    home.goto(live_server.url + "/")
    row = home.locator("tr", has=home.locator(f"a[href='/room.html?id={interview_id}']")).first
    row.wait_for(timeout=30_000)
    assert "Paused" in row.inner_text()
    assert row.get_by_role("link", name=re.compile("^Resume")).count() == 1
    shot(home, "home-paused")
