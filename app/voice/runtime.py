"""The process-wide voice parts, made in the app's lifespan: the transcriber and its pool.

The whisper model is loaded once per process (cached by its settings) in a background thread, so
start-up is not held up and tests that never transcribe pay for it once at most.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI

from app.config import Settings
from app.voice.loop_monitor import LoopMonitor
from app.voice.pool import TranscriptionPool
from app.voice.transcriber import build_transcriber

log = logging.getLogger("viva.stt")


def start_voice(app: FastAPI, settings: Settings) -> None:
    transcriber = build_transcriber(settings)
    app.state.transcriber = transcriber
    app.state.stt_name = transcriber.name
    app.state.stt_pool = TranscriptionPool(transcriber, settings.stt_workers, settings.stt_max_queue)
    app.state.loop_monitor = LoopMonitor()
    app.state.loop_monitor.start()
    if settings.stt_preload:
        task = asyncio.get_running_loop().run_in_executor(None, transcriber.load)
        task.add_done_callback(_report_load)
    log.info("speech to text: %s, %d worker(s), queue bound %d", transcriber.name, settings.stt_workers,
             settings.stt_max_queue)


def _report_load(done: asyncio.Future) -> None:
    if not done.cancelled() and done.exception() is not None:
        log.error("speech model failed to load: %s", done.exception())


async def stop_voice(app: FastAPI) -> None:
    monitor = getattr(app.state, "loop_monitor", None)
    if monitor is not None:
        monitor.stop()
    pool = getattr(app.state, "stt_pool", None)
    if pool is not None:
        await pool.close()
