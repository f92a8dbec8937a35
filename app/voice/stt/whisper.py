"""faster-whisper in-process: the bundled tiny.en or base, or any CTranslate2 model (VIVA_STT=local)."""

from __future__ import annotations

import functools
import logging
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from app.voice.frames import SAMPLE_RATE
from app.voice.stt.base import Transcript, TranscriptionError, WordTiming, cleaned
from app.voice.stt.model_path import bundled_model_path
from app.voice.stt.sentence_end import EndProbing, EndReader
from app.voice.stt.whisper_batch import tokenizer

log = logging.getLogger("viva.stt")

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
    loaded.model = EndProbing(loaded.model, tokenizer(loaded), lambda r: setattr(_window, "ends", r))
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
        _window.single, _window.count, _window.ends = single, 0, None
        _window.frames = None if self.pad_s is None else window_frames(len(audio), self.pad_s)
        segments = []
        try:
            lazy, _info = model.transcribe(
                audio, language="en", beam_size=self.beam_size, word_timestamps=True,
                without_timestamps=single, condition_on_previous_text=False, initial_prompt=prompt,
                vad_filter=False, max_new_tokens=max_tokens(len(audio)),
                temperature=0.0,  # no sampled fallback: a loop is capped (max_tokens) and cut (base.cleaned)
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
        text = " ".join(s.text.strip() for s in segments if s.text.strip())
        return _with_end(cleaned(Transcript(text, words)), _window.ends)


    def batchable(self, audio: np.ndarray) -> bool:
        return self.batch_size > 1 and len(audio) <= ONE_WINDOW_MAX_S * SAMPLE_RATE

    def transcribe_batch(self, audios: list[np.ndarray], prompts: list[str | None]) -> list[Transcript | Exception]:
        """Several clips in one call (app/voice/stt/whisper_batch.py). One entry per clip: its transcript, or
        its error."""
        from app.voice.stt.whisper_batch import decode_batch

        self.load()
        model = _load_whisper(*self._args)
        try:
            decoded = decode_batch(model, audios, prompts, [window_frames(len(a), self.pad_s) for a in audios],
                                   [max_tokens(len(a)) for a in audios], self.beam_size)
        except Exception as exc:  # noqa: BLE001 - any model failure becomes a reported error
            return [TranscriptionError(f"{type(exc).__name__}: {exc}")] * len(audios)
        out: list[Transcript | Exception] = []
        for text, words, ends in decoded:
            timed = [WordTiming(w["word"].strip(), float(w["start"]), float(w["end"]), float(w["probability"]))
                     for w in words if w["word"].strip()]
            out.append(_with_end(cleaned(Transcript(text, timed)), ends))
        return out


def _with_end(transcript: Transcript, ends: EndReader | None) -> Transcript:
    """The recogniser's P(sentence end) after the words the transcript kept (app/voice/stt/sentence_end.py)."""
    if ends is None or not transcript.text:
        return transcript
    return replace(transcript, end_p=ends.at(transcript.text))


