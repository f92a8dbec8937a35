"""Events the server sends on the stream (docs/protocol.md), as typed messages built in one place.

Each event is a frozen dataclass with its wire `type`; `Outbox.send` takes one and sends `dump()`.
Words are `app.models.Word` end to end: the assembler makes them, the store keeps their dicts, the
`transcript` event carries them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from app.models import Word


@dataclass(frozen=True)
class ServerEvent:
    type: ClassVar[str]
    _optional: ClassVar[tuple[str, ...]] = ()  # fields left out when None

    def dump(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None and f.name in self._optional:
                continue
            out[f.name] = value
        return out


@dataclass(frozen=True)
class Ready(ServerEvent):
    type: ClassVar[str] = "ready"
    info: dict[str, Any]
    offset_ms: int
    phase: str
    remaining_s: float
    sample_rate: int = 16_000
    frame_ms: tuple[int, int] = (10, 200)

    def dump(self) -> dict[str, Any]:
        return {"type": self.type, **self.info, "sample_rate": self.sample_rate, "frame_ms": list(self.frame_ms),
                "offset_ms": self.offset_ms, "phase": self.phase, "remaining_s": round(self.remaining_s, 1)}


@dataclass(frozen=True)
class Pong(ServerEvent):
    type: ClassVar[str] = "pong"
    _optional: ClassVar[tuple[str, ...]] = ("t",)
    t: Any = None


@dataclass(frozen=True)
class SpeechStarted(ServerEvent):
    type: ClassVar[str] = "speech_start"
    at_ms: int


@dataclass(frozen=True)
class SpeechEnded(ServerEvent):
    type: ClassVar[str] = "speech_end"
    at_ms: int


@dataclass(frozen=True)
class Partial(ServerEvent):
    type: ClassVar[str] = "partial"
    text: str
    turn: int


@dataclass(frozen=True)
class Transcript(ServerEvent):
    type: ClassVar[str] = "transcript"
    _optional: ClassVar[tuple[str, ...]] = ("timing",)
    text: str
    seq: int
    start_ms: int
    end_ms: int
    words: list[Word] = field(default_factory=list)
    typed: bool = False
    timing: dict[str, Any] | None = None
    final: bool = True

    def dump(self) -> dict[str, Any]:
        out = super().dump()
        out["words"] = [w.model_dump() for w in self.words]
        return out


@dataclass(frozen=True)
class InterviewerDelta(ServerEvent):
    type: ClassVar[str] = "interviewer_delta"
    text: str


@dataclass(frozen=True)
class InterviewerDone(ServerEvent):
    type: ClassVar[str] = "interviewer_done"
    text: str
    seq: int
    start_ms: int
    end_ms: int
    move: str | None = None


@dataclass(frozen=True)
class ReplyWithdrawn(ServerEvent):
    """The candidate went on right after their turn was closed: the reply `seq` is taken back (deleted),
    and their turn (a `transcript` with its seq and all its words follows) is answered whole."""

    type: ClassVar[str] = "reply_withdrawn"
    seq: int
    turn_seq: int


@dataclass(frozen=True)
class Phase(ServerEvent):
    type: ClassVar[str] = "phase"
    phase: str
    remaining_s: float

    def dump(self) -> dict[str, Any]:
        return {"type": self.type, "phase": self.phase, "remaining_s": round(self.remaining_s, 1)}


@dataclass(frozen=True)
class Finished(ServerEvent):
    type: ClassVar[str] = "finished"
    reason: str


@dataclass(frozen=True)
class Error(ServerEvent):
    type: ClassVar[str] = "error"
    code: str
    message: str


@dataclass(frozen=True)
class ExerciseShown(ServerEvent):
    """The runnable exercise of the question in play (None: talk only) and the editor's saved content."""

    type: ClassVar[str] = "exercise"
    exercise: dict[str, Any] | None
    draft: dict[str, Any] | None = None


@dataclass(frozen=True)
class RunResultEvent(ServerEvent):
    """A code or SQL run's result (app/runner/results.RunResult), stored with the interview as `id`."""

    type: ClassVar[str] = "run_result"
    id: int | None
    at_ms: int
    result: dict[str, Any]


@dataclass(frozen=True)
class Board(ServerEvent):
    """The board as stored (app/board/): sent on connect, and after every accepted write (`board_saved`)
    or refused one (`board_conflict`: this is the newest version; the client reloads it)."""

    type: ClassVar[str] = "board"
    _optional: ClassVar[tuple[str, ...]] = ("id", "graph")
    version: int
    at_ms: int
    graph: dict[str, Any] | None = None
    id: str | None = None


@dataclass(frozen=True)
class BoardSaved(Board):
    type: ClassVar[str] = "board_saved"


@dataclass(frozen=True)
class BoardConflict(Board):
    type: ClassVar[str] = "board_conflict"
