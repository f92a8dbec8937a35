"""Speech to text: the providers behind one Protocol (base.py), chosen by VIVA_STT (select.py).

- `whisper.py`: faster-whisper in-process (the bundled tiny.en or base: model_path.py; batched decoding:
  whisper_batch.py);
- `remote.py`: an OpenAI-compatible `/audio/transcriptions` server.
The interviewer's voice (text to speech) is beside them in app/voice/speaker/.
"""

from app.voice.stt.base import (
    PROMPT_BUDGET_CHARS,
    Transcriber,
    Transcript,
    TranscriptionError,
    WordTiming,
    build_prompt,
    cleaned,
    vocabulary_prompt,
    without_loops,
    without_phantom_tail,
)
from app.voice.stt.remote import RemoteTranscriber
from app.voice.stt.select import SttMisconfigured, build_transcriber
from app.voice.stt.whisper import WINDOW_TOKENS, WhisperTranscriber, max_tokens, window_frames

__all__ = ["PROMPT_BUDGET_CHARS", "WINDOW_TOKENS", "RemoteTranscriber", "SttMisconfigured", "Transcriber",
           "Transcript", "TranscriptionError", "WhisperTranscriber", "WordTiming", "build_prompt",
           "build_transcriber", "cleaned", "max_tokens", "vocabulary_prompt", "window_frames", "without_loops",
           "without_phantom_tail"]
