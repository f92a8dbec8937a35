"""Where a stream session's conversation is in turn-taking: one owner, explicit states, the moves in one place.

Two things vary, and independently (the conversation relies on their combinations):

- the *floor*, as the worker holds it (`Floor`): IDLE, THINKING (an item in hand, no reply begun for it),
  REPLYING (a reply is being sent), CUT (the candidate barged in on that reply: nothing more of it is said);
- the *stage* of the interview on this connection (`Stage`): LIVE, STOPPED (no more replies: the client
  asked to finish or has gone; what comes is still stored), FINISHED, TAKEN_OVER (another connection owns
  the interview: nothing more is stored).

And one fact the session reports, `candidate_speaking` (a spoken turn is open). It is not a floor state: the
candidate may speak on any floor, and the conversation relies on that: over a reply (barge-in, and a turn
that goes on before its reply was heard) and while the worker thinks (audio ahead of the worker).

Every move is in one table (`FLOOR_MOVES`, `STAGE_MOVES`: the states it may happen in, where it leads, where it
changes nothing). Any other is refused: the state stays, an error is logged (the session goes on), and with
`strict` (tests) `ImpossibleMove` is raised.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

log = logging.getLogger("viva.voice")


class Floor(Enum):
    IDLE = "idle"  # no item in hand, or the one in hand has had its reply (the silence clock runs)
    THINKING = "thinking"  # an item in hand and no reply begun for it: the candidate waits on the interviewer
    REPLYING = "replying"  # a reply is being sent
    CUT = "cut"  # the candidate barged in on the reply being sent: the rest of it is not said


class Stage(Enum):
    LIVE = "live"
    STOPPED = "stopped"  # the interview is finishing or the client has gone: store what comes, say nothing
    FINISHED = "finished"
    TAKEN_OVER = "taken_over"  # another connection owns the interview now: stop, store nothing more


REPLY = frozenset({Floor.REPLYING, Floor.CUT})
NOWHERE: frozenset = frozenset()


@dataclass(frozen=True)
class Move:
    on: frozenset  # the states it may happen in
    to: Enum | None  # the state it leads to (None: back where the reply began)
    ignored: frozenset = NOWHERE  # the states where it changes nothing (not an error)


# Every move, in one place. Anything else is refused.
FLOOR_MOVES: dict[str, Move] = {
    "take_item": Move(frozenset({Floor.IDLE}), Floor.THINKING),
    # from IDLE: a further reply in an item already answered (a withdrawn turn answered alone, then the item)
    "start_reply": Move(frozenset({Floor.THINKING, Floor.IDLE}), Floor.REPLYING),
    "barge_in": Move(REPLY, Floor.CUT, ignored=frozenset({Floor.IDLE, Floor.THINKING})),  # no reply: nothing to cut
    "end_reply": Move(REPLY, None),  # said, cut or failed
    "replied": Move(frozenset({Floor.THINKING, Floor.IDLE}), Floor.IDLE),
    "item_done": Move(frozenset({Floor.THINKING, Floor.IDLE}), Floor.IDLE),
}

STAGE_MOVES: dict[str, Move] = {
    # `finish`, then the client goes: stopped once; a finished or taken-over interview stays so
    "stop_responding": Move(frozenset({Stage.LIVE}), Stage.STOPPED,
                            ignored=frozenset({Stage.STOPPED, Stage.FINISHED, Stage.TAKEN_OVER})),
    # from TAKEN_OVER: a Finish queued before the take-over is still tried; the store's fence refuses it
    "finish": Move(frozenset({Stage.LIVE, Stage.STOPPED, Stage.TAKEN_OVER}), Stage.FINISHED),
    # from FINISHED: the store's finish was fenced (or a heartbeat found another owner)
    "take_over": Move(frozenset({Stage.LIVE, Stage.STOPPED, Stage.FINISHED}), Stage.TAKEN_OVER,
                      ignored=frozenset({Stage.TAKEN_OVER})),
}


class ImpossibleMove(AssertionError):
    """A move the tables above do not allow (raised only by a strict TurnTaking)."""


class TurnTaking:
    """The one owner of a conversation's turn-taking state; the conversation moves it, the session reads it."""

    def __init__(self, strict: bool = False) -> None:
        self.floor = Floor.IDLE
        self.stage = Stage.LIVE
        self.candidate_speaking = False  # reported by the session (see the module docstring: not a floor state)
        self.strict = strict
        self._reply_from = Floor.IDLE  # where the reply being sent began: it ends back there

    def __repr__(self) -> str:
        speaking = ", candidate speaking" if self.candidate_speaking else ""
        return f"TurnTaking({self.floor.name}, {self.stage.name}{speaking})"

    # --- reading -------------------------------------------------------------------------------
    @property
    def replying(self) -> bool:
        return self.floor in REPLY

    @property
    def cut(self) -> bool:
        return self.floor is Floor.CUT

    @property
    def awaited(self) -> bool:
        """The item in hand waits for its reply (the worker thinks, or sends that reply): no silence counts.
        A further reply in an item already answered is not awaited (as it never was)."""
        return self.floor is Floor.THINKING or (self.floor in REPLY and self._reply_from is Floor.THINKING)

    @property
    def respond(self) -> bool:
        return self.stage is Stage.LIVE

    @property
    def finished(self) -> bool:
        return self.stage is Stage.FINISHED

    @property
    def taken_over(self) -> bool:
        return self.stage is Stage.TAKEN_OVER

    # --- the floor (the worker) -----------------------------------------------------------------
    def take_item(self) -> None:
        self._floor("take_item")

    def start_reply(self) -> None:
        at = self.floor
        if self._floor("start_reply"):
            self._reply_from = at

    def barge_in(self) -> None:
        """The candidate talked over the interviewer: the reply being sent (if any) is cut."""
        self._floor("barge_in")

    def end_reply(self) -> None:
        """The reply is over (said, cut or failed): the floor is back where it was when it began."""
        self._floor("end_reply")

    def replied(self) -> None:
        """The item in hand has its reply: the silence clock runs again, though the worker still stores it."""
        self._floor("replied")

    def item_done(self) -> None:
        self._floor("item_done")

    # --- the stage -----------------------------------------------------------------------------
    def stop_responding(self) -> None:
        self._stage("stop_responding")

    def finish(self) -> None:
        self._stage("finish")

    def take_over(self) -> None:
        self._stage("take_over")

    # --- the one place moves are checked ---------------------------------------------------------
    def _floor(self, name: str) -> bool:
        move = FLOOR_MOVES[name]
        if self._allowed(name, self.floor, move):
            self.floor = move.to if move.to is not None else self._reply_from
            return True
        return False

    def _stage(self, name: str) -> None:
        move = STAGE_MOVES[name]
        if self._allowed(name, self.stage, move):
            self.stage = move.to

    def _allowed(self, name: str, at: Enum, move: Move) -> bool:
        if at in move.on:
            return True
        if at in move.ignored:
            return False
        log.error("turn-taking: %s refused in %s (%r)", name, at.name, self)
        if self.strict:
            raise ImpossibleMove(f"{name} in {at.name}")
        return False
