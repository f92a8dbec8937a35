"""The guard in front of every request (pure ASGI, so it sees WebSocket handshakes and streamed bodies).

- an unknown `Host` -> 400 (a WebSocket: closed with 1008 before it is accepted); /api/health excepted;
- a WebSocket whose `Origin` is not allowed -> closed with 1008 before it is accepted;
- a state-changing request (POST, PUT, PATCH, DELETE) whose `Origin` (or, without one, `Referer`) is
  not allowed -> 403;
- a request body over `max_body_bytes` -> 413, by `Content-Length` at once, or by counting the bytes
  of a streamed (chunked) body as they arrive;
- a WebSocket message over `ws_max_message_bytes` -> closed with 1009 (uvicorn enforces the same
  bound first when started by `viva serve`; this catches any other server).
"""

from __future__ import annotations

import json
import logging

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.security.hosts import HostPolicy

log = logging.getLogger("viva.security")

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Served whatever the Host: health probes of proxies and orchestrators name the upstream (viva1:8000,
# a pod IP). It holds no user data, only which parts are up.
OPEN_PATHS = ("/api/health",)
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")


async def _reply(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    def __init__(self, app: ASGIApp, *, policy: HostPolicy, max_body_bytes: int, ws_max_message_bytes: int) -> None:
        self.app = app
        self.policy = policy
        self.max_body = max_body_bytes
        self.max_ws = ws_max_message_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        host = headers.get("host")
        if scope["type"] == "websocket":
            return await self._websocket(scope, receive, send, headers, host)
        if not self.policy.host_allowed(host) and scope["path"] not in OPEN_PATHS:
            log.warning("refused a request for an unknown Host (%d chars)", len(host or ""))
            return await _reply(send, 400, "invalid Host header")
        if scope["method"] not in SAFE_METHODS and not self._same_site(headers, host):
            log.warning("refused a cross-site %s %s", scope["method"], scope["path"][:80])
            return await _reply(send, 403, "cross-site request refused (Origin not allowed)")
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await _reply(send, 413 if length.isdigit() else 400,
                                f"request body over {self.max_body} bytes" if length.isdigit()
                                else "invalid Content-Length")
        await self._http(scope, receive, send)

    def _same_site(self, headers: Headers, host: str | None) -> bool:
        source = headers.get("origin") or headers.get("referer")
        return source is None or self.policy.origin_allowed(source, host)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge as exc:  # read outside a FastAPI route (which turns it into the 413 itself)
            if started:
                raise
            await _reply(send, 413, exc.detail)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send, headers: Headers,
                         host: str | None) -> None:
        origin = headers.get("origin")
        if not self.policy.host_allowed(host) or (origin is not None and not self.policy.origin_allowed(origin, host)):
            log.warning("refused a WebSocket from a foreign Host or Origin: %s", scope["path"][:80])
            message = await receive()  # websocket.connect
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.close", "code": CLOSE_POLICY})
            return
        closed = False

        async def limited_receive() -> Message:
            nonlocal closed
            message = await receive()
            if message["type"] == "websocket.receive":
                data = message.get("bytes")
                size = len(data) if data is not None else len((message.get("text") or "").encode("utf-8", "replace"))
                if size > self.max_ws:
                    log.warning("closing WebSocket %s: message of %d bytes over %d", scope["path"][:80], size,
                                self.max_ws)
                    if not closed:
                        closed = True
                        await send({"type": "websocket.close", "code": CLOSE_TOO_BIG, "reason": "message too big"})
                    return {"type": "websocket.disconnect", "code": CLOSE_TOO_BIG}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal closed
            if closed:
                return  # the guard closed the socket; the app's late events have nowhere to go
            closed = message["type"] == "websocket.close"
            await send(message)

        await self.app(scope, limited_receive, guarded_send)
