"""The offline interviewer on the harness (app/interviewer/evaluation.py): issue 9's targets."""

from __future__ import annotations

import pytest

from app.interviewer import OfflineBrain
from app.interviewer import personas as PS
from app.interviewer.evaluation import Report, evaluate, format_table, run_session
from tests.interviewer.conftest import ROUND_IDS


async def test_offline_rates(catalog):
    report = await evaluate(catalog, OfflineBrain(), answers=20)
    print(format_table({"offline": report}))
    assert report.sessions == 6 * 3 * len(PS.PERSONAS) * 2
    assert report.clarify_fact.rate >= 0.9, report.failures
    assert report.off_topic_redirected.rate >= 0.9, report.failures
    assert report.dont_know_probe_hint.rate >= 0.9
    assert report.repeated_questions == 0
    assert report.markdown.hits == 0
    assert report.multi_question.hits == 0, [f for f in report.failures if f.startswith("two questions")]
    assert report.all_phases.rate == 1.0
    assert min(report.dims_reached_20) >= 5
    # a follow-up restates what the candidate said (anchor.echo_lead) whenever the answer has something to pick up
    assert report.refers_to_answer.rate >= 0.8, report.failures
    # ... as a person would: never a cut clause, and not "You said ..." every time (issue 19)
    assert report.fragments.hits == 0, [f for f in report.failures if f.startswith("fragment")]
    assert report.you_said.rate <= 1 / 3
    # deep rounds stay on one problem and walk every phase of it
    assert report.one_problem.rate >= 0.9 and report.problem_phases.rate == 1.0
    # follow-ups seek answer-key points not yet made; answers to another problem are redirected
    assert report.key_gap.rate >= 0.8
    # by meaning only in deep rounds (app/interviewer/interviewer.py _hear): series rounds' follow-ups were
    # taken for other questions
    assert report.other_redirected_deep.rate >= 0.85, report.other_redirected_deep
    # issue 22: the drawing persona's design rounds (a board drawn): follow-ups name drawn components, never others
    assert report.board_follow_ups.rate >= 0.5 and report.board_undrawn == 0
    assert report.board_contradiction.rate == 1.0, report.failures


@pytest.mark.parametrize("typed", [True, False])
async def test_vague_is_always_followed_up(catalog, typed):
    report = Report()
    for round_id in ROUND_IDS:
        await run_session(catalog.get(round_id), "senior", OfflineBrain(), "vague", typed, 20, report)
    assert report.vague_followed_up.rate == 1.0, report.failures


@pytest.mark.parametrize("round_id", ROUND_IDS)
async def test_twenty_typed_answers_reach_every_phase_and_probe_five_dimensions(catalog, round_id):
    report = Report()
    await run_session(catalog.get(round_id), "senior", OfflineBrain(), "vague", True, 20, report)
    assert report.all_phases.rate == 1.0
    assert report.dims_probed_20[0] >= 5
