"""The turn-taking state on its own: the moves the conversation makes, and the ones it must never make."""

from __future__ import annotations

import dataclasses
import logging
import typing

import pytest

from app.voice import conversation
from app.voice.turn_state import Floor, ImpossibleMove, Stage, TurnTaking


def test_an_item_answered_then_stored():
    turn = TurnTaking(strict=True)
    turn.take_item()
    assert turn.floor is Floor.THINKING and turn.awaited and not turn.replying
    turn.start_reply()
    assert turn.floor is Floor.REPLYING and turn.awaited and turn.replying
    turn.end_reply()
    assert turn.floor is Floor.THINKING  # back where it began, until the reply counts as said
    turn.replied()
    assert turn.floor is Floor.IDLE and not turn.awaited  # stored while the silence clock runs
    turn.item_done()
    assert turn.floor is Floor.IDLE


def test_barge_in_cuts_only_a_reply_being_sent():
    turn = TurnTaking(strict=True)
    turn.barge_in()
    assert turn.floor is Floor.IDLE  # nothing to cut
    turn.take_item()
    turn.start_reply()
    turn.barge_in()
    turn.barge_in()  # the client's interrupt and the speech that follows it
    assert turn.cut and turn.replying
    turn.end_reply()
    assert turn.floor is Floor.THINKING and not turn.cut


def test_a_further_reply_in_an_answered_item_is_not_awaited():
    """A withdrawn turn answered alone, then the item: the second reply does not hold the silence clock."""
    turn = TurnTaking(strict=True)
    turn.take_item()
    turn.start_reply()
    turn.end_reply()
    turn.replied()
    turn.start_reply()
    assert turn.replying and not turn.awaited
    turn.end_reply()
    assert turn.floor is Floor.IDLE


def test_the_candidate_speaks_on_any_floor():
    turn = TurnTaking(strict=True)
    turn.candidate_speaking = True
    turn.take_item()
    turn.start_reply()
    assert turn.candidate_speaking and turn.replying  # talking over the reply


def test_stages():
    turn = TurnTaking(strict=True)
    assert turn.respond
    turn.stop_responding()
    turn.stop_responding()  # `finish`, then the client goes
    assert turn.stage is Stage.STOPPED and not turn.respond
    turn.finish()
    turn.stop_responding()  # the drain after the interview finished changes nothing
    assert turn.finished and not turn.respond
    turn.take_over()  # the store's finish was fenced
    turn.take_over()
    assert turn.taken_over and not turn.finished and not turn.respond


@pytest.mark.parametrize("moves", [
    ["item_done", "take_item", "take_item"],  # two items at once
    ["take_item", "start_reply", "item_done"],  # an item done in the middle of its reply
    ["take_item", "start_reply", "start_reply"],  # two replies at once
    ["finish", "finish"],
])
def test_an_impossible_move_is_refused(moves, caplog):
    strict = TurnTaking(strict=True)
    with pytest.raises(ImpossibleMove):
        for move in moves:
            getattr(strict, move)()
    lenient = TurnTaking()
    with caplog.at_level(logging.ERROR, logger="viva.voice"):
        for move in moves:
            before = (lenient.floor, lenient.stage)
            getattr(lenient, move)()
    assert "refused" in caplog.text and (lenient.floor, lenient.stage) == before  # the state stays


def test_the_items_are_a_closed_union():
    items = set(typing.get_args(conversation.Item))
    handled = {conversation.SpokenTurn, conversation.TypedTurn, conversation.Reply, conversation.Unanswered,
               conversation.Opening, conversation.Silence, conversation.Finish, conversation.Withdraw}
    assert items == handled and all(dataclasses.is_dataclass(item) for item in items)


def test_the_conversation_and_the_interviewer_keep_their_contracts():
    from app.catalog import load_catalog
    from app.config import ROOT
    from app.interviewer import Interviewer, OfflineBrain
    from app.voice.session import TurnReports

    rnd = load_catalog(ROOT / "rubrics", ROOT / "prompts").get("database")
    real = Interviewer(rnd, "senior", OfflineBrain(), clock=lambda: 1000.0)
    assert isinstance(real, conversation.Interviewer)
    talk = conversation.Conversation(real, store=None, out=None, clock=None, turns=None, on_finished=None)
    assert isinstance(talk, TurnReports)
