"""Is an answer off the question in play? (app/interviewer/relevance.py, answers.classify)"""

from __future__ import annotations

from app.interviewer.relevance import is_off_topic
from tests.interviewer.conftest import opened, say

STORY = ("A senior colleague wanted to rewrite our billing service before the holidays. I disagreed because we "
         "had six weeks left. His strongest argument was that the old service couldn't take three times the "
         "traffic, so instead of arguing I proposed a load test together.")
OUTCOME = ("The old service handled five times the traffic after one fix, so we kept it and agreed to revisit "
           "in January.")


def test_an_answer_that_goes_on_with_the_candidates_own_story_is_on_topic(catalog):
    rnd = catalog.get("behavioral")
    q = next(q for q in rnd.prompt.questions if q.id == "disagreement_with_peer")
    prompt = "What was decided in the end, and how did it turn out?"
    assert is_off_topic(OUTCOME, rnd, q, prompt)  # it shares no word with the question or the prompt...
    assert not is_off_topic(OUTCOME, rnd, q, prompt, story=STORY)  # ...but goes on with their story
    hiking = "My favourite thing lately is the hiking trip I took with my family in the mountains last August."
    assert is_off_topic(hiking, rnd, q, prompt, story=STORY)


async def test_the_outcome_of_the_story_is_not_redirected_but_a_tangent_still_is(catalog):
    rnd = catalog.get("behavioral")
    iv, clock, _ = await opened(rnd, "senior")
    iv.state.question_id = "disagreement_with_peer"
    for answer in (STORY, OUTCOME):
        clock.advance(60)
        await say(iv.respond(answer, typed=True))
        assert iv.last_meta["move"] != "redirect", iv.last_meta
    clock.advance(60)
    await say(iv.respond("My favourite thing lately is the hiking trip I took with my family in the mountains.",
                         typed=True))
    assert iv.last_meta["move"] == "redirect"
