"""The app's routes as (path with prefixes, original route), across FastAPI versions.

FastAPI >= 0.13x keeps included routers nested (`_IncludedRouter`); older ones flatten them into
`app.routes`. Security tests and the OpenAPI post-processing read the route table through this.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI
from starlette.routing import BaseRoute

try:
    from fastapi.routing import iter_route_contexts
except ImportError:  # older FastAPI: app.routes is flat already
    iter_route_contexts = None


def effective_routes(app: FastAPI) -> Iterator[tuple[str, BaseRoute]]:
    if iter_route_contexts is None:
        for route in app.routes:
            yield getattr(route, "path", ""), route
        return
    for ctx in iter_route_contexts(app.routes):
        yield ctx.path or "", ctx.original_route
