"""The room with the server's voice (Piper): the interviewer's audio arrives over the stream and is played
with Web Audio, its end is acknowledged with `playback_done`, barge-in stops it and the browser's
speechSynthesis is not used. (The browser-voice fallback is what the other room tests run on.)"""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import DESKTOP, browser_settings, serve
from tests.browser.test_interview import RECORD_SENDS, start_interview, wait_connected

pytestmark = pytest.mark.browser

# Counts what reaches speechSynthesis (it must stay unused) and the audio the page schedules.
WATCH_AUDIO = """
(() => {
  window.__synthUsed = 0;
  const speak = window.speechSynthesis && window.speechSynthesis.speak.bind(window.speechSynthesis);
  if (speak) window.speechSynthesis.speak = (u) => { if (u.text) window.__synthUsed += 1; return speak(u); };
  window.__scheduled = 0;
  const start = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function (...args) {
    window.__scheduled += this.buffer ? this.buffer.duration : 0;
    return start.apply(this, args);
  };
})();
"""


def _piper_installed() -> bool:
    from app.voice.speaker import piper_voice
    from app.voice.speaker.base import SpeakerUnavailable

    try:
        piper_voice.voice_files()
    except SpeakerUnavailable:
        return False
    return True


@pytest.fixture(scope="module")
def voice_server(tmp_path_factory):
    if not _piper_installed() and not os.environ.get("VIVA_TEST_BROWSER"):
        pytest.skip("the viva[voice] extra is not installed")
    with serve(browser_settings(tmp_path_factory.mktemp("viva-voice"), tts="piper")) as server:
        yield server


@pytest.fixture(scope="module")
def quiet_wav(tmp_path_factory):
    """A microphone that hears nothing: the candidate's speech would barge in on the opening (the room then
    sends interrupt, not playback_done) whenever a loaded machine synthesizes it late."""
    import numpy as np

    from app.voice.stt.remote import wav_bytes

    path = tmp_path_factory.mktemp("quiet") / "quiet.wav"
    path.write_bytes(wav_bytes(np.zeros(16_000 * 10, dtype=np.float32)))
    return path


def test_the_room_plays_the_server_voice_and_acknowledges_it(voice_server, launch, quiet_wav, console_guard):
    browser = launch(audio=quiet_wav)
    page = browser.new_page(viewport=DESKTOP)
    page.add_init_script(RECORD_SENDS)
    page.add_init_script(WATCH_AUDIO)
    log = console_guard(page)
    start_interview(page, voice_server.url)
    page.get_by_role("button", name="Join the interview").click()
    wait_connected(page)
    page.locator("#transcript .turn-interviewer[data-seq]").first.wait_for(timeout=30_000)
    # the opening's audio was scheduled (seconds of it, not a click), then its end acknowledged
    page.wait_for_function("window.__scheduled > 1.0", timeout=30_000)
    page.wait_for_function("window.__vivaSent.includes('playback_done')", timeout=60_000)
    assert page.evaluate("window.vivaRoom.speech.server") is True
    assert page.evaluate("window.__synthUsed") == 0, "the browser voice stays silent"
    # the room's own stop (as a barge-in does) silences it
    page.evaluate("window.vivaRoom.speech.stop()")
    assert page.evaluate("window.vivaRoom.speech.speaking") is False
    assert [e for e in log if e.startswith("pageerror")] == []
