"""The echo guard: the interviewer's own voice fed back into the microphone (delayed, attenuated, with a
little room reverberation and noise) must not start a turn; a candidate talking over it must."""

from __future__ import annotations

import shutil
import subprocess
import wave

import numpy as np
import pytest

from app.voice.echo_guard import EchoGuard, Played, resample
from app.voice.endpointing import Endpointer, SpeechStart
from app.voice.vad import SileroVad

RATE = 16_000
INTERVIEWER = ("Tell me how you would design a rate limiter for a public API. Think about bursts, and about "
               "fairness between users.")
CANDIDATE = "I would use a token bucket per user"


def _espeak(text: str, tmp, rate: int, voice: str = "en-us") -> np.ndarray:
    if not shutil.which("espeak-ng") or not shutil.which("sox"):
        pytest.skip("espeak-ng and sox are needed")
    raw, out = tmp / "raw.wav", tmp / f"out{rate}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", str(rate), "-c", "1", "-b", "16", str(out)], check=True)
    with wave.open(str(out)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").copy()


@pytest.fixture(scope="module")
def voices(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("echo")
    return _espeak(INTERVIEWER, tmp, 22_050), _espeak(CANDIDATE, tmp, RATE, "en-us+m3")


def _room(reference22: np.ndarray, delay_ms: int, level_db: float, candidate: np.ndarray | None,
          at_s: float = 2.5) -> tuple[np.ndarray, int | None]:
    played = resample(reference22.astype(np.float32) / 32768, 22_050)
    n = len(played) + 2 * RATE
    mic = np.random.default_rng(7).normal(0, 0.002, n).astype(np.float32)
    gain, d = 10 ** (level_db / 20), delay_ms * RATE // 1000
    mic[d : d + len(played)] += gain * played
    mic[d + 960 : d + 960 + len(played)] += 0.35 * gain * played[: n - d - 960]  # a reflection 60 ms later
    onset = None
    if candidate is not None:
        onset = int(at_s * RATE)
        mic[onset : onset + len(candidate)] += candidate.astype(np.float32) / 32768
    return mic, onset


def _starts(mic: np.ndarray, reference22: np.ndarray | None) -> list[int]:
    """Stream samples at which the endpointer said speech started (the decision, not the backdated onset)."""
    endpointer, guard, starts = Endpointer(SileroVad()), EchoGuard(), []
    if reference22 is not None:
        guard.add_reference(reference22, 22_050)  # the piece leaves as the stream starts
    for pos in range(0, len(mic), 320):
        frame = mic[pos : pos + 320]
        if reference22 is not None:
            frame = guard.clean(frame)
        if any(isinstance(e, SpeechStart) for e in endpointer.feed(frame)):
            starts.append(pos + 320)
    return starts


@pytest.mark.parametrize(("delay_ms", "level_db"), [(120, -10), (350, -20), (600, -6)])
def test_the_interviewers_own_voice_does_not_start_a_turn(voices, delay_ms, level_db):
    interviewer, _ = voices
    mic, _ = _room(interviewer, delay_ms, level_db, None)
    assert _starts(mic, None), "without the guard the echo is heard as speech (the test can fail)"
    assert _starts(mic, interviewer) == []


@pytest.mark.parametrize(("delay_ms", "level_db"), [(120, -10), (350, -20), (600, -6)])
def test_a_candidate_talking_over_it_is_heard_at_once(voices, delay_ms, level_db):
    interviewer, candidate = voices
    mic, onset = _room(interviewer, delay_ms, level_db, candidate)
    starts = _starts(mic, interviewer)
    assert starts and all(s >= onset for s in starts)
    assert starts[0] - onset <= 300 * RATE // 1000  # within 300 ms of audio after they start


@pytest.mark.parametrize("level_db", [-6, -20])
def test_with_headphones_nothing_comes_back_and_a_candidate_talking_over_it_is_heard(voices, level_db):
    """The reference plays but none of it reaches the microphone (headphones, or the browser's echo
    cancellation took it all): once a second of playing found no echo, the candidate passes untouched, however
    much quieter than the interviewer's voice they speak."""
    interviewer, candidate = voices
    mic, onset = _room(interviewer, 0, -200, candidate, at_s=1.5)  # -200 dB: no echo at all
    mic[onset:] *= 10 ** (level_db / 20)
    starts = _starts(mic, interviewer)
    assert starts and starts[0] >= onset and starts[0] - onset <= 300 * RATE // 1000


def test_without_a_reference_the_microphone_passes_untouched():
    guard, frame = EchoGuard(), np.random.default_rng(1).normal(0, 0.1, 320).astype(np.float32)
    assert guard.clean(frame) is frame and not guard.active


def test_stop_drops_the_reference_not_yet_played():
    guard = EchoGuard()
    guard.add_reference(np.full(22_050, 1000, dtype=np.int16), 22_050)  # 1 s
    guard.clean(np.zeros(3200, dtype=np.float32))
    guard.stop()
    assert len(guard.ref) == 3200 + guard.delay


def test_resample_keeps_the_pitch():
    t = np.arange(22_050) / 22_050
    out = resample((0.5 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32), 22_050)
    assert len(out) == RATE
    assert abs(int(np.argmax(np.abs(np.fft.rfft(out)))) - 1000) <= 1  # 1 Hz bins over 1 s


def test_played_pieces_read_as_one_timeline():
    rng = np.random.default_rng(3)
    pieces = [rng.normal(0, 0.1, n).astype(np.float32) for n in (700, 1, 2500, 300)]
    played = Played()
    played.restart(pieces[0], 1000)
    for piece in pieces[1:]:
        played.append(piece)
    whole = np.concatenate([np.zeros(1000, np.float32), *pieces, np.zeros(500, np.float32)])
    for at, n in ((0, 200), (900, 300), (1650, 100), (1700, 1), (1000, 3501), (0, 5000), (4400, 500)):
        assert np.array_equal(played.window(at, n), whole[at : at + n]), (at, n)
    played.cut_after(1000 + 700 + 1 + 1000)  # mid third piece: what is not played is forgotten
    assert played.end == 2701 and np.array_equal(played.window(2600, 200)[:101], whole[2600:2701])
    assert not played.window(2701, 50).any()
    played.drop_before(1701)  # whole pieces before it go; the one reaching past it stays
    assert played.start == 1701 and len(played) == 1000
    played.cut_after(0)
    assert len(played) == 0 and played.end == 0


def test_a_long_queue_of_sentences_is_not_copied_at_each_new_one():
    guard, sentence = EchoGuard(), np.full(16_000 * 3, 1000, dtype=np.int16)
    for _ in range(40):  # two minutes of replies the client has not played yet
        guard.add_played(sentence)
    guard.add_played(sentence)
    assert len(guard.ref) == 41 * len(sentence) and guard.ref.window(0, 10).any()
    assert len(guard.ref._pieces) == 41  # each sentence kept as it came, none copied into a longer array


def _passed(guard: EchoGuard, mic: np.ndarray, voice: np.ndarray, at: int = 0) -> tuple[float, list[int]]:
    """Feed `mic` from stream sample `at`: the share of the candidate's voiced 20 ms frames (`voice`: their own
    track, same timeline) the guard let through unchanged (not muted, within 6 dB), and where speech started."""
    endpointer, voiced, kept, starts = Endpointer(SileroVad()), 0, 0, []
    for pos in range(0, len(mic) - 319, 320):
        frame = mic[pos : pos + 320]
        out = guard.clean(frame)
        if any(isinstance(e, SpeechStart) for e in endpointer.feed(out)):
            starts.append(at + pos + 320)
        if np.sqrt(np.mean(np.square(voice[pos : pos + 320]))) > 0.01:
            voiced += 1
            kept += bool(np.any(out)) and np.sqrt(np.mean(np.square(out - frame))) <= 0.5 * np.sqrt(
                np.mean(np.square(frame)))
    return kept / max(1, voiced), starts


@pytest.mark.parametrize(("fixture", "at_s"), [("three_turns.wav", 1.2), ("one_turn.wav", 3.0)])
def test_a_chance_likeness_of_the_candidates_voice_to_the_reference_is_no_echo_path(voices, fixture, at_s):
    """Headphones: nothing comes back. The candidate's voice resembles the reference at some lag now and then (a
    shared word, a syllable: here two espeak-ng voices, whose peaks passed MIN_CORRELATION); one such peak made an
    echo path, and the guard then subtracted the reference from the candidate and muted what was left."""
    from tests.voice.fakes import read_wav

    interviewer, _ = voices
    candidate = np.frombuffer(read_wav(fixture), "<i2").astype(np.float32) / 32768
    played = resample(interviewer.astype(np.float32) / 32768, 22_050)
    n, onset = len(played) + RATE, int(at_s * RATE)
    mic = np.random.default_rng(7).normal(0, 0.002, n).astype(np.float32)
    voice = np.zeros(n, dtype=np.float32)
    piece = candidate[: n - onset]
    voice[onset : onset + len(piece)] = piece
    mic += voice
    guard, paths = EchoGuard(), []
    guard.add_reference(interviewer, 22_050)
    original = guard._estimate

    def estimate():
        original()
        paths.append(guard.gain)

    guard._estimate = estimate
    passed, _ = _passed(guard, mic, voice)
    assert max(paths) == 0.0, "no echo came back: no echo path"
    assert passed >= 0.98


@pytest.mark.parametrize("at_s", [0.0, 0.3])
def test_once_a_reply_found_no_echo_the_next_one_is_not_muted_while_searched(voices, at_s):
    """Headphones: the session's first reply found no echo. The next one is searched again (the candidate may
    have taken them off), but the candidate talking over its first second is not muted meanwhile: they were,
    at every new reply, and lost their first words even when the room stopped the voice at once."""
    interviewer, candidate = voices
    first, _ = _room(interviewer, 0, -200, None)  # a reply played to its end, nothing came back
    second, onset = _room(interviewer, 0, -200, candidate, at_s=at_s)
    voice = np.zeros(len(second), dtype=np.float32)
    voice[onset : onset + len(candidate)] = candidate.astype(np.float32) / 32768
    guard = EchoGuard()
    guard.add_reference(interviewer, 22_050)
    for pos in range(0, len(first) - 319, 320):
        guard.clean(first[pos : pos + 320])
    assert not guard.active and guard.gain == 0
    guard.add_reference(interviewer, 22_050)
    passed, starts = _passed(guard, second, voice)
    assert passed >= 0.98
    assert starts and starts[0] >= onset and starts[0] - onset <= 300 * RATE // 1000


def test_a_real_echo_is_still_found_after_a_reply_with_none(voices):
    """The candidate unplugged the headphones: the next reply's echo is found (and kept from starting a turn)
    although that reply is not muted while it is searched for."""
    interviewer, _ = voices
    first, _ = _room(interviewer, 0, -200, None)
    guard = EchoGuard()
    guard.add_reference(interviewer, 22_050)
    for pos in range(0, len(first) - 319, 320):
        guard.clean(first[pos : pos + 320])
    mic, _ = _room(interviewer, 150, -20, None)
    guard.add_reference(interviewer, 22_050)
    for pos in range(0, len(mic) - 319, 320):
        guard.clean(mic[pos : pos + 320])
        if pos == RATE:
            assert guard.gain > 0 and abs(guard.delay - 150 * RATE // 1000) <= 16
