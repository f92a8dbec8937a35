"""Scorecards: score on demand, read the scorecard, export it, and progress across interviews.

POST /api/interviews/{id}/score          202 {"interview_id", "status": "scoring", "scorecard": url}: scoring
                                         runs in the background; poll the scorecard URL. With ?wait=true it
                                         waits and answers 200 with the scorecard (500 if scoring failed).
                                         409 while the interview is still in progress (created / active).
GET  /api/interviews/{id}/scorecard      the scorecard document (app.scoring.scorecard.ScorecardDoc);
                                         404 when there is none yet (the message gives the status)
GET  /api/interviews/{id}/report.md      Markdown export (attachment)
GET  /api/interviews/{id}/report.json    {"interview", "scorecard", "turns"} (attachment; `viva score`
                                         reads it back)
GET  /api/progress?round=ROUND           per-dimension scores of the caller's scored interviews, oldest first
GET  /api/progress/overview              every round the caller has sessions in, most recently practised first
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app import repository
from app.api.deps import CatalogDep, CurrentUser, OwnedInterview
from app.api.errors import invalid
from app.board import store as board_store
from app.board.svg import render_svg
from app.db import SessionDep
from app.models import Interview, InterviewPublic, InterviewStatus, TurnPublic
from app.scoring.jobs import schedule_scoring
from app.scoring.report import render_markdown
from app.scoring.scorecard import ScorecardDoc
from app.scoring.transcript import from_rows

router = APIRouter(tags=["scorecards"])
IN_PROGRESS = {InterviewStatus.created, InterviewStatus.active, InterviewStatus.paused}


def _scorecard(session: SessionDep, interview: Interview) -> ScorecardDoc:
    card = repository.get_scorecard(session, interview.id)
    if card is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND,
                            f"no scorecard for interview {interview.id} yet (status: {interview.status})")
    return ScorecardDoc.model_validate(card.data)


def _attachment(interview: Interview, ext: str) -> dict[str, str]:
    name = f"viva-interview-{interview.id}-{interview.round_id}.{ext}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.post("/api/interviews/{interview_id}/score", status_code=status.HTTP_202_ACCEPTED,
             responses={200: {"model": ScorecardDoc}, 409: {}})
async def score(interview: OwnedInterview, session: SessionDep, request: Request, wait: bool = False):
    if interview.status in IN_PROGRESS:
        raise HTTPException(status.HTTP_409_CONFLICT, f"interview {interview.id} is still in progress "
                            f"(status: {interview.status}); it can be scored once it has finished")
    interview_id = interview.id
    task = schedule_scoring(request.app, interview_id, on_demand=True)
    url = f"/api/interviews/{interview_id}/scorecard"
    if not wait:
        body = {"interview_id": interview_id, "status": InterviewStatus.scoring.value, "scorecard": url}
        return JSONResponse(body, status_code=status.HTTP_202_ACCEPTED, headers={"Location": url})
    await run_in_threadpool(session.rollback)  # hold no transaction open while the scorer works
    if not await asyncio.shield(task):
        raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, f"scoring interview {interview_id} failed")
    doc = await run_in_threadpool(_scorecard, session, interview)
    return JSONResponse(doc.model_dump(mode="json"))


@router.get("/api/interviews/{interview_id}/scorecard")
def get_scorecard(interview: OwnedInterview, session: SessionDep) -> ScorecardDoc:
    return _scorecard(session, interview)


@router.get("/api/interviews/{interview_id}/report.md", response_class=Response,
            responses={200: {"content": {"text/markdown": {}}}})
def report_markdown(interview: OwnedInterview, session: SessionDep) -> Response:
    doc = _scorecard(session, interview)
    turns = from_rows(repository.list_turns(session, interview.id))
    info = {"id": interview.id, "created_at": interview.created_at}
    board = board_store.latest(session, interview.id)
    svg = render_svg(board.graph, f"Whiteboard of interview {interview.id}") if board.version else None
    return Response(render_markdown(doc, info, turns, board_svg=svg), media_type="text/markdown; charset=utf-8",
                    headers=_attachment(interview, "md"))


@router.get("/api/interviews/{interview_id}/report.json")
def report_json(interview: OwnedInterview, session: SessionDep) -> JSONResponse:
    doc = _scorecard(session, interview)
    body = {
        "interview": InterviewPublic.of(interview, doc.overall).model_dump(mode="json"),
        "scorecard": doc.model_dump(mode="json"),
        "turns": [TurnPublic.model_validate(t, from_attributes=True).model_dump(mode="json")
                  for t in repository.list_turns(session, interview.id)],
    }
    return JSONResponse(body, headers=_attachment(interview, "json"))


class ScorePoint(BaseModel):
    interview_id: int
    date: datetime
    score: int


class DimensionProgress(BaseModel):
    key: str
    name: str
    scores: list[ScorePoint]


class InterviewPoint(BaseModel):
    interview_id: int
    date: datetime
    level: str
    overall: float
    hire_signal: str
    scorer: str


class Progress(BaseModel):
    round: str
    interviews: list[InterviewPoint]
    dimensions: list[DimensionProgress]


@router.get("/api/progress")
def progress(session: SessionDep, user: CurrentUser, catalog: CatalogDep,
             round: Annotated[str, Query(max_length=64, description="round id, e.g. system_design")]) -> Progress:
    rnd = catalog.get(round)
    if rnd is None:
        known = ", ".join(r.id for r in catalog)
        invalid(("query", "round"), f"unknown round '{round}'; choose one of: {known}", round)
    rows = repository.scored_interviews(session, user, rnd.id)
    interviews, scores = [], {d.key: [] for d in rnd.rubric.dimensions}
    for interview, card in rows:
        date = interview.ended_at or interview.created_at
        interviews.append(InterviewPoint(interview_id=interview.id, date=date, level=interview.level,
                                         overall=card.overall, hire_signal=card.hire_signal,
                                         scorer=card.scorer))
        dims: list[dict[str, Any]] = (card.data or {}).get("dimensions", [])
        for d in dims:
            if d.get("key") in scores and d.get("assessed", True):  # not assessed: no point on the trend
                scores[d["key"]].append(ScorePoint(interview_id=interview.id, date=date, score=d["score"]))
    return Progress(round=rnd.id, interviews=interviews, dimensions=[
        DimensionProgress(key=d.key, name=d.name, scores=scores[d.key]) for d in rnd.rubric.dimensions])


class RoundOverview(BaseModel):
    round: str
    title: str
    sessions: int  # interviews of this round, any status
    scored: int
    last_practised: datetime
    latest_overall: float | None  # of the newest scored interview
    latest_hire_signal: str | None
    best_overall: float | None


class Overview(BaseModel):
    latest_round: str | None  # the round practised most recently: the progress page opens on it
    rounds: list[RoundOverview]


@router.get("/api/progress/overview")
def progress_overview(session: SessionDep, user: CurrentUser, catalog: CatalogDep) -> Overview:
    rows: dict[str, RoundOverview] = {}
    for interview, card in repository.interviews_with_scorecards(session, user):  # newest first
        rnd = catalog.get(interview.round_id)
        if rnd is None:
            continue
        date = interview.ended_at or interview.created_at
        row = rows.get(rnd.id)
        if row is None:
            row = rows[rnd.id] = RoundOverview(round=rnd.id, title=rnd.rubric.title, sessions=0, scored=0,
                                               last_practised=date, latest_overall=None,
                                               latest_hire_signal=None, best_overall=None)
        row.sessions += 1
        row.last_practised = max(row.last_practised, date)
        if card is not None:
            row.scored += 1
            if row.latest_overall is None:
                row.latest_overall, row.latest_hire_signal = card.overall, card.hire_signal
            row.best_overall = max(row.best_overall or 0.0, card.overall)
    ordered = sorted(rows.values(), key=lambda r: r.last_practised, reverse=True)
    return Overview(latest_round=ordered[0].round if ordered else None, rounds=ordered)
