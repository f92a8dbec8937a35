"""Does an answer address the question in play, or another question of the round? By meaning.

`Heard.relevance` holds the text's similarity to each question of the round (the question, its probes
and its key points; the mean of the three closest windows). An answer addresses another question when
that question is clearly closer than the one in play: by OTHER_MARGIN or more, at least OTHER_MIN, while
the one in play is below IN_PLAY_LOW (or, for a short answer about another design, the CLEAR_ bars). The
interviewer redirects (once) as for an off-topic answer; the lexical check
(app.interviewer.relevance) still catches answers about nothing in the round.
"""

from __future__ import annotations

from app.hearing.hearing import Heard

OTHER_MARGIN = 0.15
IN_PLAY_LOW = 0.55
OTHER_MIN = 0.50  # and the other question is really addressed ("it depends, we'd figure it out" addresses none)
# Or clearly another problem: far from the one in play and much closer to another ("I'd build a URL shortener
# with base62 ids and a key-value store": 0.18 to the rate limiter, 0.46 to the URL shortener).
CLEAR_OWN, CLEAR_MIN, CLEAR_MARGIN = 0.30, 0.40, 0.25


def answers_other(heard: Heard, question_id: str | None) -> str | None:
    """The id of another question of the round the text answers instead of `question_id`, or None."""
    if question_id is None or question_id not in heard.relevance:
        return None
    own = heard.relevance[question_id]
    best = heard.best_question()
    if best is None or best == question_id:
        return None
    other = heard.relevance[best]
    if own < IN_PLAY_LOW and other >= OTHER_MIN and other - own >= OTHER_MARGIN:
        return best
    if own < CLEAR_OWN and other >= CLEAR_MIN and other - own >= CLEAR_MARGIN:
        return best
    return None
