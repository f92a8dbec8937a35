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
# Content words an answer needs for each: a real answer to another problem, not a vague line ("it depends,
# we'd figure it out" is close to nothing); an answer about one part in the field's common words often sits
# nearer another design ("a consistent hashing ring spreads the keys over the cache nodes": 0.31 to the rate
# limiter, 0.51 to the URL shortener), so the first bars need a whole answer's words.
OTHER_WORDS, CLEAR_WORDS = 12, 6
# Far from every question of the round: about nothing in it ("I'd rather talk about my weekend, I went
# hiking": 0.17-0.24). No turn of the independent fixtures (every round, every kind, from 5 content words) is
# below 0.28; the harness's off-topic lines are 0.16-0.37.
NOTHING = 0.25


def answers_other(heard: Heard, question_id: str | None, words: int, first: bool = True) -> str | None:
    """The id of another question of the round the text (of `words` content words) answers instead of
    `question_id`, or None. The CLEAR bars hold only for the `first` answer to the question itself: an answer
    to a follow-up speaks of one part in the field's common words."""
    if question_id is None or question_id not in heard.relevance:
        return None
    own = heard.relevance[question_id]
    best = heard.best_question()
    if best is None or best == question_id:
        return None
    other = heard.relevance[best]
    if words >= OTHER_WORDS and own < IN_PLAY_LOW and other >= OTHER_MIN and other - own >= OTHER_MARGIN:
        return best
    if first and words >= CLEAR_WORDS and own < CLEAR_OWN and other >= CLEAR_MIN and other - own >= CLEAR_MARGIN:
        return best
    return None


def about_nothing(heard: Heard) -> bool:
    """The text is far from every question of the round (the interviewer still asks the lexical check)."""
    return bool(heard.relevance) and max(heard.relevance.values()) < NOTHING
