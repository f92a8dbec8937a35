"""Interviews: create, list (cursor pagination), read with turns, delete."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status

from app import repository
from app.api.deps import CatalogDep, CurrentUser, OwnedInterview
from app.catalog import LEVELS
from app.db import SessionDep
from app.models import InterviewCreate, InterviewDetail, InterviewPage, InterviewPublic, TurnPublic

router = APIRouter(prefix="/api/interviews", tags=["interviews"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_interview(
    body: InterviewCreate, session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> InterviewPublic:
    rnd = catalog.get(body.round)
    if rnd is None:
        known = ", ".join(r.id for r in catalog)
        raise HTTPException(422, f"unknown round '{body.round}'; choose one of: {known}")
    if body.level not in LEVELS or not rnd.questions_for(body.level):
        raise HTTPException(422, f"unknown level '{body.level}'; choose one of: {', '.join(LEVELS)}")
    return InterviewPublic.of(repository.create_interview(session, user, rnd.id, body.level))


@router.get("")
def list_interviews(
    session: SessionDep,
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: str | None = None,
    round: str | None = None,
) -> InterviewPage:
    try:
        rows, next_cursor = repository.list_interviews(session, user, limit, cursor, round)
    except ValueError:
        raise HTTPException(422, "invalid cursor") from None
    overall = repository.overall_scores(session, [r.id for r in rows])
    items = [InterviewPublic.of(r, overall.get(r.id)) for r in rows]
    return InterviewPage(items=items, next_cursor=next_cursor)


@router.get("/{interview_id}")
def get_interview(interview: OwnedInterview, session: SessionDep) -> InterviewDetail:
    overall = repository.overall_scores(session, [interview.id]).get(interview.id)
    turns = [TurnPublic.model_validate(t, from_attributes=True) for t in repository.list_turns(session, interview.id)]
    return InterviewDetail(**InterviewPublic.of(interview, overall).model_dump(), turns=turns)


@router.delete("/{interview_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_interview(interview: OwnedInterview, session: SessionDep) -> Response:
    repository.delete_interview(session, interview)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
