"""Follow-ups from the answer key (gaps.py, walk.py): what is made is not asked again; another problem's
answer is redirected (by meaning, app.hearing.relevance)."""

from __future__ import annotations

from app.interviewer import gaps
from app.interviewer.walk import asks
from tests.interviewer.conftest import opened, say


def test_merge_keeps_what_was_made():
    assert gaps.merge({"a": gaps.ESTABLISHED}, {"a": gaps.PARTIAL, "b": gaps.PARTIAL}) == \
        {"a": gaps.ESTABLISHED, "b": gaps.PARTIAL}
    assert gaps.merge({"a": gaps.CONTRADICTED}, {"a": gaps.ESTABLISHED})["a"] == gaps.ESTABLISHED


def test_lexical_hearing_hears_a_plain_form(catalog):
    rnd = catalog.get("system_design")
    q = next(q for q in rnd.prompt.questions if q.id == "url_shortener")
    heard = gaps.LexicalHearing().hear(rnd, q, "Keep the popular links in memory so most clicks never touch the "
                                                "database.")
    assert heard.get("cache_in_front") == gaps.ESTABLISHED
    assert "redirect_status_tradeoff" not in heard


async def test_a_prompt_whose_points_were_made_is_not_asked(catalog):
    rnd = catalog.get("system_design")
    iv, clock, _ = await opened(rnd, "mid")
    q = next(q for q in rnd.prompt.questions if q.id == iv.state.question_id)
    # the candidate makes every point of every requirements prompt before being asked
    for a in asks(rnd, q):
        for pid in a.points:
            iv.state.question_points[pid] = gaps.ESTABLISHED
    clock.advance(60)
    await say(iv.respond("For example at 100 million links a month, people click them about a hundred times more "
                         "than they create them, so the redirect path matters most, but writes still need care."))
    assert iv.last_meta["move"] == "probe", iv.last_meta
    made = next(a for a in asks(rnd, q) if a.tag == iv.state.probe_in_play)
    assert not made.points or any(iv.state.question_points.get(p) != gaps.ESTABLISHED for p in made.points)



async def test_an_answer_to_another_problem_is_redirected_naming_the_problem(catalog):
    from app.interviewer.personas import OTHER_QUESTION

    rnd = catalog.get("system_design")
    iv, clock, _ = await opened(rnd, "senior")
    if iv.state.question_id == "url_shortener":  # the persona's other answer
        return
    clock.advance(60)
    reply = await say(iv.respond(OTHER_QUESTION["system_design"]["url_shortener"]))
    assert iv.last_meta["move"] == "redirect", iv.last_meta
    assert reply.startswith("That sounds like a different problem; we're on the ")



async def first_answer(catalog, text: str):
    """A new senior system-design interview on the rate limiter, 60 s in, answered with `text`."""
    iv, clock, _ = await opened(catalog.get("system_design"), "senior")
    iv.state.question_id = "rate_limiter"
    clock.advance(60)
    return iv, clock, await say(iv.respond(text))

async def test_a_short_answer_to_another_problem_is_redirected_but_a_vague_line_is_not(catalog):
    """A typed candidate: "I'd build a URL shortener with base62 ids and a key-value store." was asked for its
    specifics ("I'd like the specifics there") instead of being told it answers another problem."""
    iv, _, reply = await first_answer(catalog, "I'd build a URL shortener with base62 ids and a key-value store.")
    assert iv.last_meta["move"] == "redirect", iv.last_meta
    assert reply.startswith("That sounds like a different problem; we're on the rate limiter here.")
    iv, _, _ = await first_answer(catalog, "It depends, we'd figure out the details later.")  # a fresh interview
    assert iv.last_meta["answer_kind"] != "off_topic", iv.last_meta


async def test_an_answer_to_a_follow_up_in_the_fields_common_words_is_not_redirected(catalog):
    """Asked where a rate limiter's counters live, "a consistent hashing ring ..." is about that part, though
    by meaning it is closer to another design of the round than to the rate limiter (0.49 against 0.24)."""
    iv, clock, _ = await first_answer(catalog, "I'd use a token bucket per API key, checked by the gateway on every "
                                      "request.")
    clock.advance(60)
    await say(iv.respond("We'd use a consistent hashing ring to spread keys over the cache nodes."))
    assert iv.last_meta["answer_kind"] != "off_topic", iv.last_meta


async def test_a_follow_up_the_candidate_already_answered_is_not_asked(catalog):
    """Never ask for what the candidate just said: "His strongest argument was…" answers "What was their
    strongest argument, as they would have put it?" even where the meaning pass did not establish the point."""
    rnd = catalog.get("behavioral")
    q = next(q for q in rnd.prompt.questions if q.id == "disagreement_with_peer")
    iv, clock, _ = await opened(rnd, "mid")
    iv.state.question_id = q.id
    clock.advance(60)
    await say(iv.respond("A senior colleague wanted to rewrite our billing service before the holidays. His "
                         "strongest argument was that the old service couldn't take three times the traffic. "
                         "I proposed we load test it together."))
    assert "strongest argument" not in iv.state.last_prompt
    probe = next(p for p in q.probes if "strongest argument" in p.text)
    assert gaps.probe_points(rnd, q, probe.text, probe.dimension) == ["states_other_view_fairly"]


def test_a_sentence_that_holds_half_of_a_follow_ups_words_has_answered_it(catalog):
    """The spoken example: "The counters live in Redis, one key per API key, to keep latency down each gateway
    batches locally..." and then "Where do the counters live, and how do you keep the check from adding
    noticeable latency?" (5 of its 9 content words in one sentence)."""
    from app.interviewer.state import HistoryEntry, InterviewState

    rnd = catalog.get("system_design")
    q = next(q for q in rnd.prompt.questions if q.id == "rate_limiter")
    state = InterviewState(round_id=rnd.id, level="senior")
    state.add_history(HistoryEntry(speaker="candidate", question_id=q.id, elapsed_s=60.0, typed=False,
                                   text="The counters live in readies, one key per API key, to keep latency down "
                                        "each gateway batches locally and syncs every 100 milliseconds."))
    asked = "Where do the counters live, and how do you keep the check from adding noticeable latency to every request?"
    assert gaps.said_already(state, q, asked)
    assert not gaps.said_already(state, q, "Which component holds the state that really matters here, and what is "
                                           "its source of truth?")


async def test_a_vague_answer_is_not_said_back(catalog):
    """A typed candidate: "I'd use the database somehow, with some tables, it depends." came back as "So you'd
    use the database somehow." before the next question, as if an answer had been taken."""
    rnd = catalog.get("database")
    iv, clock, _ = await opened(rnd, "senior")
    for _ in range(4):  # past the follow-ups a vague answer gets first: the interviewer moves on
        clock.advance(60)
        reply = await say(iv.respond("I'd use the database somehow, with some tables, it depends."))
        assert "somehow" not in reply and "some tables" not in reply, reply


async def test_an_answer_about_nothing_in_the_round_is_redirected(catalog):
    """A typed candidate: "Honestly I'd rather talk about my weekend, I went hiking." got "Let's make that
    concrete." ("rather" is a word of the rate limiter's follow-ups, so the lexical check took it as on topic)."""
    iv, _, reply = await first_answer(catalog, "Honestly I'd rather talk about my weekend, I went hiking.")
    assert iv.last_meta["answer_kind"] == "off_topic", iv.last_meta
    assert iv.last_meta["move"] == "redirect", reply
