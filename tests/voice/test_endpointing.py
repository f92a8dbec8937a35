"""Endpointing on synthetic audio (an energy detector) and on a real fixture (Silero)."""

from __future__ import annotations

import numpy as np
import pytest

from app.voice.endpointing import (
    DOUBT_HOLD_MS,
    PATIENT_HOLD_MS,
    Chunk,
    ChunkCancelled,
    EndpointConfig,
    Endpointer,
    SpeechEnd,
    SpeechStart,
    TurnEnd,
    hold_ms,
    sounds_finished,
)
from app.voice.vad import SileroVad
from tests.voice.fakes import EnergyDetector, read_wav, silence, tone


def run(ep: Endpointer, audio: np.ndarray, frame_ms: int = 20) -> list:
    step = 16 * frame_ms
    events = []
    for i in range(0, len(audio), step):
        events += ep.feed(audio[i : i + step])
    return events


def kinds(events) -> list[str]:
    return [type(e).__name__ for e in events]


def make(**cfg) -> Endpointer:
    return Endpointer(EnergyDetector(), EndpointConfig(**{"word_wait_ms": 0, **cfg}))


# Thinking pauses run to 1.5 s: mid-thought the turn is held past them (2 s)
@pytest.mark.parametrize(("text", "expected"), [
    (None, 700), ("", 700),
    ("We put a cache in front of the database.", 420),
    ("Is that okay?", 420),
    ("We put a cache in front and", 2000),
    ("We put a cache in front, and.", 2000),
    ("so the writes go to Kafka because", 2000),
    ("um", 2000),
    ("the reads go to the,", 2000),
    ("the reads go to the replica", 700),
    ("For consistency I would use.", 2000),  # a modal and its verb: the object is still to come
    ("and then we'd pick", 2000),
    ("We would use a quorum of two.", 420),
    ("And if a follower doesn't hear one within", 2000),  # a preposition without its object
    ("The retries back off between", 2000),
    ("I was the tech lead on the payments team. And we", 2000),  # a subject without its verb
])
def test_hold_time_follows_the_words(text, expected):
    assert hold_ms(text, 700) == expected


PATIENT, DOUBT = PATIENT_HOLD_MS, DOUBT_HOLD_MS  # (the tables below read best with short names)


@pytest.mark.parametrize(("text", "plain", "patient"), [
    ("There are two options here, first.", 2000, 2000),  # a list item just announced
    ("There are two options here, first a token bucket", 2000, 2000),  # its first words
    ("So the first thing is", 2000, 2000),
    # the item said and the sentence ended: a list does not hold the turn open (the bench's last answer was
    # held 2 s after "... second a sliding window.")
    ("There are two options here, first a token bucket per user, second a sliding window.", 420, PATIENT),
    ("We keep the counters in Redis.", 420, PATIENT),  # short and "complete": an open question waits past 1 s
    # long, but nobody said it ended (the words alone, as from a remote recogniser): deep into an answer a thinking
    # pause follows a finished sentence as often as the end does
    ("First I want to agree on the requirements. We expect about ten thousand requests per second at peak, "
     "mostly reads. Each order is written once and read many times.", 420, PATIENT),
])
def test_lists_in_progress_and_the_question_in_play_hold_longer(text, plain, patient):
    assert hold_ms(text, 700) == plain
    assert hold_ms(text, 700, patient=True) == patient


@pytest.mark.parametrize(("text", "end_p", "plain", "patient"), [
    # the recogniser hears a cut: likely going on, however the fragment is punctuated
    ("We store the sessions in Redis.", 0.6, DOUBT, DOUBT),
    ("The migration took about three weeks", 0.6, DOUBT, DOUBT),  # no sentence end and heard as cut: held
    ("The migration took about three weeks", 0.8, 700, 700),  # no sentence end, heard as one: the base
    ("We store the sessions in Redis.", 0.8, 420, PATIENT),  # heard as an end, not surely: as the words say
    ("We store the sessions in Redis with a one hour expiry on each key.", 0.9, 420, 420),  # surely an end
    # heard as an end, not surely, deep into a long answer: its length does not say it is over
    ("First I want to agree on the requirements. We expect about ten thousand requests per second at peak, "
     "mostly reads. Each order is written once and read many times.", 0.8, 420, PATIENT),
    ("First I want to agree on the requirements. We expect about ten thousand requests per second at peak, "
     "mostly reads. Each order is written once and read many times.", 0.9, 420, 420),  # ... surely: soon
    ("We store the sessions in Redis.", 0.9, 420, PATIENT),  # ... but under ten words: its reason may follow
    ("We store the sessions in Redis.", None, 420, PATIENT),  # not known (a remote recogniser): the words alone
    ("We store the sessions in Redis and", 0.99, 2000, 2000),  # dangling words are never shortened
    ("This greatly simplifies the", 0.3, 2000, 2000),
    # a last word that often dangles, in a sentence the recogniser ends and hears as ended
    ("Was that the kind of example you were looking for?", 0.97, 420, 420),
    ("Let me know if you want me to talk about monitoring as well.", 0.8, 420, PATIENT),
    ("Is that the kind of design you had in mind", 0.6, DOUBT, DOUBT),  # unpunctuated and heard as cut
    ("I'd shard the orders by the", 0.6, 2000, 2000),  # heard as cut and dangling
    ("So the first thing I would do is...", 0.97, 2000, 2000),  # trailing dots are not a sentence end
])
def test_the_recognisers_sense_of_an_ending_adapts_the_hold(text, end_p, plain, patient):
    assert hold_ms(text, 700, end_p=end_p) == plain
    assert hold_ms(text, 700, patient=True, end_p=end_p) == patient


@pytest.mark.parametrize(("text", "end_p"), [
    # a question put to the interviewer or a closing hands the floor over, however unsure the recogniser is and
    # however it punctuates: answered as soon as a complete sentence
    ("Was that the kind of example you were looking for?", 0.6),
    ("Was that the kind of example you were looking for?", None),
    ("We'd shard by tenant. Can I assume the tenants are roughly the same size?", 0.55),
    ("Sorry, could you repeat the second part of the question?", 0.7),
    ("So yeah, that's basically it.", 0.5),
    ("That's it,", 0.4),  # written with a comma
    ("And that's pretty much how I'd approach it.", 0.6),
    ("I think that covers the main pieces.", 0.7),
    ("But I'm happy to dig into any part of it.", 0.6),
])
def test_words_that_hand_the_floor_over_are_answered_soon(text, end_p):
    assert hold_ms(text, 700, end_p=end_p) == 420
    assert hold_ms(text, 700, patient=True, end_p=end_p) == 420


@pytest.mark.parametrize("text", [
    "Okay, let me think about the edge cases.",
    "Hmm. Give me a second.",
    "We could shard it. Let me think through the failure modes.",
])
def test_a_pause_the_candidate_announces_is_waited_out(text):
    for end_p in (None, 0.5, 0.99):
        assert hold_ms(text, 700, end_p=end_p) == 2000
        assert not sounds_finished(text, end_p)


def test_one_utterance_gives_start_pause_chunk_and_turn_end():
    ep = make()
    events = run(ep, np.concatenate([silence(500), tone(1500), silence(1200)]))
    assert kinds(events) == ["SpeechStart", "SpeechEnd", "Chunk", "TurnEnd"]
    start, end, chunk, turn = events
    assert 400 <= start.at_ms <= 520 and 1950 <= end.at_ms <= 2100
    assert chunk.speculative and chunk.start_ms < start.at_ms and chunk.end_ms >= end.at_ms
    assert turn.reason == "silence" and turn.chunks == 1
    assert turn.decided_ms - turn.end_ms >= 700
    assert ep.turn is None


def test_a_short_pause_inside_a_turn_commits_a_long_chunk():
    ep = make()
    events = run(ep, np.concatenate([tone(1500), silence(400), tone(1000), silence(1000)]))
    assert kinds(events) == ["SpeechStart", "SpeechEnd", "Chunk", "SpeechStart", "SpeechEnd", "Chunk",
                             "TurnEnd"]
    first, second = [e for e in events if isinstance(e, Chunk)]
    assert (first.index, second.index) == (0, 1)
    assert second.start_ms == first.end_ms  # chunks tile the turn: no audio twice, none lost
    assert events[-1].chunks == 2 and len({e.turn for e in events}) == 1


def test_a_pause_after_a_short_chunk_cancels_it_and_the_next_chunk_includes_it():
    ep = make()
    events = run(ep, np.concatenate([tone(500), silence(300), tone(1200), silence(1000)]))
    assert kinds(events) == ["SpeechStart", "SpeechEnd", "Chunk", "ChunkCancelled", "SpeechStart",
                             "SpeechEnd", "Chunk", "TurnEnd"]
    first, second = [e for e in events if isinstance(e, Chunk)]
    assert events[3] == ChunkCancelled(first.turn, 0)
    assert second.index == 0 and second.start_ms == first.start_ms
    assert events[-1].chunks == 1


def test_complete_sentence_closes_sooner_and_mid_thought_holds_longer():
    audio = np.concatenate([tone(1500), silence(1000), tone(800), silence(1600)])
    complete, unsure = make(), make()
    for ep, text in ((complete, "We use a cache."), (unsure, "We use a cache and")):
        events = run(ep, audio[: 16 * 1800])  # up to the pause
        chunk = next(e for e in events if isinstance(e, Chunk))
        ep.set_hint(chunk.turn, chunk.index, text)
        events += run(ep, audio[16 * 1800 :])
        ep.events = events
    ends = [e for e in complete.events if isinstance(e, TurnEnd)]
    assert len(ends) == 2  # closed after ~420 ms: the 1000 ms pause separates two turns
    assert ends[0].decided_ms - ends[0].end_ms < 700
    ends = [e for e in unsure.events if isinstance(e, TurnEnd)]
    assert len(ends) == 1  # held open across the pause: one turn of two chunks
    assert ends[0].chunks == 2


def test_without_words_the_turn_waits_a_little_for_them():
    waiting = make(word_wait_ms=300)
    events = run(waiting, np.concatenate([tone(1500), silence(900)]))
    assert "TurnEnd" not in kinds(events)  # 700 ms passed, but the words of the pause are not known yet
    chunk = next(e for e in events if isinstance(e, Chunk))
    waiting.set_hint(chunk.turn, chunk.index, "We use a cache.")
    events = run(waiting, silence(40))
    assert kinds(events) == ["TurnEnd"]  # a complete sentence: closed at once
    late = make(word_wait_ms=300)
    events = run(late, np.concatenate([tone(1500), silence(1200)]))
    end = next(e for e in events if isinstance(e, TurnEnd))
    assert 1000 <= end.decided_ms - end.end_ms < 1100  # no words at all: base + wait, then close


def test_hint_for_a_stale_chunk_is_ignored():
    ep = make()
    run(ep, np.concatenate([tone(1500), silence(300)]))
    ep.set_hint(ep.turn, 5, "and")
    assert ep._hint is None


def test_force_end_while_speaking_keeps_every_sample():
    ep = make()
    audio = np.concatenate([silence(200), tone(1234)])
    events = run(ep, audio, frame_ms=10) + ep.force_end("end_turn")
    assert kinds(events)[-3:] == ["SpeechEnd", "Chunk", "TurnEnd"]
    chunk, turn = events[-2], events[-1]
    assert not chunk.speculative and chunk.end_ms == 1434 and turn.reason == "end_turn"
    assert ep.force_end() == []  # nothing open any more


def test_force_end_in_a_pause_reuses_the_pause_chunk():
    ep = make()
    events = run(ep, np.concatenate([tone(1500), silence(300)]))
    events += ep.force_end("end_turn")
    assert kinds(events) == ["SpeechStart", "SpeechEnd", "Chunk", "TurnEnd"]


def test_max_turn_splits_without_dropping_audio():
    ep = make(max_turn_s=3.0)
    speech = tone(7000)
    events = run(ep, np.concatenate([speech, silence(1000)]))
    ends = [e for e in events if isinstance(e, TurnEnd)]
    assert [e.reason for e in ends] == ["max_length", "max_length", "silence"]
    chunks = [e for e in events if isinstance(e, Chunk)]
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert b.start_ms == a.end_ms
    covered = sum(len(c.audio) for c in chunks)
    assert covered >= len(speech)  # all speech (plus a little pause) is in some chunk
    assert ends[1].start_ms == ends[0].end_ms


def test_long_speech_without_pauses_is_cut_into_whisper_sized_chunks():
    ep = make(max_chunk_s=2.0)
    events = run(ep, np.concatenate([tone(5000), silence(1000)]))
    chunks = [e for e in events if isinstance(e, Chunk)]
    assert [c.index for c in chunks] == [0, 1, 2]
    assert all(len(c.audio) <= 2.1 * 16_000 for c in chunks)
    assert events[-1].chunks == 3


def test_idle_audio_is_not_buffered_forever():
    ep = make()
    run(ep, silence(60_000))
    assert ep.buffer.end - ep.buffer.start < 16_000


def test_silero_finds_the_three_turns_of_the_fixture():
    pcm = read_wav("three_turns.wav")
    audio = np.frombuffer(pcm, "<i2").astype(np.float32) / 32768
    ep = Endpointer(SileroVad())
    events = run(ep, audio)
    ends = [e for e in events if isinstance(e, TurnEnd)]
    assert len(ends) == 3
    # the pauses of the fixture: speech ends ~3.4 s, ~8.0 s, ~12.3 s (0.5 s lead, 1.5 s gaps)
    for end, around in zip(ends, (3400, 8050, 12300), strict=True):
        assert abs(end.end_ms - around) < 400
    assert kinds(events).count("SpeechStart") == 3 and isinstance(events[0], SpeechStart)
    assert all(isinstance(e, (SpeechStart, SpeechEnd, Chunk, TurnEnd)) for e in events)
