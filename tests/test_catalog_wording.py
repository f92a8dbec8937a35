"""The interviewer asks one question at a time: no spoken line of the catalog or of the canned phrases
holds two question marks ("Why X? What about Y?"), because a candidate answers only one of them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.catalog import Round, load_catalog
from app.config import ROOT
from app.interviewer import phrases

MAX_QUESTION_MARKS = 1


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "rubrics", ROOT / "prompts")


def spoken_lines(rnd: Round) -> Iterator[tuple[str, str]]:
    """Every string of a round the interviewer says aloud, with where it comes from."""
    prompt = rnd.prompt
    for kind, lines in prompt.specifics.items():
        for i, line in enumerate(lines):
            yield f"specifics.{kind}[{i}]", line
    for fact in prompt.facts:
        yield f"facts.{fact.id}.answer", fact.answer
    for q in prompt.questions:
        yield f"questions.{q.id}.text", q.text
        yield f"questions.{q.id}.hint", q.hint
        for j, probe in enumerate(q.probes):
            yield f"questions.{q.id}.probes[{j}].text", probe.text
            yield f"questions.{q.id}.probes[{j}].hint", probe.hint
        for fact in q.facts:
            yield f"questions.{q.id}.facts.{fact.id}.answer", fact.answer
    for phase in rnd.rubric.phases:
        if phase.announce:
            yield f"phases.{phase.key}.announce", phase.announce


def canned_phrases() -> Iterator[tuple[str, str]]:
    """The offline interviewer's spoken lines in app/interviewer/phrases.py (public constants)."""
    for name, value in vars(phrases).items():
        if not name.isupper():
            continue
        if isinstance(value, str):
            yield name, value
        elif isinstance(value, dict):
            for key, lines in value.items():
                for i, line in enumerate(lines):
                    yield f"{name}[{key}][{i}]", line
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                # CANDIDATE_ANSWERS pairs a pattern with the spoken answer
                line = item[-1] if isinstance(item, tuple) else item
                if isinstance(line, str):
                    yield f"{name}[{i}]", line


def test_catalog_has_spoken_lines(catalog):
    for rnd in catalog:
        where = [w for w, _ in spoken_lines(rnd)]
        assert any(".probes[" in w for w in where) and any(w.endswith(".text") for w in where), rnd.id


def test_every_catalog_line_asks_one_question(catalog):
    offenders = [f"{rnd.id}: {where}: {line}"
                 for rnd in catalog for where, line in spoken_lines(rnd)
                 if line.count("?") > MAX_QUESTION_MARKS]
    assert not offenders, "ask one question per line:\n" + "\n".join(offenders)


def test_every_canned_phrase_asks_one_question():
    lines = list(canned_phrases())
    assert len(lines) > 20  # the collector found the phrases
    offenders = [f"{where}: {line}" for where, line in lines if line.count("?") > MAX_QUESTION_MARKS]
    assert not offenders, "ask one question per line:\n" + "\n".join(offenders)
