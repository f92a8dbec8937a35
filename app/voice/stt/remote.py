"""A remote OpenAI-compatible `/audio/transcriptions` server (VIVA_STT=remote, VIVA_STT_BASE_URL)."""

from __future__ import annotations

import io
import wave
from typing import Any

import numpy as np

from app.voice.frames import SAMPLE_RATE, encode_pcm16
from app.voice.stt.base import Transcript, TranscriptionError, WordTiming, cleaned


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
        return cleaned(Transcript(str(data.get("text") or "").strip(), words))


