"""The board's side of a live stream: `board` messages in, versions stored, `board_saved` /
`board_conflict` / `error board_invalid` out, and the interviewer told what is drawn.

A board change is not a turn: it never opens or closes one and never makes the interviewer speak. It does
count as activity (someone drawing in silence is not stuck), and the next reply reads the new board.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.board import store
from app.board.graph import BoardError, parse_graph
from app.turn_writer import TakenOver
from app.voice import events, protocol
from app.voice.clock import Outbox

log = logging.getLogger("viva.board")


class BoardChannel:
    def __init__(self, engine: Engine, interview_id: int, owner: str, out: Outbox, now_ms: Callable[[], int],
                 on_change: Callable[[dict[str, Any], int], None]) -> None:
        self.engine, self.interview_id, self.owner = engine, interview_id, owner
        self.out, self.now_ms, self.on_change = out, now_ms, on_change
        self.taken_over = False

    async def start(self) -> store.Snapshot:
        """On connect: the newest version to the client (none while nothing is drawn), and to the interviewer."""
        try:
            snap = await asyncio.to_thread(self._read)
        except Exception as exc:  # noqa: BLE001 - the interview goes on; the room still has its board
            log.warning("interview %s: board not loaded (%s)", self.interview_id, type(exc).__name__)
            return store.EMPTY
        if snap.version:
            self.on_change(snap.graph, snap.at_ms)
            await self.out.send(events.Board(snap.version, snap.at_ms, snap.graph))
        return snap

    def _read(self) -> store.Snapshot:
        with Session(self.engine) as s:
            return store.latest(s, self.interview_id)

    async def handle(self, data: dict[str, Any]) -> None:
        client_id = data.get("id")
        try:
            graph = parse_graph(data["graph"])
        except BoardError as exc:
            await self.out.send(protocol.error(protocol.BOARD_INVALID, f"board not saved: {exc.message}"))
            return
        at_ms = self.now_ms()
        try:
            result = await asyncio.to_thread(self._save, data["base"], graph, at_ms)
        except TakenOver:
            self.taken_over = True
            return
        except BoardError as exc:
            await self.out.send(protocol.error(protocol.BOARD_INVALID, f"board not saved: {exc.message}"))
            return
        except Exception as exc:  # noqa: BLE001 - the store is away: say so; the room keeps the drawing
            log.warning("interview %s: board not saved (%s)", self.interview_id, type(exc).__name__)
            await self.out.send(protocol.error(protocol.BOARD_FAILED, "the board could not be saved just now; it "
                                               "is kept in this tab and sent again with your next change"))
            return
        if isinstance(result, store.Conflict):
            cur = result.current
            log.info("interview %s: board write on version %s refused, newest is %s", self.interview_id,
                     data["base"], cur.version)
            await self.out.send(events.BoardConflict(cur.version, cur.at_ms, cur.graph, client_id))
            return
        snap = result.snapshot
        self.on_change(snap.graph, snap.at_ms)
        log.info("interview %s: board version %d (%d components, %d arrows)", self.interview_id, snap.version,
                 len(graph.nodes), len(graph.edges))
        await self.out.send(events.BoardSaved(snap.version, snap.at_ms, None, client_id))

    def _save(self, base: int, graph, at_ms: int) -> store.Saved | store.Conflict:
        with Session(self.engine) as s:
            return store.save(s, self.interview_id, base, graph, at_ms, owner=self.owner)
