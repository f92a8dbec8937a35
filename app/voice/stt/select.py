"""Which speech-to-text provider serves: VIVA_STT (`auto`: remote when VIVA_STT_BASE_URL is set, else local)."""

from __future__ import annotations

from app.config import Settings
from app.voice.stt.base import Transcriber
from app.voice.stt.model_path import BUNDLED, resolve_stt_model
from app.voice.stt.remote import RemoteTranscriber
from app.voice.stt.whisper import WhisperTranscriber


class SttMisconfigured(Exception):
    pass


def build_transcriber(settings: Settings) -> Transcriber:
    """VIVA_STT: `remote` (VIVA_STT_BASE_URL, required), `local` (faster-whisper, model not loaded yet), or
    `auto`: remote when VIVA_STT_BASE_URL is set, else local."""
    if settings.stt == "remote" and not settings.stt_base_url:
        raise SttMisconfigured("VIVA_STT=remote needs VIVA_STT_BASE_URL (an OpenAI-compatible server)")
    if settings.stt_base_url and settings.stt != "local":
        key = settings.stt_api_key.get_secret_value() if settings.stt_api_key else None
        return RemoteTranscriber(settings.stt_base_url, key, settings.stt_remote_model,
                                 settings.stt_timeout_s)
    model = resolve_stt_model(settings.stt_model, settings.data_dir)
    label = settings.stt_model if settings.stt_model in BUNDLED else None
    pad = None if settings.stt_pad_s >= 30 else settings.stt_pad_s
    return WhisperTranscriber(model, settings.stt_device, settings.stt_compute_type, settings.stt_threads,
                              settings.stt_workers, settings.stt_beam_size, pad, label, settings.stt_batch)
