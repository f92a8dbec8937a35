"""The room's transcript model (frontend/js/transcript-view.js) on scripted events, in Chromium:
provisional words replaced by finals, streamed replies, typed answers, and the merge after a reconnect."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SETUP = """async () => {
  const {TranscriptView} = await import('/js/transcript-view.js');
  document.body.innerHTML = '<div class="transcript-scroll"><ol id="t"></ol></div>';
  window.tv = new TranscriptView(document.getElementById('t'));
  window.shown = () => [...document.querySelectorAll('#t > li')].map((n) => ({
    seq: n.dataset.seq ? Number(n.dataset.seq) : null, speaker: n.className.match(/turn-(\\w+)/)[1],
    cls: [...n.classList].filter((c) => ['partial', 'streaming', 'pending', 'cut'].includes(c)).join(' '),
    text: n.querySelector('.text, code').textContent}));
}"""


@pytest.fixture
def page(live_server, launch):
    page = launch(fake_mic=False).new_page()
    page.goto(f"{live_server.url}/progress.html")
    page.evaluate(SETUP)
    return page


def test_partial_words_are_replaced_by_the_final(page):
    page.evaluate("""() => {
      tv.interviewerDone({seq: 1, text: 'Tell me about caching.', start_ms: 0});
      tv.setPartial('I would');
      tv.setPartial('I would put a cache');
    }""")
    assert page.evaluate("shown()")[-1] == {"seq": None, "speaker": "candidate", "cls": "partial",
                                           "text": "I would put a cache"}
    page.evaluate("tv.final({seq: 2, speaker: 'candidate', text: 'I would put a cache in front.'})")
    assert page.evaluate("shown()") == [
        {"seq": 1, "speaker": "interviewer", "cls": "", "text": "Tell me about caching."},
        {"seq": 2, "speaker": "candidate", "cls": "", "text": "I would put a cache in front."},
    ]


def test_streamed_reply_and_typed_answer(page):
    page.evaluate("""() => {
      tv.interviewerDelta('Write the ');
      tv.interviewerDelta('query.');
    }""")
    assert page.evaluate("shown()") == [{"seq": None, "speaker": "interviewer", "cls": "streaming",
                                         "text": "Write the query."}]
    page.evaluate("""() => {
      tv.interviewerDone({seq: 1, text: 'Write the query.', start_ms: 0});
      tv.addPendingTyped('SELECT 1;');
    }""")
    assert page.evaluate("shown()")[-1]["cls"] == "pending"
    page.evaluate("tv.final({seq: 2, speaker: 'candidate', text: 'SELECT 1;', typed: true, start_ms: 900})")
    assert page.evaluate("shown()") == [
        {"seq": 1, "speaker": "interviewer", "cls": "", "text": "Write the query."},
        {"seq": 2, "speaker": "candidate", "cls": "", "text": "SELECT 1;"},
    ]


def test_merge_after_reconnect_keeps_everything_once_and_in_order(page):
    page.evaluate("""() => {
      tv.interviewerDone({seq: 1, text: 'Hello.', start_ms: 0});
      tv.final({seq: 2, speaker: 'candidate', text: 'Hi there.', start_ms: 100});
      tv.interviewerDelta('So, how would you');   // the connection drops mid-reply
      tv.addPendingTyped('typed while offline');   // waits in the outbox
    }""")
    # the store has the reply in full, and a turn this page never saw
    page.evaluate("""() => {
      tv.merge([
        {seq: 1, speaker: 'interviewer', text: 'Hello.', typed: false, start_ms: 0},
        {seq: 2, speaker: 'candidate', text: 'Hi there.', typed: false, start_ms: 100},
        {seq: 3, speaker: 'interviewer', text: 'So, how would you shard it?', typed: false, start_ms: 200},
      ]);
      tv.abandonDraft();
    }""")
    shown = page.evaluate("shown()")
    assert [(t["seq"], t["cls"]) for t in shown] == [(1, ""), (2, ""), (3, ""), (None, "pending")]
    assert shown[2]["text"] == "So, how would you shard it?"
    # the typed answer is confirmed later; a second merge changes nothing
    page.evaluate("""() => {
      tv.final({seq: 4, speaker: 'candidate', text: 'typed while offline', typed: true, start_ms: 300});
      tv.merge([{seq: 2, speaker: 'candidate', text: 'Hi there.', typed: false, start_ms: 100}]);
    }""")
    assert [t["seq"] for t in page.evaluate("shown()")] == [1, 2, 3, 4]


def test_a_cut_off_reply_the_store_never_got_stays_marked(page):
    page.evaluate("""() => {
      tv.interviewerDone({seq: 1, text: 'Hello.', start_ms: 0});
      tv.interviewerDelta('Half a sent');
      tv.merge([{seq: 1, speaker: 'interviewer', text: 'Hello.', typed: false, start_ms: 0}]);
      tv.abandonDraft();
      tv.interviewerDelta('Welcome back.');
    }""")
    assert [(t["seq"], t["cls"], t["text"]) for t in page.evaluate("shown()")] == [
        (1, "", "Hello."), (None, "cut", "Half a sent"), (None, "streaming", "Welcome back.")]
