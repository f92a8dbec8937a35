"""The OpenAPI document: FastAPI's, plus the error statuses each route really answers and the WebSocket.

OpenAPI 3.1 cannot describe a WebSocket as an operation, so the stream is described beside the paths:
in `info.description` (shown on /docs) and as the `x-websockets` extension; docs/protocol.md has it all.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.api.errors import add_error_responses

STREAM = "/api/interviews/{interview_id}/stream"
WEBSOCKETS = {
    STREAM: {
        "summary": "The live interview: binary frames = PCM16 16 kHz mono audio, text frames = JSON messages",
        "protocol": "docs/protocol.md",
        "auth": "the session cookie (VIVA_AUTH=accounts) or `Authorization: Bearer <API token>`; never a URL token",
        "refused_before_accept": {
            "1008": "foreign Host or Origin, or not logged in (the handshake is answered 403)",
        },
        "close_codes": {
            "1000": "the interview finished, or the client left",
            "1009": "a message over VIVA_WS_MAX_MESSAGE_BYTES",
            "1011": "the interview's saved state cannot be restored",
            "4404": "no such interview, or not yours (the same answer)",
            "4409": "the interview is already over",
        },
        "client_messages": ["text", "end_turn", "interrupt", "finish", "ping", "playback_done"],
        "server_events": ["ready", "speech_start", "speech_end", "partial", "transcript", "interviewer_delta",
                          "interviewer_done", "phase", "error", "finished", "pong"],
    }
}
DESCRIPTION = f"""Voice mock interviewer for backend-engineering interviews.

**WebSocket** `{STREAM}` (not an HTTP operation, so it is described here and in `x-websockets`):
audio as binary PCM16 frames, JSON messages as text frames; see docs/protocol.md in the repository.
A handshake from a foreign `Origin` or `Host`, or without a valid session in accounts mode, is refused
with 1008 before it is accepted; someone else's interview closes with 4404 exactly like a missing one.

**Ids** are integers; guessing one is useless: another user's interview answers 404, exactly like a
missing one, on every route and on the WebSocket.
"""


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=DESCRIPTION, routes=app.routes)
            add_error_responses(app, schema)
            schema["x-websockets"] = WEBSOCKETS
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
