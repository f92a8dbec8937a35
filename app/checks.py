"""`viva check`: a short diagnosis of what Viva needs to run."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import text

from app.catalog import CatalogError, load_catalog
from app.config import Settings
from app.db import make_engine
from app.runner.check import check_exercises
from app.schema import known_revisions
from app.schema import status as schema_status
from app.voice.stt.model_path import ModelNotFound, resolve_stt_model

Check = tuple[str, bool, str]


def check_catalog(settings: Settings) -> Check:
    try:
        catalog = load_catalog(settings.rubrics_dir, settings.prompts_dir)
    except CatalogError as exc:
        return ("catalog", False, str(exc))
    keyed = [r for r in catalog if r.keys is not None]
    points = sum(len(ps) for r in keyed for ps in r.keys.questions.values())
    myths = [m for r in catalog for m in r.rubric.misconceptions]
    without_truth = [f"{r.id}.{m.id}" for r in catalog for m in r.rubric.misconceptions if not m.truth]
    detail = (f"{len(catalog)} rounds: {', '.join(r.id for r in catalog)}; answer keys for {len(keyed)} "
              f"({points} key points); {len(myths) - len(without_truth)} of {len(myths)} misconceptions with a truth")
    unkeyed = [r.id for r in catalog if r.keys is None]
    if unkeyed:
        detail += f"; no answer key: {', '.join(unkeyed)} (scored by signals only)"
    return ("catalog", True, detail)


def check_hearing(settings: Settings) -> Check:
    from app.hearing.embedder import EmbedderError, MiniLM

    try:
        model = MiniLM(settings.embed_threads)
    except EmbedderError as exc:
        return ("hearing", False, str(exc))
    return ("hearing", True, f"embedder {model.name} (sha256 verified), {settings.embed_threads} thread(s)")


def check_stt(settings: Settings) -> Check:
    if settings.stt == "remote" and not settings.stt_base_url:
        return ("stt", False, "VIVA_STT=remote needs VIVA_STT_BASE_URL")
    if settings.stt_base_url and settings.stt != "local":
        return ("stt", True, f"remote transcription at {settings.stt_base_url}")
    try:
        return ("stt", True, f"faster-whisper model {resolve_stt_model(settings.stt_model, settings.data_dir)}")
    except ModelNotFound as exc:
        return ("stt", False, str(exc))


def check_database(settings: Settings) -> Check:
    url = settings.resolved_database_url
    try:
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current, head = schema_status(engine)
        engine.dispose()
    except Exception as exc:  # any driver error is a failed check, reported without the URL's password
        return ("database", False, f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    if current == head:
        return ("database", True, f"{engine.dialect.name} reachable, schema revision {current}")
    if current is None:  # empty: `viva serve` upgrades it at start-up
        return ("database", True, f"{engine.dialect.name} reachable, no schema yet (created at start-up, "
                                  f"revision {head})")
    if current not in known_revisions():
        return ("database", False, f"{engine.dialect.name} schema revision {current} is unknown to this Viva "
                                   f"(needs {head}): a newer Viva migrated it")
    return ("database", False, f"{engine.dialect.name} schema revision {current}, this Viva needs {head}: "
                               f"run `viva db upgrade`")


def check_llm(settings: Settings) -> Check:
    if not settings.llm_configured:
        return ("llm", True, "not configured: offline interviewer and scorer")
    return ("llm", True, f"{settings.llm_model} at {settings.llm_base_url or 'api.openai.com'}")


def run_checks(settings: Settings) -> Iterator[Check]:
    yield check_catalog(settings)
    yield check_stt(settings)
    yield check_hearing(settings)
    yield check_database(settings)
    yield check_llm(settings)
    yield check_exercises(settings.prompts_dir)
