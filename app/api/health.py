from fastapi import APIRouter, Request

from app.api.deps import CatalogDep

router = APIRouter(tags=["health"])


@router.get("/api/health")
def health(request: Request, catalog: CatalogDep) -> dict:
    state = request.app.state
    return {
        "status": "ok",
        "rounds": len(catalog),
        "database": state.engine.dialect.name,
        "stt": getattr(state, "stt_name", None),
        "brain": getattr(state, "brain_name", None),
        "scorer": getattr(state, "scorer_name", None),
        "event_loop": state.loop_monitor.report() if hasattr(state, "loop_monitor") else None,
    }
