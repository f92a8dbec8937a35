"""The interview room end to end: a fake microphone speaking an espeak-ng answer, the real stream
(VAD, faster-whisper tiny.en, the offline interviewer), then the review; and the paths without a
microphone, barge-in and a dropped connection."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.seed import get_json

pytestmark = pytest.mark.browser

STT_TIMEOUT = 120_000  # ms; tiny.en on two shared cores
KEY_WORDS = ("database", "cache")

# Records the types of the JSON messages the page sends (never their text) and counts audio frames.
RECORD_SENDS = """
(() => {
  const sent = [];
  const audio = {frames: 0, sizes: {}};
  window.__vivaSent = sent;
  window.__vivaAudio = audio;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string') {
      try { sent.push(JSON.parse(data).type); } catch { sent.push('?'); }
    } else {
      audio.frames += 1;
      const n = data.byteLength;
      audio.sizes[n] = (audio.sizes[n] || 0) + 1;
    }
    return send.call(this, data);
  };
})();
"""

DENY_MIC = """
navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
"""

# A voice that "speaks" until cancelled, so barge-in can be observed without audio output.
FAKE_VOICE = """
(() => {
  const state = {spoken: 0, cancelled: 0, speaking: false, current: [], rates: []};
  window.__fakeVoice = state;
  const voice = {name: 'Test Voice', lang: 'en-US', default: true, localService: true, voiceURI: 'test'};
  class Utterance {
    constructor(text) { this.text = text; this.rate = 1; this.voice = null; this.lang = ''; }
  }
  const synth = {
    get speaking() { return state.speaking; }, pending: false, paused: false,
    getVoices: () => [voice],
    speak(u) {
      if (!u.text) return;
      state.spoken += 1; state.current.push(u); state.speaking = true;
      state.rates.push(u.rate);
      setTimeout(() => u.onstart && u.onstart({}), 10);
      if (window.__fakeVoiceEndsAfterMs) {
        setTimeout(() => {
          const i = state.current.indexOf(u);
          if (i < 0) return;
          state.current.splice(i, 1);
          state.speaking = state.current.length > 0;
          u.onend && u.onend({});
        }, window.__fakeVoiceEndsAfterMs);
      }
    },
    cancel() {
      const cur = state.current; state.current = []; state.speaking = false;
      if (cur.length) state.cancelled += 1;
      for (const u of cur) u.onend && u.onend({});
    },
    pause() {}, resume() {}, addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = Utterance;
})();
"""


SHOWN_SEQS = "[...document.querySelectorAll('#transcript [data-seq]')].map((n) => n.dataset.seq)"


def message_type(data) -> str:
    return json.loads(data).get("type", "?") if isinstance(data, str) else "audio"


def start_interview(page, base_url: str, round_title: str = "System Design", level: str = "senior") -> int:
    page.goto(base_url + "/")
    page.locator(".round-card label", has_text=round_title).click()
    page.locator(f"input[name=level][value={level}]").check()
    page.get_by_role("button", name="Start interview").click()
    page.wait_for_url(re.compile(r"/room\.html\?id=\d+"))
    page.locator("body[data-ready]").wait_for(state="attached")
    return int(page.url.rsplit("=", 1)[1])


def wait_connected(page) -> None:
    page.locator("#conn", has_text=re.compile(r"^Connected$")).wait_for(timeout=30_000)


def finished_turns(page, speaker: str) -> list[dict]:
    return page.evaluate(f"""[...document.querySelectorAll('#transcript .turn-{speaker}[data-seq]')]
        .map((n) => ({{seq: Number(n.dataset.seq), text: n.querySelector('.text, code').textContent}}))""")


def wait_interviewer_after(page, seq: int, timeout: int = 60_000) -> None:
    page.wait_for_function(f"""[...document.querySelectorAll('#transcript .turn-interviewer[data-seq]')]
        .some((n) => Number(n.dataset.seq) > {seq} && n.textContent.trim().length > 10)""", timeout=timeout)


def test_spoken_interview_end_to_end(live_server, launch, speech_wav, shot, console_guard):
    browser = launch(audio=speech_wav)
    page = browser.new_page(viewport=DESKTOP)
    page.add_init_script(RECORD_SENDS)
    sent = []  # message types the page sent, seen by Playwright (survives the page change)
    page.on("websocket", lambda ws: ws.on("framesent", lambda data: sent.append(message_type(data))))
    log = console_guard(page)
    interview_id = start_interview(page, live_server.url)
    shot(page, "room-lobby")
    page.get_by_role("button", name="Join the interview").click()
    wait_connected(page)
    assert page.locator("#mic-message").count() == 0
    # the interviewer opens
    page.locator("#transcript .turn-interviewer[data-seq]").first.wait_for(timeout=30_000)
    assert page.locator("#phase").inner_text() not in ("", "—", "Not started")
    assert re.fullmatch(r"\d+:\d\d", page.locator("#remaining").inner_text())
    # the level meter moves with the fake microphone
    page.wait_for_function("Number(document.querySelector('#meter').getAttribute('aria-valuenow')) > 5")

    # the candidate's spoken key words arrive as a final turn
    page.wait_for_function(
        """(words) => [...document.querySelectorAll('#transcript .turn-candidate[data-seq]')]
            .some((n) => words.every((w) => n.textContent.toLowerCase().includes(w)))""",
        arg=list(KEY_WORDS), timeout=STT_TIMEOUT)
    said = [t for t in finished_turns(page, "candidate") if all(w in t["text"].lower() for w in KEY_WORDS)][0]
    wait_interviewer_after(page, said["seq"])
    shot(page, "room-conversation")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth + 1")
    page.screenshot(path=str(shot.dir / "room-conversation-phone.png"))  # the viewport a phone shows
    page.set_viewport_size(DESKTOP)

    audio = page.evaluate("window.__vivaAudio")
    assert audio["frames"] > 50
    assert set(audio["sizes"]) == {"640"}, "20 ms PCM16 frames at 16 kHz"

    page.get_by_role("button", name="Finish interview").click()
    page.get_by_role("button", name="Finish and see my review").click()
    page.wait_for_url(re.compile(rf"/review\.html\?id={interview_id}"), timeout=30_000)
    assert "finish" in sent
    page.locator("#scorecard").wait_for(timeout=120_000)
    assert page.locator("#dim-chart svg rect.bar").count() >= 4
    assert page.locator(".dimension .score-badge").count() >= 4
    assert page.locator("a.quote").count() >= 1, "evidence quotes from the spoken answer"
    quote = page.locator("a.quote").first
    seq = quote.get_attribute("data-seq")
    quote.click()
    page.wait_for_function(f"document.getElementById('turn-{seq}').classList.contains('highlight')")
    shot(page, "review-after-voice")
    detail = get_json(live_server, f"/api/interviews/{interview_id}")
    assert detail["status"] == "scored"
    assert any(all(w in t["text"].lower() for w in KEY_WORDS) and not t["typed"]
               for t in detail["turns"] if t["speaker"] == "candidate")
    assert [e for e in log if e.startswith("pageerror")] == []
    assert not any(w in e.lower() for e in log for w in KEY_WORDS), "no transcript text in the console"


def test_denied_microphone_shows_why_and_typed_answers_carry_on(live_server, launch, shot):
    browser = launch(fake_mic=False)
    page = browser.new_page(viewport=PHONE)
    page.add_init_script(DENY_MIC)
    page.add_init_script(RECORD_SENDS)
    start_interview(page, live_server.url, round_title="Databases and SQL")
    page.get_by_role("button", name="Join the interview").click()
    message = page.locator("#mic-message")
    message.wait_for()
    assert message.get_attribute("data-kind") == "denied"
    assert "blocked" in message.inner_text() and "typing" in message.inner_text()
    assert page.get_by_role("button", name="Try the microphone again").is_visible()
    assert page.get_by_role("button", name="I'm done answering").is_disabled()
    wait_connected(page)
    opening = page.locator("#transcript .turn-interviewer[data-seq]").first
    opening.wait_for(timeout=30_000)

    answer = "SELECT user_id, COUNT(*) AS orders\nFROM orders\nGROUP BY user_id\nHAVING COUNT(*) > 5;"
    box = page.get_by_label("Type an answer")
    assert box.evaluate("e => e === document.activeElement"), "focus goes to the typed answer"
    box.fill(answer)
    box.press("Control+Enter")
    typed = page.locator("#transcript .turn-typed[data-seq]")
    typed.wait_for(timeout=30_000)
    assert typed.locator("code").inner_text() == answer
    wait_interviewer_after(page, int(typed.get_attribute("data-seq")))
    assert page.locator("#transcript .turn.pending").count() == 0
    assert "text" in page.evaluate("window.__vivaSent")
    assert page.evaluate("window.__vivaAudio.frames") == 0
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth + 1")
    shot(page, "room-denied-mic-phone")


def test_barge_in_stops_the_voice_and_sends_interrupt(live_server, launch, speech_wav, shot):
    browser = launch(audio=speech_wav)
    page = browser.new_page(viewport=DESKTOP)
    page.add_init_script(FAKE_VOICE)
    page.add_init_script(RECORD_SENDS)
    start_interview(page, live_server.url, round_title="API design")
    assert page.locator("#voice option").first.text_content().startswith("Test Voice")
    page.get_by_role("button", name="Join the interview").click()
    page.wait_for_function("window.__fakeVoice.spoken > 0", timeout=30_000)  # the opening is spoken
    # the looping answer starts again while the voice "plays": the page cuts it and tells the server
    page.wait_for_function("window.__fakeVoice.cancelled > 0 && window.__vivaSent.includes('interrupt')",
                           timeout=60_000)
    assert page.evaluate("window.speechSynthesis.speaking") is False
    shot(page, "room-barge-in")


def test_dropped_connection_reconnects_and_keeps_the_transcript(live_server, launch, shot):
    browser = launch(fake_mic=False)
    page = browser.new_page(viewport=DESKTOP)
    page.add_init_script(DENY_MIC)
    interview_id = start_interview(page, live_server.url, round_title="Behavioral", level="mid")
    page.get_by_role("button", name="Join the interview").click()
    page.locator("#transcript .turn-interviewer[data-seq]").first.wait_for(timeout=30_000)
    box = page.get_by_label("Type an answer")
    box.fill("I led the migration of our billing service to Postgres and owned the rollout plan.")
    box.press("Control+Enter")
    page.locator("#transcript .turn-typed[data-seq]").wait_for(timeout=30_000)
    typed = page.locator("#transcript .turn-typed[data-seq]")
    wait_interviewer_after(page, int(typed.get_attribute("data-seq")))
    before = page.evaluate(SHOWN_SEQS)

    page.evaluate("window.vivaRoom.stream.dropForTest()")
    page.locator("[data-banner=conn]", has_text="Connection lost").wait_for()
    assert page.locator("#conn").inner_text() == "Reconnecting…"
    shot(page, "room-reconnecting")
    page.locator("[data-banner=conn]", has_text="Reconnected").wait_for(timeout=30_000)
    wait_connected(page)
    after = page.evaluate(SHOWN_SEQS)
    assert after[:len(before)] == before, "nothing shown before the drop is lost"
    assert len(after) == len(set(after)), "no turn appears twice"
    # and the interview carries on
    box.fill("The hardest part was the dual-write period; we reconciled nightly.")
    box.press("Control+Enter")
    page.wait_for_function("document.querySelectorAll('#transcript .turn-typed[data-seq]').length === 2",
                           timeout=30_000)
    stored = [t["seq"] for t in get_json(live_server, f"/api/interviews/{interview_id}")["turns"]]
    shown = page.evaluate(SHOWN_SEQS)
    assert {int(s) for s in shown} <= set(stored)


def test_room_controls_mute_end_turn_voice_settings_and_playback_report(live_server, launch, speech_wav):
    browser = launch(audio=speech_wav)
    page = browser.new_page(viewport=DESKTOP)
    page.add_init_script(FAKE_VOICE)
    page.add_init_script("window.__fakeVoiceEndsAfterMs = 50;")  # this voice finishes its sentences
    page.add_init_script(RECORD_SENDS)
    start_interview(page, live_server.url, round_title="Distributed Systems", level="staff")
    # voice settings, by keyboard, before joining; they are remembered
    page.locator("#voice-settings summary").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Speaking rate").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.locator("#rate-out").inner_text() == "1.3×"
    assert page.evaluate("localStorage.getItem('viva.rate')") == "1.3"
    page.get_by_role("button", name="Join the interview").click()
    wait_connected(page)
    assert page.evaluate("document.activeElement.id") == "end-turn"
    # the interviewer's reply is spoken at the chosen rate, and its end is reported with its seq
    page.wait_for_function("window.__vivaSent.includes('playback_done')", timeout=30_000)
    assert page.evaluate("window.__fakeVoice.rates")[0] == pytest.approx(1.3)

    mute = page.get_by_role("button", name="Mute microphone")
    mute.click()
    assert page.locator("#mute").get_attribute("aria-pressed") == "true"
    assert page.locator("#mute").inner_text() == "Unmute microphone"
    frames = page.evaluate("window.__vivaAudio.frames")
    page.wait_for_timeout(600)
    assert page.evaluate("window.__vivaAudio.frames") > frames, "muted audio still flows, as silence"
    assert page.locator("#meter").get_attribute("aria-valuenow") == "0"
    page.locator("#mute").click()
    assert page.locator("#mute").get_attribute("aria-pressed") == "false"

    page.get_by_role("button", name="I'm done answering").click()
    page.wait_for_function("window.__vivaSent.includes('end_turn')")


def reject_mic(name: str) -> str:
    return f"navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('x', '{name}'));"


@pytest.mark.parametrize(("script", "kind", "says"), [
    (reject_mic("NotFoundError"), "no-device", "No microphone was found"),
    (reject_mic("NotReadableError"), "busy", "in use by another application"),
    ("delete window.AudioWorkletNode;", "unsupported", "This browser cannot capture audio"),
])
def test_microphone_problems_are_explained(live_server, launch, script, kind, says):
    page = launch(fake_mic=False).new_page(viewport=DESKTOP)
    page.add_init_script(script)
    start_interview(page, live_server.url, round_title="Coding")
    page.get_by_role("button", name="Join the interview").click()
    message = page.locator("#mic-message")
    message.wait_for()
    assert message.get_attribute("data-kind") == kind
    assert says in message.inner_text() and "typing your answers" in message.inner_text()
    retry = page.get_by_role("button", name="Try the microphone again")
    assert retry.count() == (0 if kind == "unsupported" else 1)
    assert page.get_by_label("Type an answer").is_enabled()
