"""VIVA_STT picks the speech-to-text provider explicitly (app/voice/stt/select.py)."""

from __future__ import annotations

import pytest

from app.checks import check_stt
from app.voice.stt import RemoteTranscriber, SttMisconfigured, WhisperTranscriber, build_transcriber


def test_auto_follows_the_base_url(settings):
    assert isinstance(build_transcriber(settings), WhisperTranscriber)
    remote = settings.model_copy(update={"stt_base_url": "http://127.0.0.1:9/v1"})
    assert isinstance(build_transcriber(remote), RemoteTranscriber)


def test_local_ignores_a_base_url_and_remote_needs_one(settings):
    local = settings.model_copy(update={"stt": "local", "stt_base_url": "http://127.0.0.1:9/v1"})
    assert isinstance(build_transcriber(local), WhisperTranscriber)
    assert check_stt(local)[1] and "faster-whisper" in check_stt(local)[2]
    remote = settings.model_copy(update={"stt": "remote"})
    with pytest.raises(SttMisconfigured, match="VIVA_STT_BASE_URL"):
        build_transcriber(remote)
    assert check_stt(remote)[1] is False
