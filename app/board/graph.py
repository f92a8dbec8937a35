"""The board's shape: components (nodes with a kind and a label), arrows (edges with an optional label and
a direction, from -> to) and free notes. Validated on every write; labels are plain text (never HTML),
capped, and every reference must resolve. `parse_graph` turns bad input into one clear `BoardError`.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

KINDS: dict[str, str] = {  # kind -> how it is said
    "client": "client",
    "load_balancer": "load balancer",
    "service": "service",
    "cache": "cache",
    "database": "database",
    "queue": "queue",
    "object_storage": "object storage",
    "cdn": "CDN",
    "external": "external service",
}
Kind = Literal["client", "load_balancer", "service", "cache", "database", "queue", "object_storage", "cdn",
               "external"]

MAX_NODES = 40
MAX_EDGES = 80
MAX_NOTES = 20
MAX_LABEL = 48
MAX_EDGE_LABEL = 32
MAX_NOTE = 240
MAX_BYTES = 24_000  # the whole graph as compact JSON
COORD = 5_000.0

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,24}$")]


def _text(max_len: int, min_len: int = 0):
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_len, max_length=max_len)]


class BoardError(ValueError):
    """A board that cannot be stored; `message` says which field and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Node(Strict):
    id: Id
    kind: Kind
    label: _text(MAX_LABEL, 1)
    x: float = Field(ge=-COORD, le=COORD)
    y: float = Field(ge=-COORD, le=COORD)

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind]


class Edge(Strict):
    id: Id
    source: Id = Field(alias="from")
    target: Id = Field(alias="to")
    label: _text(MAX_EDGE_LABEL) = ""


class Note(Strict):
    id: Id
    text: _text(MAX_NOTE, 1)
    x: float = Field(ge=-COORD, le=COORD)
    y: float = Field(ge=-COORD, le=COORD)


class Graph(Strict):
    nodes: list[Node] = Field(default_factory=list, max_length=MAX_NODES)
    edges: list[Edge] = Field(default_factory=list, max_length=MAX_EDGES)
    notes: list[Note] = Field(default_factory=list, max_length=MAX_NOTES)

    @model_validator(mode="after")
    def _consistent(self) -> Graph:
        ids = [n.id for n in self.nodes] + [e.id for e in self.edges] + [n.id for n in self.notes]
        dup = next((i for i in ids if ids.count(i) > 1), None)
        if dup is not None:
            raise ValueError(f"id '{dup}' is used twice")
        nodes = {n.id for n in self.nodes}
        for e in self.edges:
            for end in (e.source, e.target):
                if end not in nodes:
                    raise ValueError(f"arrow '{e.id}' points at '{end}', which is not a component")
        return self

    # --- reading -----------------------------------------------------------------------------------
    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def of_kind(self, kind: str) -> list[Node]:
        return [n for n in self.nodes if n.kind == kind]

    def linked(self, a: Node, b: Node) -> bool:
        return any({e.source, e.target} == {a.id, b.id} for e in self.edges)

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    @property
    def empty(self) -> bool:
        return not (self.nodes or self.notes)


def _clean(value: Any) -> Any:
    """Control characters out of every string (a label is one line of text)."""
    if isinstance(value, str):
        return _CONTROL.sub(" ", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _where(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "board"


def parse_graph(data: Any) -> Graph:
    """A validated Graph, or BoardError with the first problem (field and reason)."""
    if not isinstance(data, dict):
        raise BoardError("the board must be an object with nodes, edges and notes")
    size = len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "replace"))
    if size > MAX_BYTES:
        raise BoardError(f"the board is {size} bytes; at most {MAX_BYTES} are kept")
    try:
        return Graph.model_validate(_clean(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = str(err["msg"]).removeprefix("Value error, ")
        return _raise(f"{_where(err['loc'])}: {msg}" if err["loc"] else msg)


def _raise(message: str):
    raise BoardError(message)
