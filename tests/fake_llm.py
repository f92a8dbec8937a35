"""A tiny OpenAI-compatible chat server for tests: real HTTP on 127.0.0.1, SSE streaming, with knobs.

    server = FakeLLMServer().start()          # uvicorn in a thread, free port
    server.script = [Reply(text="Okay. What's your shard key?")]   # one entry consumed per request
    ... AsyncOpenAI(base_url=server.base_url) ...
    server.requests                           # the JSON bodies received

Streams SSE when the request asks for it, else answers with one chat.completion (so non-streaming
tests can share it). Reply knobs: text (streamed in small pieces), status (e.g. 500), error (its
message then), delay_s (before the first byte), malformed (send a non-JSON data line), drop_after
(close the connection after N characters), finish_reason ("stop" / "length").
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse


@dataclass
class Reply:
    text: str = "Okay. Can you tell me more about that?"
    status: int = 200
    delay_s: float = 0.0
    malformed: bool = False
    drop_after: int | None = None
    finish_reason: str = "stop"
    piece: int = 7  # characters per SSE chunk
    error: str = "boom"  # the error message when status != 200


def _chunk(content: str | None, finish: str | None = None) -> str:
    body = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0, "model": "fake",
            "choices": [{"index": 0, "delta": {"content": content} if content is not None else {},
                         "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n"


class FakeLLMServer:
    def __init__(self) -> None:
        self.script: list[Reply] = []
        self.default = Reply()
        self.requests: list[dict] = []
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self._completions)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # bound now: no port race
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def _completions(self, request: Request):
        body = await request.json()
        self.requests.append(body)
        reply = self.script.pop(0) if self.script else self.default
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.status != 200:
            error = {"error": {"message": reply.error, "type": "server_error"}}
            return JSONResponse(error, status_code=reply.status)
        if not body.get("stream"):  # plain chat.completion, for non-streaming clients
            return {"id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "fake",
                    "choices": [{"index": 0, "finish_reason": reply.finish_reason,
                                 "message": {"role": "assistant", "content": reply.text}}]}

        async def events():
            yield _chunk("")
            if reply.malformed:
                yield _chunk(reply.text[:10])
                yield "data: {this is not json\n\n"
                return
            sent = 0
            for i in range(0, len(reply.text), reply.piece):
                piece = reply.text[i:i + reply.piece]
                if reply.drop_after is not None and sent + len(piece) > reply.drop_after:
                    raise RuntimeError("connection dropped by the test server")
                sent += len(piece)
                yield _chunk(piece)
                await asyncio.sleep(0.001)
            yield _chunk(None, reply.finish_reason)
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    def start(self) -> FakeLLMServer:
        config = uvicorn.Config(self.app, log_level="critical", lifespan="off", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]},
                                        daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake LLM server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._sock.close()
