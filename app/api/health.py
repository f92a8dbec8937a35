from fastapi import APIRouter, Request

from app.api.deps import CatalogDep

router = APIRouter(tags=["health"])


def _brain_status(brain: object) -> dict | None:
    """The LLM interviewer's live state (circuit breaker, last latency); None for the offline brain."""
    status = getattr(brain, "status", None)
    return status() if callable(status) else None


@router.get("/api/health")
def health(request: Request, catalog: CatalogDep) -> dict:
    state = request.app.state
    return {
        "status": "ok",
        "rounds": len(catalog),
        "database": state.engine.dialect.name,
        "schema": getattr(state, "schema_revision", None),
        "stt": getattr(state, "stt_name", None),
        "brain": getattr(state, "brain_name", None),
        "brain_status": _brain_status(getattr(state, "brain", None)),
        "scorer": getattr(state, "scorer_name", None),
        "event_loop": state.loop_monitor.report() if hasattr(state, "loop_monitor") else None,
        "voice": pool.report() if (pool := getattr(state, "speaker_pool", None)) is not None else None,
    }
