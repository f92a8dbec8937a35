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
