"""The FastAPI application: routers, the static frontend, and a lifespan that loads shared parts once."""

from __future__ import annotations

import asyncio
import gc
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session

from app import __version__, repository
from app.api import auth, board, code, health, interviews, replay, rounds, scorecards, stream
from app.api.errors import install_error_handlers
from app.api.openapi import install_openapi
from app.catalog import load_catalog
from app.config import Settings, get_settings
from app.db import init_db, make_engine
from app.hearing import hearing
from app.interviewer import build_brain
from app.runner import exercises
from app.scoring import jobs as scoring_jobs
from app.security.hosts import HostPolicy
from app.security.logs import quiet_access_log, redact_handlers
from app.security.middleware import GuardMiddleware
from app.security.ratelimit import WindowCounter
from app.sweeper import start_sweeper, stop_sweeper, sweep_once
from app.voice.priority import favour_event_loop, niced_executor
from app.voice.runtime import start_voice, stop_voice

log = logging.getLogger("viva")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        redact_handlers()  # the server has set up logging by now
        app.state.settings = settings
        favour_event_loop()
        # asyncio.to_thread (the interviewer's hearing, the database) and the model loads run below the event
        # loop's priority; so do the threads those models start (CTranslate2's, onnxruntime's)
        asyncio.get_running_loop().set_default_executor(niced_executor(settings.compute_nice, "viva-work"))
        app.state.catalog = load_catalog(settings.rubrics_dir, settings.prompts_dir)
        exercises.load_all(Path(settings.prompts_dir))  # parsed on first use, it held the loop ~60 ms
        app.state.engine = make_engine(settings.resolved_database_url)
        app.state.schema_revision = init_db(app.state.engine)  # refuses a database behind or ahead
        if settings.hearing_preload:  # the embedder and every round's catalog embeddings, before serving
            await asyncio.get_running_loop().run_in_executor(None, hearing.preload, app.state.catalog,
                                                             settings.embed_threads, settings.cache_dir)
        app.state.brain = build_brain(settings)
        app.state.brain_name = app.state.brain.name
        app.state.scorer_name = scoring_jobs.get_scorer(app).name
        await start_voice(app, settings)
        with Session(app.state.engine) as session:
            repository.ensure_local_user(session)
        await sweep_once(app)  # interviews a dead process left active, paused ones past the grace, unscored
        start_sweeper(app)
        # What start-up built (modules, catalog, models, SQLAlchemy metadata) lives as long as the process:
        # frozen out of the collector, a full collection scans only what sessions allocate (measured: a gen2
        # collection held the event loop for 132 ms with 24 live sessions; see app/voice/loop_monitor.py)
        gc.collect()
        gc.freeze()
        app.state.loop_monitor.start()  # measures serving, not start-up
        log.info("viva ready: %d rounds, database %s, interviewer %s, scorer %s", len(app.state.catalog),
                 app.state.engine.dialect.name, app.state.brain_name, app.state.scorer_name)
        try:
            yield
        finally:
            await stop_sweeper(app)
            await stop_voice(app)
            await scoring_jobs.drain(app)
            app.state.engine.dispose()

    app = FastAPI(title="Viva", version=__version__, lifespan=lifespan,
                  description="Voice mock interviewer for backend-engineering interviews")
    app.state.settings = settings
    app.state.login_limiter = WindowCounter(settings.login_max_failures, settings.login_window_s)
    app.state.creation_counter = WindowCounter(settings.max_interviews_per_day, 86_400)
    for module in (health, auth, rounds, interviews, replay, scorecards, stream, board, code):
        app.include_router(module.router)
    install_error_handlers(app, settings.error_echo_chars)
    install_openapi(app)
    app.add_middleware(GuardMiddleware, policy=HostPolicy.from_settings(settings),
                       max_body_bytes=settings.max_body_bytes, ws_max_message_bytes=settings.ws_max_message_bytes)
    quiet_access_log()
    if settings.frontend_dir.is_dir():
        app.mount("/", StaticFiles(directory=settings.frontend_dir, html=True), name="frontend")
    return app
