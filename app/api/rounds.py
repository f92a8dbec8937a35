"""The round catalog over HTTP. The question bank stays private: it is the interviewer's."""

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel

from app.api.deps import CatalogDep
from app.catalog import LEVELS, Phase, Round


class DimensionSummary(BaseModel):
    key: str
    name: str
    weight: float
    assesses: str


class DimensionDetail(DimensionSummary):
    anchors: dict[int, str]
    red_flags: list[str]


class RoundSummary(BaseModel):
    id: str
    title: str
    description: str
    duration_minutes: float
    levels: list[str]
    phases: list[Phase]
    dimensions: list[DimensionSummary]


class RoundDetail(RoundSummary):
    dimensions: list[DimensionDetail]


def _levels(rnd: Round) -> list[str]:
    present = {lvl for q in rnd.prompt.questions for lvl in q.levels}
    return [lvl for lvl in LEVELS if lvl in present]


def _summary(rnd: Round, model: type[RoundSummary]) -> RoundSummary:
    r = rnd.rubric
    return model(
        id=r.id,
        title=r.title,
        description=r.description,
        duration_minutes=r.duration_minutes,
        levels=_levels(rnd),
        phases=list(r.phases),
        dimensions=[d.model_dump() for d in r.dimensions],
    )


router = APIRouter(prefix="/api/rounds", tags=["rounds"])


@router.get("")
def list_rounds(catalog: CatalogDep) -> list[RoundSummary]:
    return [_summary(rnd, RoundSummary) for rnd in catalog]


@router.get("/{round_id}", responses={404: {"description": "unknown round"}})
def get_round(round_id: str, catalog: CatalogDep) -> RoundDetail:
    rnd = catalog.get(round_id)
    if rnd is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"unknown round '{round_id[:64]}'")
    return _summary(rnd, RoundDetail)
