"""Speech to text behind one small Protocol: faster-whisper in-process, or a remote server.

`transcribe()` is blocking and runs in the worker threads of `TranscriptionPool` (app/voice/pool.py),
never on the event loop. Times in a `Transcript` are seconds from the start of the audio given.
"""

from __future__ import annotations

import functools
import io
import logging
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from app.config import Settings
from app.voice.frames import SAMPLE_RATE, encode_pcm16
from app.voice.model_path import BUNDLED, bundled_model_path, resolve_stt_model

log = logging.getLogger("viva.stt")

PROMPT_BUDGET_CHARS = 480  # whisper keeps ~224 prompt tokens; stay well inside (about 4 chars a token)


class TranscriptionError(Exception):
    """The recogniser failed on this audio (the session reports it; other turns go on)."""


@dataclass(frozen=True)
class WordTiming:
    word: str
    start: float
    end: float
    probability: float | None = None


@dataclass(frozen=True)
class Transcript:
    text: str
    words: list[WordTiming] = field(default_factory=list)


LOOP_MIN_WORDS, LOOP_MAX_WORDS, LOOP_REPEATS = 2, 40, 3
LOOP_LONG_WORDS = 6  # a phrase this long is a loop already when heard twice running


def _norm(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalnum())


def without_loops(transcript: Transcript) -> Transcript:
    """Whisper's repetition loop cut back to one occurrence: a phrase of 2-5 words said three or more
    times in a row ("before I start, before I start, before I start, ..." from a short clip decoded with
    its context prompt), or of 6-40 words said twice (a whole sentence decoded again from the silence after
    it), is kept once. People do not say a whole sentence twice running; a single word ("no, no, no") is
    left alone. The text is rebuilt from the words when anything was cut."""
    words = list(transcript.words)
    keys = [_norm(w.word) for w in words]
    i, cut = 0, False
    while i < len(words):
        for n in range(LOOP_MIN_WORDS, LOOP_MAX_WORDS + 1):
            reps = 1
            while keys[i + reps * n:i + (reps + 1) * n] == keys[i:i + n] and i + (reps + 1) * n <= len(keys):
                reps += 1
            if reps >= (LOOP_REPEATS if n < LOOP_LONG_WORDS else 2):
                end = i + reps * n
                while end < len(keys) and end - i - reps * n < n and keys[end] == keys[i + (end - i) % n]:
                    end += 1  # and the loop's last, unfinished pass
                del words[i + n:end], keys[i + n:end]
                cut = True
                break
        i += 1
    if not cut:
        return transcript
    return Transcript(" ".join(w.word for w in words), words)


class Transcriber(Protocol):
    name: str

    def load(self) -> None:
        """Make the first transcribe() fast (load and warm the model); idempotent."""
        ...

    def transcribe(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        """Blocking. `audio`: float32 mono 16 kHz. `prompt`: words that bias recognition."""
        ...


# How the recogniser should spell terms that rubrics list in lower case (names, acronyms, jargon).
SPELLINGS = {t.lower(): t for t in """Redis Kafka Postgres PostgreSQL MySQL NoSQL Cassandra DynamoDB MongoDB
    Memcached RabbitMQ SQS SNS S3 CDN gRPC REST GraphQL JSON UUID UTC TTL LRU QPS DAU MVP SLA SLO SLI RPC API
    WebSocket Kubernetes Docker Raft Paxos CRDT PACELC TrueTime NTP 2PC ACID BASE CAP CTE SQL ETag OAuth JWT
    HTTP HTTPS TCP UDP p99 BFS DFS Dijkstra idempotency idempotent sharding""".split()}


def vocabulary_prompt(terms: list[str], budget: int = PROMPT_BUDGET_CHARS // 2) -> str:
    """A short glossary line from a round's vocabulary, within `budget` characters.

    Whisper gains most from names and jargon it would otherwise misspell: known spellings first
    (Redis, Kafka, gRPC), then long single words (idempotency, denormalize), then short phrases.
    Numbers and everyday phrases are left out: they need no help and would crowd the prompt.
    """
    ranked: dict[str, tuple[int, int, str]] = {}
    for term in terms:
        key = " ".join(term.lower().split())
        if not key or any(c.isdigit() for c in key) or key in ranked:
            continue
        words = key.split()
        if key in SPELLINGS:
            ranked[key] = (0, 0, SPELLINGS[key])
        elif len(words) == 1 and len(key) >= 7:
            ranked[key] = (1, -len(key), term.strip())
        elif len(words) == 2 and all(w in SPELLINGS or len(w) >= 6 for w in words):
            ranked[key] = (2, len(key), " ".join(SPELLINGS.get(w, w) for w in words))
    picked: list[str] = []
    size = 0
    for _, _, term in sorted(ranked.values(), key=lambda r: r[:2]):
        if size + len(term) + 2 <= budget:
            picked.append(term)
            size += len(term) + 2
    return ", ".join(picked) + "." if picked else ""


def build_prompt(glossary: str, previous_text: str = "") -> str | None:
    """Glossary plus the end of what was said just before (context across chunks of one turn)."""
    room = PROMPT_BUDGET_CHARS - len(glossary) - 1
    tail = previous_text[-room:].split(" ", 1)[-1] if len(previous_text) > room else previous_text
    prompt = f"{glossary} {tail}".strip()
    return prompt or None


ONE_WINDOW_MAX_S = 28.0  # clips up to this long are decoded in one window
# Decoding stops after this many tokens per second of audio (plus a few): fast speech is ~5 a second,
# so only a loop reaches it. Measured in the capacity bench: a 4.7 s answer decoded into a loop, then
# the temperature fallback sampled five more decodes: 0.7 s alone, 2.9 s under load, for one clip.
MAX_TOKENS_PER_S, MIN_TOKENS = 8, 16
WINDOW_TOKENS = 220  # whisper's 448 positions less the longest prompt faster-whisper builds (228)


def max_tokens(samples: int) -> int:
    """Most tokens one window of this clip may decode to (longer clips: per 30 s window)."""
    return min(WINDOW_TOKENS, MIN_TOKENS + int(MAX_TOKENS_PER_S * samples / SAMPLE_RATE))
FULL_WINDOW_FRAMES = 3000  # whisper's 30 s window, in 10 ms feature frames
_window = threading.local()


class _TailWindow(Exception):
    """Raised instead of encoding a second window for a clip that fits in one."""


def window_frames(samples: int, pad_s: float) -> int:
    """Encoder input for a clip: its own frames plus `pad_s` of (feature-domain) silence, at most 30 s.

    faster-whisper always pads to the full 30 s window; the encoder's cost grows with its input, and
    CTranslate2 accepts shorter input. Cut right after the speech, decoding loops and repeats; with
    ~3 s of silence after it, it matches the full window (bench/accuracy.py measures both).
    """
    frames = samples // 160 + 1 + round(pad_s * 100)
    return min(FULL_WINDOW_FRAMES, frames + frames % 2)


@functools.lru_cache(maxsize=2)
def _load_whisper(model: str, device: str, compute_type: str, threads: int, workers: int):
    from faster_whisper import WhisperModel

    class OneWindowWhisper(WhisperModel):
        """faster-whisper that encodes only the audio there is, once.

        - The window is cut to the clip plus a little silence (`window_frames`), not padded to 30 s.
        - With word timestamps, faster-whisper seeks back to the last word's end and encodes the rest of
          the clip again as a new window: for our clips (cut at pauses) that rest is the pause, and the
          second encoder pass costs time for no words. Decoding without timestamp tokens keeps every
          decoded token in the first window, so stopping after it drops nothing.
        """

        def encode(self, features):
            if getattr(_window, "single", False):
                _window.count += 1
                if _window.count > 1:
                    raise _TailWindow
                frames = getattr(_window, "frames", None)
                if frames is not None and features.shape[-1] > frames:
                    features = np.ascontiguousarray(features[..., :frames])
            return super().encode(features)

    started = time.perf_counter()
    loaded = OneWindowWhisper(model, device=device, compute_type=compute_type, cpu_threads=threads,
                              num_workers=workers)
    loaded.transcribe(np.zeros(SAMPLE_RATE // 2, dtype=np.float32), language="en", beam_size=1)  # warm up
    log.info("whisper model %s loaded in %.2f s", Path(model).name, time.perf_counter() - started)
    return loaded


class WhisperTranscriber:
    """faster-whisper; the model is loaded once per process, on first use or by load().

    `workers` calls may run at once (CTranslate2 releases the GIL), each on `threads` threads.
    `pad_s`: silence after a clip in its encoder window (None: the full 30 s window).
    `batch_size`: clips the pool may hand over in one `transcribe_batch` call (1: never batched).
    """

    def __init__(self, model: str, device: str = "cpu", compute_type: str = "int8", threads: int = 2,
                 workers: int = 1, beam_size: int = 1, pad_s: float | None = 3.0, label: str | None = None,
                 batch_size: int = 1) -> None:
        self.model_path = model
        bundled = bundled_model_path()
        default_label = "tiny.en" if bundled and Path(model) == bundled else Path(model).name
        self.name = f"faster-whisper:{label or default_label}"
        self._args = (model, device, compute_type, threads, workers)
        self.beam_size = beam_size
        self.pad_s = pad_s
        self.batch_size = batch_size if pad_s is not None else 1  # batches need the cut window
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:  # one load even when two threads ask at once
            _load_whisper(*self._args)

    def transcribe(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        self.load()
        model = _load_whisper(*self._args)
        single = len(audio) <= ONE_WINDOW_MAX_S * SAMPLE_RATE
        _window.single, _window.count = single, 0
        _window.frames = None if self.pad_s is None else window_frames(len(audio), self.pad_s)
        segments = []
        try:
            lazy, _info = model.transcribe(
                audio, language="en", beam_size=self.beam_size, word_timestamps=True,
                without_timestamps=single, condition_on_previous_text=False, initial_prompt=prompt,
                vad_filter=False, max_new_tokens=max_tokens(len(audio)),
                temperature=0.0,  # no sampled fallback: a loop is capped (max_tokens) and cut (without_loops)
            )
            for segment in lazy:  # the generator does the work: consume it here, in the worker
                segments.append(segment)
        except _TailWindow:
            pass
        except Exception as exc:  # noqa: BLE001 - any model failure becomes a reported error
            raise TranscriptionError(f"{type(exc).__name__}: {exc}") from exc
        finally:
            _window.single = False
        words = [WordTiming(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                 for s in segments for w in (s.words or []) if w.word.strip()]
        return without_loops(Transcript(" ".join(s.text.strip() for s in segments if s.text.strip()), words))


    def batchable(self, audio: np.ndarray) -> bool:
        return self.batch_size > 1 and len(audio) <= ONE_WINDOW_MAX_S * SAMPLE_RATE

    def transcribe_batch(self, audios: list[np.ndarray], prompts: list[str | None]) -> list[Transcript | Exception]:
        """Several clips in one call (app/voice/whisper_batch.py). One entry per clip: its transcript, or
        its error."""
        from app.voice.whisper_batch import decode_batch

        self.load()
        model = _load_whisper(*self._args)
        try:
            decoded = decode_batch(model, audios, prompts, [window_frames(len(a), self.pad_s) for a in audios],
                                   [max_tokens(len(a)) for a in audios], self.beam_size)
        except Exception as exc:  # noqa: BLE001 - any model failure becomes a reported error
            return [TranscriptionError(f"{type(exc).__name__}: {exc}")] * len(audios)
        out: list[Transcript | Exception] = []
        for text, words in decoded:
            timed = [WordTiming(w["word"].strip(), float(w["start"]), float(w["end"]), float(w["probability"]))
                     for w in words if w["word"].strip()]
            out.append(without_loops(Transcript(text, timed)))
        return out


def wav_bytes(audio: np.ndarray) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(encode_pcm16(audio))
    return out.getvalue()


class RemoteTranscriber:
    """An OpenAI-compatible /audio/transcriptions endpoint (OpenAI, faster-whisper-server, vLLM...)."""

    def __init__(self, base_url: str, api_key: str | None, model: str, timeout_s: float,
                 http_client: Any = None) -> None:
        from openai import OpenAI

        self.name = f"remote:{model}"
        self.model = model
        self._client = OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout_s,
                              max_retries=1, http_client=http_client)

    def load(self) -> None:
        pass

    def transcribe(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        extra = {"prompt": prompt} if prompt else {}
        try:
            resp = self._client.audio.transcriptions.create(
                model=self.model, file=("utterance.wav", wav_bytes(audio), "audio/wav"), language="en",
                response_format="verbose_json", timestamp_granularities=["word"], **extra,
            )
        except Exception as exc:  # noqa: BLE001 - network, HTTP and parse errors alike
            raise TranscriptionError(f"{type(exc).__name__}: {exc}") from exc
        data = resp.model_dump() if hasattr(resp, "model_dump") else dict(resp)
        raw = data.get("words") or [w for s in data.get("segments") or [] for w in s.get("words") or []]
        words = [WordTiming(str(w["word"]).strip(), float(w["start"]), float(w["end"]), w.get("probability"))
                 for w in raw if str(w.get("word", "")).strip()]
        return without_loops(Transcript(str(data.get("text") or "").strip(), words))


def build_transcriber(settings: Settings) -> Transcriber:
    """The remote recogniser when VIVA_STT_BASE_URL is set, else faster-whisper (model not loaded yet)."""
    if settings.stt_base_url:
        key = settings.stt_api_key.get_secret_value() if settings.stt_api_key else None
        return RemoteTranscriber(settings.stt_base_url, key, settings.stt_remote_model,
                                 settings.stt_timeout_s)
    model = resolve_stt_model(settings.stt_model, settings.data_dir)
    label = settings.stt_model if settings.stt_model in BUNDLED else None
    pad = None if settings.stt_pad_s >= 30 else settings.stt_pad_s
    return WhisperTranscriber(model, settings.stt_device, settings.stt_compute_type, settings.stt_threads,
                              settings.stt_workers, settings.stt_beam_size, pad, label, settings.stt_batch)
