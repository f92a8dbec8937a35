"""Error responses: 422s in FastAPI's own shape that never echo more than a short prefix of the input,
and the error statuses each route can really answer, listed in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any, NoReturn

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.api.routes import effective_routes

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class ErrorDetail(BaseModel):
    detail: str


def invalid(loc: tuple[str | int, ...], msg: str, value: Any) -> NoReturn:
    """Raise a 422 in the same shape as FastAPI's validation errors ({"detail": [{loc, msg, type, input}]})."""
    raise RequestValidationError([{"type": "value_error", "loc": loc, "msg": msg, "input": value}])


def _short(value: Any, limit: int) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _clean(error: dict[str, Any], limit: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": str(error.get("type", "value_error"))[:64],
        "loc": [p if isinstance(p, int) else _short(str(p), limit) for p in error.get("loc", ())],
        "msg": _short(str(error.get("msg", "")), max(limit, 200)),
    }
    if "input" in error:
        out["input"] = _short(error["input"], limit)
    if isinstance(error.get("ctx"), dict):
        out["ctx"] = {str(k)[:64]: _short(v if isinstance(v, int | float) else str(v), limit)
                      for k, v in error["ctx"].items()}
    return out


def install_error_handlers(app: FastAPI, echo_chars: int) -> None:
    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": [_clean(e, echo_chars) for e in exc.errors()]}, status_code=422)


def _deps(route: APIRoute) -> set[str]:
    names, stack = set(), [route.dependant]
    while stack:
        d = stack.pop()
        names.add(getattr(d.call, "__name__", ""))
        stack.extend(d.dependencies)
    return names


ERROR_SCHEMA = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}


def route_errors(path: str, route: APIRoute) -> dict[int, str]:
    """The error statuses (besides 422) an API route can answer, from what it depends on and takes."""
    extra: dict[int, str] = {}
    if "get_current_user" in _deps(route):
        extra[401] = "not logged in (VIVA_AUTH=accounts)"
    if "{" in path:
        extra[404] = "no such resource, or not yours (the same answer)"
    if route.methods & UNSAFE:
        extra[403] = "cross-site request: Origin/Referer not allowed"
    if route.body_field is not None:
        extra[413] = "request body over VIVA_MAX_BODY_BYTES"
    return extra


def add_error_responses(app: FastAPI, schema: dict[str, Any]) -> None:
    """Write those statuses into an OpenAPI document (in place)."""
    for path, route in effective_routes(app):
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in route.methods:
            op = schema.get("paths", {}).get(path, {}).get(method.lower())
            if op is None:
                continue
            for code, text in route_errors(path, route).items():
                op["responses"].setdefault(str(code), {
                    "description": text, "content": {"application/json": {"schema": ERROR_SCHEMA}}})
