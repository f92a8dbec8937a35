"""Transcribers: the glossary prompt, the remote (OpenAI-compatible) one, and faster-whisper itself."""

from __future__ import annotations

import json
from difflib import SequenceMatcher
from pathlib import Path

import httpx
import numpy as np
import pytest

from app.config import Settings
from app.voice.stt import (
    PROMPT_BUDGET_CHARS,
    RemoteTranscriber,
    Transcript,
    TranscriptionError,
    WhisperTranscriber,
    build_prompt,
    build_transcriber,
    vocabulary_prompt,
)
from app.voice.stt.model_path import resolve_stt_model
from tests.voice.fakes import read_wav, tone


def test_vocabulary_prompt_puts_names_first_and_stays_short():
    terms = ["cache", "redis", "kafka", "idempotency key", "sharding", "99.9", "back of the envelope",
             "consistent hashing", "denormalization", "Redis"]
    terms += [f"wordy phrase number {i}" for i in range(200)]
    prompt = vocabulary_prompt(terms)
    assert prompt.startswith("Redis, Kafka, sharding")
    assert "99.9" not in prompt and "cache," not in prompt and prompt.count("Redis") == 1
    assert "denormalization" in prompt and "consistent hashing" in prompt
    assert len(prompt) <= PROMPT_BUDGET_CHARS // 2


def test_build_prompt_keeps_the_end_of_earlier_words_within_budget():
    glossary = "Redis, Kafka."
    assert build_prompt("", "") is None
    assert build_prompt(glossary, "") == glossary
    long = " ".join(f"word{i}" for i in range(500))
    prompt = build_prompt(glossary, long)
    assert prompt.startswith(glossary) and prompt.endswith("word499") and len(prompt) <= PROMPT_BUDGET_CHARS


@pytest.mark.parametrize(("previous", "tail"), [
    ("For consistency, I would use a... ... ...", "For consistency, I would use a"),
    ("I would cache the user profiles, because ...", "I would cache the user profiles, because"),
    ("There are two options here. First…", "There are two options here. First"),
    ("We use Redis.", "We use Redis."), ("the reads go to the replica,", "the reads go to the replica,"),
])
def test_the_prompt_leaves_out_a_trailing_ellipsis_of_the_earlier_words(previous, tail):
    assert build_prompt("Redis, Kafka.", previous) == f"Redis, Kafka. {tail}"


def test_settings_choose_the_transcriber(tmp_path):
    remote = build_transcriber(Settings(_env_file=None, stt_base_url="http://stt.local/v1"))
    assert isinstance(remote, RemoteTranscriber) and remote.name == "remote:whisper-1"
    local = build_transcriber(Settings(_env_file=None, stt_base_url=None))
    assert isinstance(local, WhisperTranscriber) and local.model_path == resolve_stt_model(None)


def remote_with(handler) -> RemoteTranscriber:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return RemoteTranscriber("http://stt.local/v1", None, "whisper-large", 5.0, http_client=client)


def test_remote_transcriber_sends_wav_and_reads_word_timestamps():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["path"] = request.url.path
        seen["body"] = request.content
        return httpx.Response(200, json={
            "text": " We use Redis.", "language": "en", "duration": 1.0,
            "words": [{"word": "We", "start": 0.1, "end": 0.3}, {"word": "use", "start": 0.3, "end": 0.5},
                      {"word": "Redis.", "start": 0.5, "end": 0.9}],
        })

    result = remote_with(handler).transcribe(tone(1000), prompt="Redis, Kafka.")
    assert seen["path"] == "/v1/audio/transcriptions"
    body = seen["body"]
    for part in (b"RIFF", b"verbose_json", b"Redis, Kafka.", b"whisper-large", b"word"):
        assert part in body
    assert result.text == "We use Redis."
    assert [(w.word, w.start, w.end) for w in result.words][-1] == ("Redis.", 0.5, 0.9)


def test_remote_words_inside_segments_are_read_too():
    payload = {"text": "hi there", "segments": [{"words": [{"word": "hi", "start": 0, "end": 0.2},
                                                            {"word": "there", "start": 0.2, "end": 0.5}]}]}
    result = remote_with(lambda r: httpx.Response(200, json=payload)).transcribe(tone(500))
    assert [w.word for w in result.words] == ["hi", "there"]


def test_remote_failure_is_a_transcription_error():
    broken = remote_with(lambda r: httpx.Response(500, content=json.dumps({"error": "gpu on fire"})))
    with pytest.raises(TranscriptionError):
        broken.transcribe(tone(500))


@pytest.mark.slow
def test_whisper_transcribes_the_fixture_with_word_times():
    pcm = read_wav("one_turn.wav")
    audio = np.frombuffer(pcm, "<i2").astype(np.float32) / 32768
    stt = WhisperTranscriber(resolve_stt_model(None))
    result = stt.transcribe(audio, prompt="Redis, Kafka, sharding.")
    assert "database" in result.text.lower() and "front" in result.text.lower()
    assert result.words and all(0 <= w.start <= w.end <= len(audio) / 16_000 + 0.5 for w in result.words)
    starts = [w.start for w in result.words]
    assert starts == sorted(starts)


def test_encoder_window_is_the_clip_plus_padding_at_most_30_s():
    from app.voice.stt import window_frames

    assert window_frames(16_000 * 4, 3.0) == 702  # 4 s of audio + 3 s of silence, in 10 ms frames, even
    assert window_frames(16_000 * 29, 3.0) == 3000
    assert window_frames(0, 0.0) % 2 == 0


def test_base_model_is_joined_from_its_packages_and_verified(tmp_path):
    from app.voice.stt import model_path

    try:
        model_path._base_parts()
    except model_path.ModelNotFound as exc:
        pytest.skip(str(exc))
    path = Path(resolve_stt_model("base", tmp_path))
    assert path == tmp_path / "models" / "whisper-base"
    assert {p.name for p in path.iterdir()} >= {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    assert (path / "model.bin.sha256").read_text().strip() == model_path.BASE_SHA256
    (path / "model.bin.sha256").write_text("stale\n")  # a half-written or tampered copy is joined again
    assert Path(resolve_stt_model("base", tmp_path)) == path
    assert (path / "model.bin.sha256").read_text().strip() == model_path.BASE_SHA256
    assert resolve_stt_model("tiny.en", tmp_path) == resolve_stt_model(None, tmp_path)


@pytest.mark.slow
def test_a_batch_hears_what_single_calls_hear():
    """faster-whisper with the bundled model: clips decoded in one batched call (the pool's burst path)
    give the single call's words, with word times inside each clip."""
    pcm = read_wav("one_turn.wav")
    audio = np.frombuffer(pcm, "<i2").astype(np.float32) / 32768
    stt = WhisperTranscriber(resolve_stt_model(None), threads=1, batch_size=4)
    clips = [audio, audio[: len(audio) // 2], audio]
    prompts = ["Redis, Kafka, sharding.", None, "Redis, Kafka, sharding. We keep the counters in Redis."]
    single = [stt.transcribe(c, p) for c, p in zip(clips, prompts, strict=True)]
    batched = stt.transcribe_batch(clips, prompts)
    assert all(isinstance(t, Transcript) for t in batched)
    for one, many, clip in zip(single, batched, clips, strict=True):
        same = SequenceMatcher(None, one.text.lower().split(), many.text.lower().split()).ratio()
        assert same >= 0.7, (one.text, many.text)  # tiny.en is not bit-stable across paddings: nearly the same
        assert many.words and all(0 <= w.start <= w.end <= len(clip) / 16_000 + 0.5 for w in many.words)
        assert [w.start for w in many.words] == sorted(w.start for w in many.words)


def test_decoding_is_capped_by_the_length_of_the_audio():
    """A loop cannot run to whisper's 448 tokens: a clip decodes to at most ~8 tokens a second (fast
    speech is ~5), within one window's room."""
    from app.voice.stt import WINDOW_TOKENS, max_tokens

    assert max_tokens(16_000 * 5) == 56
    assert max_tokens(16_000 * 4) > 4 * 5 * 1.5  # room for fast speech
    assert max_tokens(16_000 * 90) == WINDOW_TOKENS


@pytest.mark.slow
def test_a_silent_clip_in_a_batch_comes_back_empty_and_the_others_keep_their_words():
    pcm = read_wav("one_turn.wav")
    audio = np.frombuffer(pcm, "<i2").astype(np.float32) / 32768
    stt = WhisperTranscriber(resolve_stt_model(None), threads=1, batch_size=4)
    quiet = np.zeros(16_000 * 3, dtype=np.float32)
    got = stt.transcribe_batch([audio, quiet, audio], ["Redis, Kafka."] * 3)
    assert "database" in got[0].text.lower() and got[0].words
    assert got[1].text == stt.transcribe(quiet, "Redis, Kafka.").text
    assert got[2].words and got[2].words[-1].end <= len(audio) / 16_000 + 0.5


@pytest.mark.slow
def test_the_recogniser_hears_where_a_sentence_is_cut_off():
    """The bundled model's P(sentence end) (app/voice/stt/sentence_end.py), read from the decoding itself:
    higher at the end of the fixture's sentence than where it is cut mid-clause, in single and batched
    calls; unknown for a silent clip."""
    from app.voice.endpointing import EndSense

    pcm = read_wav("one_turn.wav")
    audio = np.frombuffer(pcm, "<i2").astype(np.float32) / 32768
    stt = WhisperTranscriber(resolve_stt_model(None), threads=1, batch_size=4)
    whole, cut = stt.transcribe(audio), stt.transcribe(audio[: len(audio) // 2])
    assert 0 <= cut.end_p < whole.end_p <= 1, (cut, whole)
    assert cut.end_p < EndSense().unfinished_below  # the endpointer waits past this pause
    batched = stt.transcribe_batch([audio, audio[: len(audio) // 2], np.zeros(16_000 * 3, np.float32)],
                                   ["Redis."] * 3)
    assert batched[1].end_p < batched[0].end_p and batched[2].end_p is None
