"""The process-wide voice parts, made in the app's lifespan: the transcriber and its pool.

The whisper model (cached by its settings) and the VAD model are loaded once per process, in a thread,
before the app serves (VIVA_STT_PRELOAD): loading while streams are open held the event loop for up to
~100 ms, and the first stream loaded the VAD model on the loop.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI

from app.config import Settings
from app.voice.loop_monitor import LoopMonitor
from app.voice.pool import TranscriptionPool
from app.voice.smart_turn import SmartTurn, TurnModelMissing, TurnScorer
from app.voice.speaker.base import SpeakerUnavailable
from app.voice.speaker.stream import SpeakerPool
from app.voice.stt import build_transcriber
from app.voice.vad import SileroVad

log = logging.getLogger("viva.stt")


async def start_voice(app: FastAPI, settings: Settings) -> None:
    import faster_whisper.vad  # noqa: F401 - imported here, before serving: a first import in the preload
    # thread runs module code under the GIL and held the event loop for ~100 ms while streams were open

    transcriber = build_transcriber(settings)
    app.state.transcriber = transcriber
    app.state.stt_name = transcriber.name
    app.state.stt_pool = TranscriptionPool(transcriber, settings.stt_workers, settings.stt_max_queue,
                                           nice=settings.compute_nice)
    if settings.stt_preload:  # before serving: loading holds the GIL in bursts (~75 ms stalls measured)
        try:
            await asyncio.get_running_loop().run_in_executor(None, _preload, transcriber)
        except Exception as exc:  # noqa: BLE001 - the first transcription tries again and reports it
            log.error("speech model failed to load: %s", exc)
    app.state.turn_scorer = await _turn_scorer(settings)
    app.state.speaker_pool = await _speaker_pool(settings)
    app.state.loop_monitor = LoopMonitor()  # started by the app once start-up is over (app/main.py)
    log.info("speech to text: %s, %d worker(s), queue bound %d", transcriber.name, settings.stt_workers,
             settings.stt_max_queue)


def _preload(transcriber) -> None:
    """In a thread: the Whisper model, and the VAD model every stream uses (loading it in the first
    stream's constructor held the event loop for 135 ms)."""
    transcriber.load()
    SileroVad()


async def _turn_scorer(settings: Settings) -> TurnScorer | None:
    """The smart-turn model, loaded in a thread before serving; None when off or (auto) not installed."""
    if settings.turn_model == "off":
        return None
    model = SmartTurn()
    try:
        await asyncio.get_running_loop().run_in_executor(None, model.load)
    except TurnModelMissing as exc:
        if settings.turn_model == "smart-turn":
            raise
        log.info("turn model off: %s", exc)
        return None
    log.info("turn model: %s, P(complete) >= %.2f ends a turn at the first pause", model.name,
             settings.turn_complete_at)
    return TurnScorer(model, nice=settings.worker_nice)


async def _speaker_pool(settings: Settings) -> SpeakerPool | None:
    """The server voice, loaded in a thread before serving; None: the browser speaks (VIVA_TTS=browser, or
    auto without the `viva[voice]` extra)."""
    if settings.tts == "browser":
        return None
    from app.voice.speaker.piper_voice import PiperSpeaker

    speaker = PiperSpeaker()
    try:
        await asyncio.get_running_loop().run_in_executor(None, speaker.load)
    except SpeakerUnavailable as exc:
        if settings.tts == "piper":
            raise
        log.info("server voice off (the browser speaks): %s", exc)
        return None
    log.info("server voice: %s, %d worker(s)", speaker.name, settings.tts_workers)
    return SpeakerPool(speaker, settings.tts_workers, cache_s=settings.tts_cache_s, nice=settings.worker_nice)


async def stop_voice(app: FastAPI) -> None:
    monitor = getattr(app.state, "loop_monitor", None)
    if monitor is not None:
        monitor.stop()
    pool = getattr(app.state, "stt_pool", None)
    if pool is not None:
        await pool.close()
    for part in ("turn_scorer", "speaker_pool"):
        if getattr(app.state, part, None) is not None:
            getattr(app.state, part).close()
