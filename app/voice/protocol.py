"""The stream's message shapes (docs/protocol.md): client messages checked, server events built.

Nothing a client sends may crash the session: `parse_client_text` and `check_binary` turn every bad
input into a `ProtocolError` carrying the `error` event's code and message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.voice.frames import FrameError, decode_frame

CLIENT_TYPES = ("text", "end_turn", "interrupt", "finish", "ping", "playback_done", "board", "code", "run")
CODE_LANGUAGES = ("python", "javascript", "sql")
RUN_MODES = ("run", "submit")  # run: the visible examples; submit: the hidden tests
MAX_TEXT_MESSAGE_BYTES = 64 * 1024
MAX_TYPED_CHARS = 20_000
MAX_CLIENT_ID_CHARS = 64

# error codes sent in {"type": "error", "code": ...}
BAD_FRAME = "bad_frame"  # a binary frame that is not valid audio (dropped, session goes on)
BAD_MESSAGE = "bad_message"  # a text frame that is not a valid JSON message
UNKNOWN_TYPE = "unknown_type"
BUSY = "busy"  # the server is overloaded: audio is kept and processed later, or reading slows down
STT_FAILED = "stt_failed"  # a turn could not be transcribed
NOT_FOUND = "not_found"  # close code 4404
FINISHED = "finished"  # the interview is already over; close code 4409
INTERNAL = "internal"
TAKEN_OVER = "taken_over"  # a newer connection took the interview over; close code 4410
BOARD_INVALID = "board_invalid"  # a board write over a limit or malformed (nothing stored, session goes on)
BOARD_FAILED = "board_failed"  # a valid board write the store could not take now (the client sends it again)

CLOSE_NOT_FOUND = 4404
CLOSE_FINISHED = 4409
CLOSE_TAKEN_OVER = 4410  # one writer per interview: the newer connection wins (docs/protocol.md)


class ProtocolError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ClientMessage:
    type: str
    data: dict[str, Any]


def check_binary(data: bytes):
    """Audio samples (float32) of a valid binary frame, else ProtocolError."""
    if data[:1] == b"{" and data.rstrip()[-1:] == b"}":
        try:
            json.loads(data)
        except ValueError:
            pass
        else:
            raise ProtocolError(BAD_FRAME, "a JSON message arrived as a binary frame; send messages as text")
    try:
        return decode_frame(data)
    except FrameError as exc:
        raise ProtocolError(BAD_FRAME, str(exc)) from None


MAX_SEQ = 2**31 - 1


def parse_client_text(raw: str, max_typed_chars: int = MAX_TYPED_CHARS) -> ClientMessage:
    if len(raw.encode("utf-8", "replace")) > MAX_TEXT_MESSAGE_BYTES:
        raise ProtocolError(BAD_MESSAGE, f"text message over {MAX_TEXT_MESSAGE_BYTES} bytes")
    try:
        data = json.loads(raw)
    except ValueError:
        raise ProtocolError(BAD_MESSAGE, 'text frames must be JSON objects like {"type": "ping"}') from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ProtocolError(BAD_MESSAGE, "a message must be a JSON object with a string 'type'")
    kind = data["type"]
    if kind not in CLIENT_TYPES:
        known = ", ".join(CLIENT_TYPES)
        raise ProtocolError(UNKNOWN_TYPE, f"unknown message type '{kind[:40]}'; known: {known}")
    client_id = data.get("id")
    if client_id is not None and (not isinstance(client_id, str) or not 0 < len(client_id) <= MAX_CLIENT_ID_CHARS):
        raise ProtocolError(BAD_MESSAGE, f"a message 'id' must be a string of 1-{MAX_CLIENT_ID_CHARS} characters")
    if kind == "text":
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ProtocolError(BAD_MESSAGE, "a 'text' message needs a non-empty string 'text'")
        if len(text) > max_typed_chars:
            raise ProtocolError(BAD_MESSAGE, f"typed answers are limited to {max_typed_chars} characters")
    if kind in ("code", "run"):
        _check_code(data, kind, max_typed_chars)
    if kind == "playback_done":
        seq = data.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq <= MAX_SEQ:
            raise ProtocolError(BAD_MESSAGE, "playback_done needs an integer 'seq' (a turn's seq)")
    if kind == "board":
        base = data.get("base")
        if not isinstance(base, int) or isinstance(base, bool) or not 0 <= base <= MAX_SEQ:
            raise ProtocolError(BOARD_INVALID, "a 'board' message needs an integer 'base' (the version it was "
                                               "drawn on; 0 for the first)")
        if not isinstance(data.get("graph"), dict):
            raise ProtocolError(BOARD_INVALID, "a 'board' message needs a 'graph' object")
    return ClientMessage(kind, data)


def _check_code(data: dict[str, Any], kind: str, max_chars: int) -> None:
    """`code` (the editor's content, debounced) and `run` (Run / Submit) carry a language and the code."""
    if data.get("language") not in CODE_LANGUAGES:
        raise ProtocolError(BAD_MESSAGE, f"a '{kind}' message needs 'language': one of {', '.join(CODE_LANGUAGES)}")
    code = data.get("code")
    if not isinstance(code, str):
        raise ProtocolError(BAD_MESSAGE, f"a '{kind}' message needs a string 'code'")
    if len(code) > max_chars:
        raise ProtocolError(BAD_MESSAGE, f"code is limited to {max_chars} characters; this is {len(code)}")
    if kind == "run" and data.get("mode") not in RUN_MODES:
        raise ProtocolError(BAD_MESSAGE, "a 'run' message needs 'mode': run (the examples) or submit (hidden tests)")


def error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message}

