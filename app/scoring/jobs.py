"""Scoring in the background: `schedule_scoring(app, interview_id)` (contract in docs/contracts.md).

Called by the stream session when an interview finishes, and by POST /api/interviews/{id}/score.
It returns at once with an asyncio task (kept in app.state.scoring_tasks until it ends, so it is not
garbage-collected; a second call while one runs returns the running task). The task *claims* the
interview in the database (status -> "scoring" with a claim token, in one conditional UPDATE), so
across processes sharing one database exactly one scores it; a claim older than SCORING_STALE_S (its
process died) may be taken over. It runs the scorer in a worker thread (DB reads and writes too, so the
event loop never blocks), stores the scorecard (one per interview, replaced on re-scoring) and sets
"scored"; any error sets "failed" (it can be retried on demand). A scorer that refines an offline card
with a model (scorer.RefiningScorer: the LLM scorer, when its measured trust lets the model move scores)
gets two stores: the offline card at once, marked `refining_with` (the claim stays, renewed), then the
refined card, marked `refined_by`, which replaces it and sets "scored". A refinement that raises leaves
the offline card as the final one. At shutdown `drain(app)` waits a
little for running tasks, then cancels them (their interviews are marked "failed").
Logs carry the interview id, the scorer, sizes and durations, never transcript text.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col
from starlette.concurrency import run_in_threadpool

from app import repository
from app.catalog import Round
from app.lifecycle import cutoff
from app.models import Interview, InterviewStatus, utcnow
from app.scoring.code_runs import RunRecord, apply_runs
from app.scoring.scorecard import ScorecardDoc
from app.scoring.scorer import RefiningScorer, Scorer, build_scorer
from app.scoring.transcript import TranscriptTurn, from_rows

log = logging.getLogger("viva.scoring")

SCORING_STALE_S = 900.0  # a "scoring" claim older than this was left by a dead process
S = InterviewStatus
AUTO_SOURCES = (S.finished, S.abandoned, S.scoring)  # scored on their own (start-up, sweep, finish)


def _tasks(app: Any) -> dict[int, asyncio.Task[bool]]:
    tasks = getattr(app.state, "scoring_tasks", None)
    if tasks is None:
        tasks = app.state.scoring_tasks = {}
    return tasks


def get_scorer(app: Any) -> Scorer:
    """The app's scorer, built once from its settings (tests may put another in app.state.scorer)."""
    scorer = getattr(app.state, "scorer", None)
    if scorer is None:
        scorer = app.state.scorer = build_scorer(app.state.settings)
    return scorer


def schedule_scoring(app: Any, interview_id: int, on_demand: bool = False) -> asyncio.Task[bool]:
    """Start scoring the interview in the background (call from the event loop); returns the task.

    `on_demand` (POST .../score) may also re-score a scored or failed interview."""
    tasks = _tasks(app)
    running = tasks.get(interview_id)
    if running is not None and not running.done():
        return running
    task = asyncio.get_running_loop().create_task(score_interview(app, interview_id, on_demand),
                                                  name=f"viva-score-{interview_id}")
    tasks[interview_id] = task

    def _forget(done: asyncio.Task[bool]) -> None:
        if tasks.get(interview_id) is done:
            del tasks[interview_id]

    task.add_done_callback(_forget)
    return task


def is_scoring(app: Any, interview_id: int) -> bool:
    task = _tasks(app).get(interview_id)
    return task is not None and not task.done()


def _claim(session: Session, interview_id: int, token: str, on_demand: bool) -> bool:
    fresh_claim = (col(Interview.status) != S.scoring) | (col(Interview.scoring_claimed_at) < cutoff(SCORING_STALE_S))
    return repository.transition(session, interview_id, S.scoring, only_from=None if on_demand else AUTO_SOURCES,
                                 where=(or_(fresh_claim, col(Interview.scoring_claimed_at).is_(None)),),
                                 scoring_owner=token, scoring_claimed_at=utcnow())


def _begin(app: Any, interview_id: int, token: str,
           on_demand: bool) -> tuple[Round, str, list[TranscriptTurn], list[RunRecord]] | None:
    with Session(app.state.engine) as session:
        if not _claim(session, interview_id, token, on_demand):
            log.info("scoring interview %d: not claimed (gone, already scored, or scored elsewhere)", interview_id)
            return None
        interview = session.get(Interview, interview_id)
        rnd = app.state.catalog.get(interview.round_id)
        if rnd is None:
            raise LookupError(f"round {interview.round_id!r} is not in the catalog")
        return (rnd, interview.level, from_rows(repository.list_turns(session, interview_id)),
                run_records(session, interview_id))


def _store(app: Any, interview_id: int, token: str, doc: ScorecardDoc, final: bool = True) -> bool:
    """Save the card while this process still holds the claim; `final` sets "scored", else the claim stays
    (an interim offline card shown while an LLM refines it) and its time is renewed."""
    with Session(app.state.engine) as session:
        to, renew = (S.scored, {}) if final else (S.scoring, {"scoring_claimed_at": utcnow()})
        if not repository.transition(session, interview_id, to, commit=False,
                                     where=(col(Interview.scoring_owner) == token,), **renew):
            session.rollback()  # deleted while it was scored, or the claim was taken over
            return False
        repository.save_scorecard(session, interview_id, scorer=doc.scorer, overall=doc.overall,
                                  hire_signal=doc.hire_signal, data=doc.model_dump(mode="json"))
        return True


def _with_board(app: Any, interview_id: int, rnd: Any, turns: list, doc: ScorecardDoc) -> ScorecardDoc:
    """The drawing as evidence beside the dimensions it shows (app/board/evidence.py)."""
    from app.board import evidence, store

    with Session(app.state.engine) as session:
        versions = store.history(session, interview_id)
    return evidence.attach(doc, rnd, versions, evidence.question_ids(turns)) if versions else doc


def _mark_failed(app: Any, interview_id: int, token: str) -> None:
    try:
        with Session(app.state.engine) as session:
            repository.transition(session, interview_id, S.failed, where=(col(Interview.scoring_owner) == token,))
    except Exception as exc:  # the store itself is failing: nothing more to do than say so
        log.error("could not mark interview %d as failed: %s", interview_id, type(exc).__name__)


def _refined(scorer: RefiningScorer, offline: ScorecardDoc, rnd: Round, level: str,
             turns: list[TranscriptTurn]) -> ScorecardDoc:
    """The refinement, or the offline card (as the final one) when the refinement itself fails."""
    try:
        return scorer.score(rnd, level, turns)
    except Exception as exc:  # the LLM scorer falls back by itself; this is a bug or a broken store
        log.error("LLM refinement failed (%s): the offline scorecard stands", type(exc).__name__)
        return offline.model_copy(update={"notes": [
            *offline.notes, f"The LLM refinement failed ({type(exc).__name__}); this is the offline scorecard."]})


async def score_interview(app: Any, interview_id: int, on_demand: bool = False) -> bool:
    """Score one interview now (if this process wins the claim); True when a scorecard was stored."""
    started = time.perf_counter()
    token = uuid.uuid4().hex
    try:
        job = await run_in_threadpool(_begin, app, interview_id, token, on_demand)
        if job is None:
            return False
        rnd, level, turns, runs = job
        scorer = get_scorer(app)

        async def finished(doc: ScorecardDoc) -> ScorecardDoc:  # whichever scorer: runs, id, the drawing
            doc = apply_runs(doc, rnd, runs)  # hidden-test results weigh on correctness
            doc = doc.model_copy(update={"interview_id": interview_id})
            return await run_in_threadpool(_with_board, app, interview_id, rnd, turns, doc)

        model = await run_in_threadpool(scorer.refinement) if isinstance(scorer, RefiningScorer) else None
        if model:  # the offline card at once; the model's refinement replaces it when ready
            offline = await run_in_threadpool(scorer.offline.score, rnd, level, turns)
            interim = await finished(offline.model_copy(update={"refining_with": model}))
            if not await run_in_threadpool(_store, app, interview_id, token, interim, False):
                return False
            log.info("interview %d: offline scorecard stored in %.0f ms; refining with the LLM", interview_id,
                     (time.perf_counter() - started) * 1000)
            doc = await run_in_threadpool(_refined, scorer, offline, rnd, level, turns)
        else:
            doc = await run_in_threadpool(scorer.score, rnd, level, turns)
        doc = await finished(doc)
        if not await run_in_threadpool(_store, app, interview_id, token, doc):
            return False
    except asyncio.CancelledError:
        _mark_failed(app, interview_id, token)
        raise
    except Exception as exc:
        log.error("scoring interview %d failed: %s", interview_id, type(exc).__name__)
        await run_in_threadpool(_mark_failed, app, interview_id, token)
        return False
    log.info("scored interview %d: scorer=%s overall=%.2f turns=%d in %.0f ms", interview_id, doc.scorer,
             doc.overall, len(turns), (time.perf_counter() - started) * 1000)
    return True


async def drain(app: Any, timeout_s: float = 10.0) -> None:
    """Wait up to `timeout_s` for running scoring tasks, then cancel the rest (at shutdown)."""
    pending = [t for t in _tasks(app).values() if not t.done()]
    if not pending:
        return
    _, still = await asyncio.wait(pending, timeout=timeout_s)
    for task in still:
        task.cancel()
    if still:
        await asyncio.gather(*still, return_exceptions=True)


def _unscored(app: Any) -> list[int]:
    from sqlmodel import select

    stale = cutoff(SCORING_STALE_S)
    query = select(Interview.id).where(col(Interview.status).in_((S.finished, S.abandoned)) | (
        (col(Interview.status) == S.scoring) & ((col(Interview.scoring_claimed_at) < stale)
                                                | col(Interview.scoring_claimed_at).is_(None))))
    with Session(app.state.engine) as session:
        return list(session.exec(query))


async def resume_unscored(app: Any) -> list[int]:
    """At start-up and in the sweep: schedule interviews finished or abandoned but never scored, and
    those whose scoring claim went stale (its process died). The database claim keeps it to one."""
    ids = await run_in_threadpool(_unscored, app)
    for interview_id in ids:
        schedule_scoring(app, interview_id)
    if ids:
        log.info("resuming scoring of %d interview(s) left unscored", len(ids))
    return ids


def run_records(session: Session, interview_id: int) -> list[RunRecord]:
    from app.runner.store import runs_of

    return [RunRecord(question_id=r.question_id, language=r.language, mode=r.mode, status=r.status,
                      passed=r.passed, total=r.total, code=r.code, result=r.result, at_ms=r.at_ms)
            for r in runs_of(session, interview_id)]
