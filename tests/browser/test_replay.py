"""The review page plays the candidate's kept audio (VIVA_KEEP_AUDIO) from a transcript line and from an
evidence quote, starting at the quote."""

from __future__ import annotations

import numpy as np
import pytest
from sqlmodel import Session, select

from app.models import Speaker, Turn, TurnAudio
from tests.browser.conftest import DESKTOP
from tests.browser.seed import score_now, seed_interview

pytestmark = pytest.mark.browser

# Records what the page's Audio elements are asked to play (no sound output is needed).
WATCH_PLAY = """
(() => {
  window.__played = [];
  window.__fetched = {};  // audio URL -> the object URL the page plays it from
  const fetch0 = window.fetch;
  const blobUrl = URL.createObjectURL;
  let last = null;
  window.fetch = (url, ...rest) => { last = String(url); return fetch0(url, ...rest); };
  URL.createObjectURL = (blob) => { const u = blobUrl(blob); if (last) window.__fetched[u] = last; return u; };
  HTMLMediaElement.prototype.play = function () {
    window.__played.push({src: this.src, at: this.currentTime});
    return Promise.resolve();
  };
})();
"""


def test_review_plays_a_turn_and_a_quote_from_where_it_was_said(live_server, launch, console_guard):
    interview_id = seed_interview(live_server)
    with Session(live_server.engine) as db:  # as VIVA_KEEP_AUDIO would have kept them: each answer's audio
        answers = db.exec(select(Turn).where(Turn.interview_id == interview_id,
                                             Turn.speaker == Speaker.candidate)).all()
        for turn in answers:
            seconds = (turn.end_ms - turn.start_ms) / 1000 + 0.5
            tone = (3000 * np.sin(np.arange(int(seconds * 16_000)) / 16_000 * 2 * np.pi * 220)).astype("<i2")
            db.add(TurnAudio(interview_id=interview_id, seq=turn.seq, start_ms=turn.start_ms, pcm=tone.tobytes()))
        db.commit()
        starts = {t.seq: t.start_ms for t in answers}
    card = score_now(live_server, interview_id)
    evidence = next(e for d in card["dimensions"] for e in d["evidence"])
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    page.add_init_script(WATCH_PLAY)
    log = console_guard(page)
    page.goto(f"{live_server.url}/review.html?id={interview_id}")
    page.locator("#scorecard").wait_for()
    # a play button on each answer's transcript line, none on the interviewer's
    assert page.locator("#transcript .turn-candidate .play-audio").count() == len(answers)
    assert page.locator("#transcript .turn-interviewer .play-audio").count() == 0
    seq = min(starts)
    page.locator(f"#turn-{seq} .play-audio").click()
    page.wait_for_function("window.__played.length === 1")
    played = page.evaluate("window.__played[0]")
    fetched = page.evaluate("window.__fetched")
    assert fetched[played["src"]].endswith(f"/api/interviews/{interview_id}/turns/{seq}/audio") and played["at"] == 0
    # an evidence quote plays its own turn from just before the quote's first word
    page.locator(f".evidence .play-audio[data-seq='{evidence['seq']}']").first.click()
    page.wait_for_function("window.__played.length === 2")
    played = page.evaluate("window.__played[1]")
    assert page.evaluate("window.__fetched")[played["src"]].endswith(f"/turns/{evidence['seq']}/audio")
    expected = max(0.0, (evidence["start_ms"] - starts[evidence["seq"]]) / 1000 - 0.3)
    assert played["at"] == pytest.approx(expected, abs=0.05)
    assert [e for e in log if e.startswith("pageerror")] == []
