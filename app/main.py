"""The FastAPI application: routers, the static frontend, and a lifespan that loads shared parts once."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session

from app import __version__, repository
from app.api import health, interviews, rounds, scorecards, stream
from app.catalog import load_catalog
from app.config import Settings, get_settings
from app.db import init_db, make_engine
from app.interviewer import build_brain
from app.scoring import jobs as scoring_jobs
from app.sweeper import start_sweeper, stop_sweeper, sweep_once
from app.voice.runtime import start_voice, stop_voice

log = logging.getLogger("viva")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.settings = settings
        app.state.catalog = load_catalog(settings.rubrics_dir, settings.prompts_dir)
        app.state.engine = make_engine(settings.resolved_database_url)
        app.state.schema_revision = init_db(app.state.engine)  # refuses a database behind or ahead
        app.state.brain = build_brain(settings)
        app.state.brain_name = app.state.brain.name
        app.state.scorer_name = scoring_jobs.get_scorer(app).name
        start_voice(app, settings)
        with Session(app.state.engine) as session:
            repository.ensure_local_user(session)
        await sweep_once(app)  # interviews a dead process left active, paused ones past the grace, unscored
        start_sweeper(app)
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
    for module in (health, rounds, interviews, scorecards, stream):
        app.include_router(module.router)
    if settings.frontend_dir.is_dir():
        app.mount("/", StaticFiles(directory=settings.frontend_dir, html=True), name="frontend")
    return app
