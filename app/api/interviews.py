"""Interviews: create, list (cursor pagination), read with turns, delete."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app import repository
from app.api.deps import CatalogDep, CurrentUser, OwnedInterview
from app.api.errors import invalid
from app.catalog import LEVELS
from app.db import SessionDep
from app.models import InterviewCreate, InterviewDetail, InterviewPage, InterviewPublic, TurnPublic
from app.security.quotas import check_interview_quota

router = APIRouter(prefix="/api/interviews", tags=["interviews"])


@router.post("", status_code=status.HTTP_201_CREATED,
             responses={429: {"description": "too many interviews in progress, or today (VIVA_MAX_*)"}})
def create_interview(
    body: InterviewCreate, session: SessionDep, user: CurrentUser, catalog: CatalogDep, request: Request
) -> InterviewPublic:
    rnd = catalog.get(body.round)
    if rnd is None:
        known = ", ".join(r.id for r in catalog)
        invalid(("body", "round"), f"unknown round '{body.round}'; choose one of: {known}", body.round)
    if body.level not in LEVELS or not rnd.questions_for(body.level):
        invalid(("body", "level"), f"unknown level '{body.level}'; choose one of: {', '.join(LEVELS)}", body.level)
    check_interview_quota(session, user, request.app.state.settings, request.app.state.creation_counter)
    return InterviewPublic.of(repository.create_interview(session, user, rnd.id, body.level))


@router.get("")
def list_interviews(
    session: SessionDep,
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    round: Annotated[str | None, Query(max_length=64)] = None,
) -> InterviewPage:
    try:
        rows, next_cursor = repository.list_interviews(session, user, limit, cursor, round)
    except ValueError:
        invalid(("query", "cursor"), "invalid cursor", cursor)
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
