"""Home, review and progress pages in Chromium, on data seeded into the live server (no microphone)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from app import repository
from tests.browser.conftest import DESKTOP, PHONE, browser_settings, serve
from tests.browser.seed import DATABASE_SHORT, get_json, score_now, seed_interview

pytestmark = pytest.mark.browser


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def test_home_lists_rounds_and_starts_an_interview_by_keyboard(live_server, launch, shot, console_guard):
    rounds = get_json(live_server, "/api/rounds")
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    log = console_guard(page)
    page.goto(live_server.url + "/")
    cards = page.locator(".round-card")
    cards.first.wait_for()
    assert cards.count() == len(rounds) == 6
    for r in rounds:
        card = page.locator(".round-card", has=page.locator(f"input[value='{r['id']}']"))
        assert r["title"] in card.inner_text()
        assert f"{round(r['duration_minutes'])} min" in card.inner_text()
        assert r["dimensions"][0]["name"] in card.inner_text()
    # every control has an accessible name
    for control in page.locator("input, button, select, textarea").all():
        assert control.evaluate(
            "e => e.labels?.length > 0 || !!e.getAttribute('aria-label') || !!e.textContent.trim()")
    shot(page, "home-desktop")

    # keyboard only: focus the round radios, move with the arrow keys, pick a level, start
    page.locator("input[name=round]:checked").focus()
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("document.activeElement.value")
    assert page.locator("input[name=round]:checked").get_attribute("value") == chosen
    page.locator("input[name=level][value=staff]").focus()
    page.keyboard.press("Space")
    page.locator("#start").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/room\.html\?id=\d+"))
    interview_id = int(page.url.rsplit("=", 1)[1])
    detail = get_json(live_server, f"/api/interviews/{interview_id}")
    assert (detail["round"], detail["level"]) == (chosen, "staff")
    title = next(r["title"] for r in rounds if r["id"] == chosen)
    page.locator("#round-title", has_text=re.compile(f"^{re.escape(title)}$")).wait_for()
    assert page.locator("#join").is_enabled()
    assert [e for e in log if e.startswith("pageerror")] == []


def test_home_history_links_to_reviews_and_fits_a_phone(live_server, launch, shot):
    interview_id = seed_interview(live_server)
    card = score_now(live_server, interview_id)
    page = launch(fake_mic=False).new_page(viewport=PHONE)
    page.goto(live_server.url + "/")
    row = page.locator("#history tr", has=page.locator(f"a[href='/review.html?id={interview_id}']")).first
    row.wait_for()
    text = row.inner_text()
    assert "System Design" in text and "Scored" in text and f"{card['overall']:g} / 4" in text
    assert no_horizontal_scroll(page)
    shot(page, "home-phone")
    row.locator("a.button").click()
    page.wait_for_url(re.compile(rf"/review\.html\?id={interview_id}$"))


def test_home_deletes_an_interview_after_confirmation(live_server, launch):
    keep, gone = seed_interview(live_server), seed_interview(live_server)
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    page.goto(live_server.url + "/")

    def row(interview_id):
        return page.locator("#history tr", has=page.locator(f"a[href*='id={interview_id}']"))

    row(gone).wait_for()
    page.once("dialog", lambda dialog: dialog.dismiss())  # changing one's mind keeps it
    row(gone).get_by_role("button", name=re.compile("^Delete")).click()
    assert row(gone).count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    row(gone).get_by_role("button", name=re.compile("^Delete")).click()
    page.locator("#history-status", has_text="Deleted").wait_for()
    assert row(gone).count() == 0 and row(keep).count() == 1
    ids = [i["id"] for i in get_json(live_server, "/api/interviews?limit=100")["items"]]
    assert gone not in ids and keep in ids


def test_review_shows_scores_evidence_and_exports(live_server, launch, shot, console_guard):
    interview_id = seed_interview(live_server)
    card = score_now(live_server, interview_id)
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    log = console_guard(page)
    page.goto(f"{live_server.url}/review.html?id={interview_id}")
    page.locator("#scorecard").wait_for()
    assert page.locator("#overall").inner_text() == f"{card['overall']:g}"
    assert page.locator("#hire-signal").inner_text().lower() == card["hire_signal"]
    # the chart: one bar per dimension, drawn as inline SVG
    assert page.locator("#dim-chart svg rect.bar").count() == len(card["dimensions"])
    blocks = page.locator(".dimension")
    assert blocks.count() == len(card["dimensions"])
    for d, block in zip(card["dimensions"], blocks.all(), strict=True):
        assert d["name"] in block.inner_text() and f"{d['score']} / 4" in block.inner_text()
        assert d["rationale"] in block.inner_text()
        for m in d["missing"]:
            assert m in block.inner_text()
    quotes = [e for d in card["dimensions"] for e in d["evidence"]]
    assert quotes, "the seeded answers should give the offline scorer some evidence"
    assert page.locator("a.quote").count() == len(quotes)
    # feedback, speech metrics and pacing
    assert page.locator("#strengths li").count() >= 1
    assert "wpm" in page.locator("#speech").inner_text()
    assert page.locator("#pacing tbody tr").count() == len(card["pacing"]["phases"])
    shot(page, "review-desktop")

    # an evidence quote scrolls to its turn and highlights the quoted words
    last = quotes[-1]
    link = page.locator(f"a.quote[data-seq='{last['seq']}']").last
    link.focus()
    page.keyboard.press("Enter")
    turn = page.locator(f"#turn-{last['seq']}")
    page.wait_for_function(f"document.getElementById('turn-{last['seq']}').classList.contains('highlight')")
    assert turn.locator("mark").inner_text().lower() == last["quote"].lower()
    page.wait_for_function(f"""(() => {{
        const r = document.getElementById('turn-{last['seq']}').getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight; }})()""")
    assert page.evaluate("document.activeElement.id") == f"turn-{last['seq']}"
    assert page.url.endswith(f"#turn-{last['seq']}")
    shot(page, "review-evidence-highlight")

    # exports: links to the real files
    for ext, kind in (("md", "text/markdown"), ("json", "application/json")):
        href = page.locator(f"#export-{ext}").get_attribute("href")
        assert href == f"/api/interviews/{interview_id}/report.{ext}"
        got = page.evaluate("async (u) => { const r = await fetch(u); "
                            "return [r.status, r.headers.get('content-type')]; }", href)
        assert got[0] == 200 and got[1].startswith(kind)
    assert [e for e in log if e.startswith("pageerror")] == []


def test_review_fits_a_phone(live_server, launch, shot):
    interview_id = seed_interview(live_server)
    score_now(live_server, interview_id)
    page = launch(fake_mic=False).new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/review.html?id={interview_id}")
    page.locator("#scorecard").wait_for()
    page.locator("#dim-chart svg").wait_for()
    assert no_horizontal_scroll(page)
    assert page.locator("#dim-chart svg").evaluate("s => s.getBoundingClientRect().width") <= PHONE["width"]
    shot(page, "review-phone")


@pytest.fixture
def unswept_server(tmp_path):
    """A server whose periodic sweep (which schedules scoring of finished interviews) runs only at start-up:
    an interview seeded afterwards stays unscored until the review page asks."""
    with serve(browser_settings(tmp_path, sweep_every_s=3600)) as server:
        yield server


def test_review_polls_until_scored(unswept_server, launch, shot):
    """A finished interview nobody scored yet: the page shows the status, asks for scoring, then shows it."""
    live_server = unswept_server
    interview_id = seed_interview(live_server)
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/review.html?id={interview_id}")
    page.locator("#status .notice").wait_for()
    assert re.search(r"scoring", page.locator("#status").inner_text(), re.I)
    shot(page, "review-waiting")
    page.locator("#scorecard").wait_for(timeout=60_000)
    assert page.locator(".dimension").count() >= 4
    assert get_json(live_server, f"/api/interviews/{interview_id}")["status"] == "scored"


def test_review_of_an_unfinished_interview_links_back_to_the_room(live_server, launch):
    interview_id = seed_interview(live_server, lines=[], status="created")
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/review.html?id={interview_id}")
    link = page.locator("#status a", has_text="interview room")
    link.wait_for()
    assert link.get_attribute("href") == f"/room.html?id={interview_id}"


def test_progress_draws_a_line_per_dimension(live_server, launch, shot):
    ids = [seed_interview(live_server, round_id="system_design") for _ in range(2)]
    for i in ids:
        score_now(live_server, i)
    progress = get_json(live_server, "/api/progress?round=system_design")
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/progress.html?round=system_design")
    page.locator("#trend svg").wait_for()
    n_sessions = len(progress["interviews"])
    assert n_sessions >= 2
    # one line per dimension plus the overall line, one marker per score
    assert page.locator("#trend svg polyline").count() == len(progress["dimensions"]) + 1
    assert page.locator("#legend li").count() == len(progress["dimensions"]) + 1
    assert page.locator("#table tbody tr").count() == n_sessions
    shot(page, "progress-desktop")
    page.set_viewport_size(PHONE)
    page.wait_for_function("document.querySelector('#trend svg').getAttribute('width') < 400")
    assert no_horizontal_scroll(page)
    shot(page, "progress-phone")
    # filter by round: one with no scored sessions
    page.select_option("#round", "behavioral")
    page.locator("#status", has_text="No scored interviews").wait_for()
    assert page.locator("#result").is_hidden()
    assert page.url.endswith("?round=behavioral")


UNNAMED_CONTROLS = """() => [...document.querySelectorAll(
    'input, select, textarea, button, a[href], [role=meter]')]
  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                 && !e.getAttribute('aria-labelledby') && !e.textContent.trim())
  .map((e) => e.outerHTML.slice(0, 80))"""


def test_every_control_has_a_name_and_pages_have_one_h1(live_server, launch):
    interview_id = seed_interview(live_server)
    score_now(live_server, interview_id)
    fresh = seed_interview(live_server, lines=[], status="created")
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    pages = (("/", ".round-card"), (f"/room.html?id={fresh}", "#join"),
             (f"/review.html?id={interview_id}", ".dimension"), ("/progress.html", "#round option"))
    for path, ready in pages:
        page.goto(live_server.url + path)
        page.locator(ready).first.wait_for(state="attached")
        assert page.evaluate(UNNAMED_CONTROLS) == [], path
        assert page.locator("h1").count() == 1, path
        assert page.evaluate("document.documentElement.lang") == "en"


def test_review_shows_not_assessed_corrections_and_what_happened(live_server, launch, shot):
    interview_id = seed_interview(live_server, lines=DATABASE_SHORT, round_id="database")
    card = score_now(live_server, interview_id)
    skipped = [d for d in card["dimensions"] if not d["assessed"]]
    assert skipped
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/review.html?id={interview_id}")
    page.locator("#scorecard .dimension").first.wait_for()
    for d in skipped:
        block = page.locator(f"#dim-{d['key']}")
        assert block.locator(".score-badge").inner_text() == "not assessed"
        assert "Not assessed in this interview" in block.inner_text()
        assert d["name"] in page.locator("#practice").inner_text()
    assert page.locator("#corrections-panel").is_visible()
    assert "row number handles ties" in page.locator("#corrections").inner_text()
    assert "I don’t know" in page.locator("#moments").inner_text()
    page.locator("#corrections a.quote").first.click()
    page.locator("#transcript mark").first.wait_for()
    shot(page, "review-not-assessed")


def test_progress_opens_on_the_round_practised_last_with_an_overview(live_server, launch, shot):
    first = seed_interview(live_server, round_id="system_design")
    score_now(live_server, first)
    latest = seed_interview(live_server, lines=DATABASE_SHORT, round_id="database")
    score_now(live_server, latest)
    overview = get_json(live_server, "/api/progress/overview")
    assert overview["latest_round"] == "database"
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/progress.html")
    page.locator("#trend svg").wait_for()
    assert page.locator("#round").input_value() == "database"
    rows = page.locator("#overview-table tbody tr")
    assert rows.count() == len(overview["rounds"]) >= 2
    assert "Databases and SQL" in rows.first.inner_text()
    page.locator("#overview-table a[data-round=system_design]").click()
    page.wait_for_function("document.querySelector('#round').value === 'system_design'")
    assert page.url.endswith("?round=system_design")
    shot(page, "progress-overview")


def test_review_shows_the_offline_card_while_a_model_refines_it_then_the_refined_one(live_server, launch, shot):
    """The offline card is shown at once, marked as being refined; the refined card replaces it, no reload."""
    interview_id = seed_interview(live_server)
    card = score_now(live_server, interview_id)

    def store(**changes):
        with Session(live_server.engine) as session:
            doc = {**card, **changes}
            repository.save_scorecard(session, interview_id, scorer=doc["scorer"], overall=doc["overall"],
                                      hire_signal=doc["hire_signal"], data=doc)

    store(refining_with="qwen")
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/review.html?id={interview_id}")
    source = page.locator("#card-source")
    source.filter(has_text="refining with qwen").wait_for()
    assert "Offline scorecard" in source.inner_text()
    shot(page, "review-refining")
    store(scorer="llm", refined_by="qwen", overall=1.25)
    source.filter(has_text="Refined by qwen").wait_for(timeout=15_000)
    assert page.locator("#overall").inner_text() == "1.25"
